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

export interface Items<T> {
  items: T[];
}

export interface Page<T> extends Items<T> {
  page: number;
  page_size: number;
  total: number;
}

const itemsSchemas = new Map<Class, Class>();
const pageSchemas = new Map<Class, Class>();

function named<T extends Class>(schema: T, name: string): T {
  return Object.defineProperty(schema, 'name', { value: name });
}

/** The documented `{items}` answer of an unpaged list (the schema `<Item>List`). */
export function ItemsOf(item: Class): Class {
  let schema = itemsSchemas.get(item);
  if (!schema) {
    class ItemsSchema {
      @ApiProperty({ type: [item] }) items!: unknown[];
    }
    schema = named(ItemsSchema, `${schemaBaseName(item)}List`);
    itemsSchemas.set(item, schema);
  }
  return schema;
}

/** The documented answer of a paged list (the schema `<Item>Page`). */
export function PageOf(item: Class): Class {
  let schema = pageSchemas.get(item);
  if (!schema) {
    class PageSchema extends ItemsOf(item) {
      /** The page number asked for. */
      @ApiProperty({ minimum: 1 }) page!: number;
      @ApiProperty({ minimum: 1 }) page_size!: number;
      /** Items across all pages. */
      @ApiProperty({ minimum: 0 }) total!: number;
    }
    schema = named(PageSchema, `${schemaBaseName(item)}Page`);
    pageSchemas.set(item, schema);
  }
  return schema;
}

function schemaBaseName(item: Class): string {
  return item.name.replace(/Response$/, '');
}

export function toPage<R, T>(query: PageQuery, rows: { items: R[]; total: number }, map: (row: R) => T): Page<T> {
  return { items: rows.items.map(map), page: query.page, page_size: query.page_size, total: rows.total };
}
