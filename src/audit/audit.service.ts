import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { decodeCursor, keysetPage, type RunPosition } from '../runs/run-cursor.js';
import { AuditRepository } from './audit.repository.js';
import {
  AuditFilterQuery,
  AuditPageResponse,
  AuditQuery,
  toAuditEventResponse,
  toAuditFilter,
} from './dto/audit.dto.js';

/** Rows an export reads per statement: each is one short keyset query, however many rows match. */
const EXPORT_BATCH = 500;

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  /** A page of the group's matching events, newest first, and the cursor of the next page if there is one. */
  async page(groupId: string, query: AuditQuery): Promise<AuditPageResponse> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.audit.page(groupId, toAuditFilter(query), query.limit + 1, after);
    const page = keysetPage(rows, query.limit, positionOf);
    return { items: page.items.map(toAuditEventResponse), next_cursor: page.next_cursor };
  }

  /**
   * Every matching event as JSON lines, newest first, written a batch at a time as the client reads
   * them (a slow reader holds no more than a batch in memory); stops when the client goes away.
   */
  async export(groupId: string, query: AuditFilterQuery, response: Response): Promise<void> {
    const filter = toAuditFilter(query);
    // Read the first batch before answering, so a database error is still a problem+json.
    let rows = await this.audit.page(groupId, filter, EXPORT_BATCH);
    response.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    for (;;) {
      const text = rows.map((row) => `${JSON.stringify(toAuditEventResponse(row))}\n`).join('');
      if (text && !response.write(text)) await once(response, 'drain');
      if (rows.length < EXPORT_BATCH || response.destroyed) break;
      rows = await this.audit.page(groupId, filter, EXPORT_BATCH, positionOf(rows.at(-1)!));
    }
    response.end();
  }
}

function positionOf(row: { created_at: Date; id: string }): RunPosition {
  return { createdAt: row.created_at, id: row.id };
}
