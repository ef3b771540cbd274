import { describe, expect, it } from '@jest/globals';
import { parseBlock } from './sse';

describe('parseBlock', () => {
  it('reads id, event and JSON data', () => {
    expect(parseBlock('id: 7\nevent: node.completed\ndata: {"node_id":"a"}')).toEqual({
      id: '7',
      event: 'node.completed',
      data: { node_id: 'a' },
    });
  });

  it('joins multi-line data, strips one leading space only, and ignores comments', () => {
    expect(parseBlock(': heartbeat\nid:3\ndata: {"text":\ndata:  " x"}')).toEqual({
      id: '3',
      event: 'message',
      data: { text: ' x' },
    });
  });

  it('gives nothing for a heartbeat alone', () => {
    expect(parseBlock(': heartbeat')).toBeUndefined();
  });
});
