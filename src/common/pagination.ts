import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { GroupQuery } from './group-query.js';

/** Keeps the row offset an exact integer the database accepts; deeper pages are empty anyway. */
export const MAX_PAGE = 1_000_000;

export class PageQuery extends GroupQuery {
  /** 1-based page number. */
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  /** Items per page. */
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page_size: number = 20;

  get skip(): number {
    return (this.page - 1) * this.page_size;
  }
}

export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
}

export function toPage<R, T>(query: PageQuery, rows: { items: R[]; total: number }, map: (row: R) => T): Page<T> {
  return { items: rows.items.map(map), page: query.page, page_size: query.page_size, total: rows.total };
}
