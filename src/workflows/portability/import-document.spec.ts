import { describe, expect, it } from '@jest/globals';
import { readImportBody } from './import-document.js';

const definition = { nodes: [], edges: [] };
const valid = { runloom: 'workflow/v1', slug: 'one', name: 'One', description: null, definition };

describe('readImportBody', () => {
  it('reads one document, filling what a hand-written one may leave out', () => {
    const { documents, problems } = readImportBody(valid);
    expect(problems).toEqual([]);
    expect(documents).toEqual([
      { at: '', document: { ...valid, versions: [], schedules: [], requires: { workflows: [], secrets: [] } } },
    ]);
  });

  it('reads a bundle, each document at its place, schedules with their defaults', () => {
    const schedule = { cron: ' 0  9 * * * ', input: { a: 1 } };
    const { documents, problems } = readImportBody({
      workflows: [valid, { ...valid, slug: 'two', schedules: [schedule] }],
    });
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.at)).toEqual(['workflows[0].', 'workflows[1].']);
    expect(documents[1].document.schedules).toEqual([
      {
        cron: '0 9 * * *',
        timezone: 'UTC',
        version: null,
        input: { a: 1 },
        callback_url: null,
        enabled: true,
        metadata: {},
      },
    ]);
  });

  it('reports every problem of every document at once', () => {
    const { documents, problems } = readImportBody({
      workflows: [
        { ...valid, runloom: 'n8n', slug: 'Bad Slug', name: '' },
        {
          ...valid,
          versions: [
            { number: 1, definition },
            { number: 3, description: 7, definition, extra: true },
          ],
        },
        {
          ...valid,
          schedules: [{ cron: '* *', input: [], timezone: 'Nowhere/City', version: 0 }],
          requires: { workflows: 'x' },
        },
      ],
    });
    expect(documents).toEqual([]);
    expect(problems.map((p) => p.field)).toEqual([
      'workflows[0].runloom',
      'workflows[0].slug',
      'workflows[0].name',
      'workflows[1].versions[1].extra',
      'workflows[1].versions[1].description',
      'workflows[1].versions[1].number',
      'workflows[2].schedules[0].input',
      'workflows[2].schedules[0].timezone',
      'workflows[2].schedules[0].cron',
      'workflows[2].schedules[0].version',
      'workflows[2].requires.workflows',
    ]);
  });

  it('refuses a document without a slug, saying imports match by slug', () => {
    expect(readImportBody({ ...valid, slug: null }).problems).toEqual([
      { field: 'slug', message: expect.stringContaining('match workflows by slug') },
    ]);
  });

  it('refuses what is no document or bundle', () => {
    expect(readImportBody('x').problems).toEqual([{ field: 'body', message: expect.any(String) }]);
    expect(readImportBody({ workflows: [] }).problems.map((p) => p.field)).toEqual(['workflows']);
    expect(readImportBody({ workflows: [valid, valid] }).problems).toEqual([
      { field: 'workflows[1].slug', message: 'is in the bundle twice' },
    ]);
  });
});
