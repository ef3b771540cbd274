/** Where nodes are drawn: their stored `position`, else the layered layout; and where a new one fits. */
import { layoutDefinition, NODE_HEIGHT, NODE_WIDTH } from '../layout';
import type { Definition } from '../types';
import type { EditorNode, XY } from './definition-edits';

export function positionsOf(definition: Definition): Map<string, XY> {
  const nodes = definition.nodes as EditorNode[];
  const laidOut = nodes.every((node) => node.position) ? undefined : layoutDefinition(definition);
  return new Map(nodes.map((node) => [node.id, node.position ?? laidOut?.get(node.id) ?? { x: 0, y: 0 }]));
}

const GAP = 40;

/** The first cell of a grid, read row by row, whose box overlaps no node at `taken`. */
export function freeSpot(taken: Iterable<XY>, origin: XY = { x: 0, y: 0 }): XY {
  const boxes = [...taken];
  const overlaps = (spot: XY) =>
    boxes.some(
      (box) => Math.abs(box.x - spot.x) < NODE_WIDTH + GAP / 2 && Math.abs(box.y - spot.y) < NODE_HEIGHT + GAP / 2,
    );
  for (let row = 0; ; row += 1) {
    for (let column = 0; column < 4; column += 1) {
      const spot = { x: origin.x + column * (NODE_WIDTH + GAP), y: origin.y + row * (NODE_HEIGHT + GAP) };
      if (!overlaps(spot)) return spot;
    }
  }
}
