/** Where a node added without a drop point goes: a free spot of the canvas. */
import { cardHeight, NODE_WIDTH, type Point } from '../graph/layout';

const GAP = 40;
const HEIGHT = cardHeight(undefined) + 20;

/** The first cell of a grid, read row by row, whose box overlaps no node at `taken`. */
export function freeSpot(taken: Iterable<Point>, origin: Point = { x: 0, y: 0 }): Point {
  const boxes = [...taken];
  const overlaps = (spot: Point) =>
    boxes.some((box) => Math.abs(box.x - spot.x) < NODE_WIDTH + GAP / 2 && Math.abs(box.y - spot.y) < HEIGHT + GAP / 2);
  for (let row = 0; ; row += 1) {
    for (let column = 0; column < 4; column += 1) {
      const spot = { x: origin.x + column * (NODE_WIDTH + GAP), y: origin.y + row * (HEIGHT + GAP) };
      if (!overlaps(spot)) return spot;
    }
  }
}
