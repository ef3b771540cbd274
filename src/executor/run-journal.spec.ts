import { describe, expect, it } from '@jest/globals';
import { JOURNAL_MAX_EVENTS, JOURNAL_NODE_COLUMNS, NODE_RUN_COLUMNS } from '../database/run-journal.sql.js';
import { journalFor } from './run-journal.js';
import { NODE_RUN_RECORD_COLUMNS, runEvent, type NodeRunRecord } from './run-records.js';

const node: NodeRunRecord = {
  node_id: 'prompt',
  node_type: 'TextTemplateNode',
  status: 'completed',
  inputs: { q: 'why?' },
  outputs: { text: 'because' },
  error: null,
  attempt: 1,
  started_at: '2026-12-04T10:00:00.000Z',
  finished_at: '2026-12-04T10:00:00.002Z',
  duration_ms: 2,
  attempts: [],
  waiting_until: null,
  waiting_for: null,
  resume_token_hash: null,
};
const events = [runEvent('run.queued', { status: 'queued' }), runEvent('run.completed', { status: 'completed' })];
const run = { debugger: null };

describe('journalFor', () => {
  it('reads back every column the recorder writes, those it keeps from the journal', () => {
    expect(NODE_RUN_COLUMNS).toEqual(Object.values(NODE_RUN_RECORD_COLUMNS));
    expect(NODE_RUN_COLUMNS).toEqual(expect.arrayContaining([...JOURNAL_NODE_COLUMNS]));
  });

  it('keeps a finished run as positional arrays, in the order of the events', () => {
    expect(JSON.parse(journalFor(run, true, [node], events)!)).toEqual({
      nodes: [
        [
          'prompt',
          'TextTemplateNode',
          'completed',
          { q: 'why?' },
          { text: 'because' },
          null,
          1,
          '2026-12-04T10:00:00.000Z',
          '2026-12-04T10:00:00.002Z',
          2,
          [],
        ],
      ],
      events: events.map((event) => [event.type, event.data, event.created_at]),
    });
  });

  it.each([
    ['an unfinished run (later flushes change it)', run, false, [node], events],
    ['a debugger run (its session reads node_runs)', { debugger: 'session' }, true, [node], events],
    [
      'a run with more events than one block of ids',
      run,
      true,
      [node],
      Array.from({ length: JOURNAL_MAX_EVENTS + 1 }, () => events[0]),
    ],
    ['a node run with a wait', run, true, [{ ...node, waiting_for: 'approval' }], events],
    ['a reused node run', run, true, [{ ...node, reused_from: 'source' }], events],
    ['a NUL in a value (jsonb refuses it)', run, true, [{ ...node, outputs: { text: 'a\u0000b' } }], events],
    ['a lone surrogate in a value (jsonb refuses it)', run, true, [{ ...node, inputs: { q: '\ud800' } }], events],
  ])('leaves %s to rows', (_why, who, finished, nodes, all) => {
    expect(journalFor(who, finished, nodes, all)).toBeUndefined();
  });

  it('journals a run of exactly one block of events', () => {
    const full = Array.from({ length: JOURNAL_MAX_EVENTS }, () => events[0]);
    expect(JSON.parse(journalFor(run, true, [node], full)!).events).toHaveLength(JOURNAL_MAX_EVENTS);
  });

  it('leaves to rows text that only looks like such an escape (rows store it as well), and journals the rest', () => {
    expect(journalFor(run, true, [{ ...node, outputs: { text: 'C:\\u0000' } }], events)).toBeUndefined();
    expect(journalFor(run, true, [{ ...node, outputs: { text: 'é 😀' } }], events)).toBeDefined();
  });
});
