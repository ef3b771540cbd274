import { describe, expect, it } from '@jest/globals';
import { paletteGroups } from './palette-groups';

const item = (type: string, description = '') => ({ type, description });
const CATALOG = [
  item('TextTemplateNode', 'Fills ((placeholders)) in a template'),
  item('OutputNode', 'A value of the run output'),
  item('InputNode', 'A value of the run input'),
  item('SparkleNode', 'Something new'),
];

describe('paletteGroups', () => {
  it('groups types by purpose, in a fixed order, with unknown types last', () => {
    expect(paletteGroups(CATALOG, '').map((group) => [group.name, group.items.map((entry) => entry.type)])).toEqual([
      ['Inputs & outputs', ['InputNode', 'OutputNode']],
      ['Text & AI', ['TextTemplateNode']],
      ['Other', ['SparkleNode']],
    ]);
  });

  it('keeps the types whose name or description holds every word', () => {
    expect(paletteGroups(CATALOG, 'run VALUE').flatMap((group) => group.items.map((entry) => entry.type))).toEqual([
      'InputNode',
      'OutputNode',
    ]);
    expect(paletteGroups(CATALOG, 'template')[0].items[0].type).toBe('TextTemplateNode');
    expect(paletteGroups(CATALOG, 'nothing like this')).toEqual([]);
  });
});
