import type { Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/** Schema classes by name: each list shape is documented once, however many routes answer with it. */
const listSchemas = new Map<string, Class>();

function listSchema(name: string, build: () => Class): Class {
  let schema = listSchemas.get(name);
  if (!schema) {
    schema = Object.defineProperty(build(), 'name', { value: name });
    listSchemas.set(name, schema);
  }
  return schema;
}

function baseName(item: Class): string {
  return item.name.replace(/Response$/, '');
}

/** The documented `{items}` answer of an unpaged list (the schema `<Item>List`). */
export function ItemsOf(item: Class): Class {
  return listSchema(`${baseName(item)}List`, () => {
    class ItemsSchema {
      @ApiProperty({ type: [item] }) items!: unknown[];
    }
    return ItemsSchema;
  });
}

/** The documented answer of a paged list (the schema `<Item>Page`). */
export function PageOf(item: Class): Class {
  return listSchema(`${baseName(item)}Page`, () => {
    class PageSchema extends ItemsOf(item) {
      /** The page number asked for. */
      @ApiProperty({ minimum: 1 }) page!: number;
      @ApiProperty({ minimum: 1 }) page_size!: number;
      /** Items across all pages. */
      @ApiProperty({ minimum: 0 }) total!: number;
    }
    return PageSchema;
  });
}

export function toPage<R, T>(query: PageQuery, rows: { items: R[]; total: number }, map: (row: R) => T): Page<T> {
  return { items: rows.items.map(map), page: query.page, page_size: query.page_size, total: rows.total };
}
