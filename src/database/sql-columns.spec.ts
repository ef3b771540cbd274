import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, jest } from '@jest/globals';
import ts from 'typescript';
import {
  type ColumnMap,
  column,
  columnList,
  decodeRow,
  encodeFields,
  fieldsWithout,
  insertValues,
  jsonArray,
  jsonColumn,
  jsonParameter,
  recordJson,
  recordValues,
  sharedJsonColumn,
} from './sql-columns.js';

interface Thing {
  id: string;
  thingKind: 'a' | 'b';
  payload: unknown;
  seenAt: Date | null;
}

const THING_COLUMNS: ColumnMap<Thing> = {
  id: column('id'),
  thingKind: column('thing_kind'),
  payload: jsonColumn('payload'),
  seenAt: column('seen_at'),
};

const thing: Thing = {
  id: 't1',
  thingKind: 'b',
  payload: [1, { two: 2 }],
  seenAt: new Date('2026-01-02T03:04:05.006Z'),
};

describe('a column map', () => {
  it('lists columns and numbers an INSERT’s parameters in the order of the fields given', () => {
    const fields = fieldsWithout(THING_COLUMNS, ['seenAt']);
    expect(fields).toEqual(['id', 'thingKind', 'payload']);
    expect(columnList(THING_COLUMNS, ['seenAt', 'id'])).toBe('seen_at, id');
    expect(insertValues(THING_COLUMNS, fields, 3)).toBe('(id, thing_kind, payload) VALUES ($3, $4, $5)');
  });

  it('encodes parameters in the same order, JSON as text (pg would send an array as a PostgreSQL array)', () => {
    expect(encodeFields(THING_COLUMNS, ['payload', 'id', 'seenAt'], thing)).toEqual([
      '[1,{"two":2}]',
      't1',
      thing.seenAt,
    ]);
    expect([jsonParameter(undefined), jsonParameter(null), jsonParameter({ a: 1 })]).toEqual([null, 'null', '{"a":1}']);
  });

  it('stringifies a shared JSON value once per object, and sends null and undefined as any JSON column does', () => {
    const shared = sharedJsonColumn<unknown>('definition');
    const definition = { nodes: [{ id: 'a' }] };
    const text = shared.encode(definition);
    expect(text).toBe('{"nodes":[{"id":"a"}]}');
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect(shared.encode(definition)).toBe(text);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    expect([shared.encode(undefined), shared.encode(null), shared.encode('x')]).toEqual([null, 'null', '"x"']);
  });

  it('decodes the row pg returns back into the model, ignoring columns it does not map', () => {
    const row = { id: 't1', thing_kind: 'b', payload: [1, { two: 2 }], seen_at: thing.seenAt, message_id: 'm' };
    expect(decodeRow(THING_COLUMNS, row)).toEqual(thing);
    expect(decodeRow(THING_COLUMNS, row, ['thingKind', 'seenAt'])).toEqual({ thingKind: 'b', seenAt: thing.seenAt });
  });

  it('refuses a row that lacks a mapped column: the statement and the map disagree', () => {
    expect(() => decodeRow(THING_COLUMNS, { id: 't1', thing_kind: 'a', payload: null })).toThrow(
      'the row has no column seen_at (for seenAt)',
    );
  });

  it('writes the fields as one JSON object by column, JSON columns wrapped so that JSON null stays JSON null', () => {
    const fields = ['id', 'thingKind', 'payload', 'seenAt'] as const;
    const text = recordJson(THING_COLUMNS, fields, { ...thing, id: 'quote " and \\ back' }).join('');
    expect(JSON.parse(text)).toEqual({
      id: 'quote " and \\ back',
      thing_kind: 'b',
      payload: [[1, { two: 2 }]],
      seen_at: '2026-01-02T03:04:05.006Z',
    });
    // null is JSON null (SQL NULL once populated, but a JSON column's null is kept in its array);
    // undefined is left out: SQL NULL.
    expect(
      JSON.parse(recordJson(THING_COLUMNS, fields, { ...thing, payload: null, seenAt: null }).join('')),
    ).toMatchObject({
      payload: [null],
      seen_at: null,
    });
    expect(JSON.parse(recordJson(THING_COLUMNS, fields, { ...thing, payload: undefined }).join(''))).not.toHaveProperty(
      'payload',
    );
    expect(recordValues(THING_COLUMNS, fields, 'r')).toBe('r.id, r.thing_kind, r.payload -> 0, r.seen_at');
  });

  it('adds further members as the JSON text they are, and writes many records as one JSON array of UTF-8 bytes', () => {
    const fields = ['id', 'seenAt'] as const;
    const records = [
      recordJson(THING_COLUMNS, fields, thing, { journal: '{"events":[["a — b"]]}', place: '1' }),
      recordJson(THING_COLUMNS, fields, { ...thing, id: 't2' }),
    ];
    expect(JSON.parse(jsonArray(records).toString('utf8'))).toEqual([
      { id: thing.id, seen_at: '2026-01-02T03:04:05.006Z', journal: { events: [['a — b']] }, place: 1 },
      { id: 't2', seen_at: '2026-01-02T03:04:05.006Z' },
    ]);
    expect(jsonArray([]).toString('utf8')).toBe('[]');
    expect(jsonArray([['"é"'], ['{"😀":', '2', '}']]).toString('utf8')).toBe('["é",{"😀":2}]');
  });
});

describe('the maps of the Prisma models (type-checked)', () => {
  // Compiled as if it were a file of src/database, against the real generated Prisma types.
  const fixturePath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'column-map-fixture.ts');
  const fixture = `
    import type { Run, Schedule, WebhookDelivery } from '../generated/prisma/client.js';
    import type { ColumnMap } from './sql-columns.js';
    import { RUN_COLUMNS } from '../executor/run-row.js';
    import { SCHEDULE_COLUMNS } from '../schedules/schedule-row.js';
    import { WEBHOOK_DELIVERY_COLUMNS } from '../webhooks/webhook-delivery-row.js';

    export const maps: [ColumnMap<Run>, ColumnMap<Schedule>, ColumnMap<WebhookDelivery>] =
      [RUN_COLUMNS, SCHEDULE_COLUMNS, WEBHOOK_DELIVERY_COLUMNS];
    type Migrated<Model> = Model & { archivedAt: Date | null };
    export const run: ColumnMap<Migrated<Run>> = RUN_COLUMNS;
    export const schedule: ColumnMap<Migrated<Schedule>> = SCHEDULE_COLUMNS;
    export const delivery: ColumnMap<Migrated<WebhookDelivery>> = WEBHOOK_DELIVERY_COLUMNS;
  `;

  function compile(): string[] {
    const { config } = ts.readConfigFile(path.resolve('tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.resolve('.'));
    const host = ts.createCompilerHost({ ...options, noEmit: true });
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (file) => (file === fixturePath ? fixture : readFile(file));
    host.fileExists = (file) => file === fixturePath || fileExists(file);
    const program = ts.createProgram([fixturePath], { ...options, noEmit: true, types: ['node'] }, host);
    return ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
  }

  it('a field added to a model is a compile error until its map names its column', () => {
    const errors = compile();
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toContain("Property 'archivedAt' is missing");
  }, 60_000);
});
