/**
 * The self-time flame graph laid out: each frame (from the collector's stats, depth-first,
 * parents first) gets a left edge and a width as fractions of the whole. Children start at
 * their parent's left edge, widest first as sent; a frame's own self time is what is left of
 * it to the right of its children.
 */
import type { FlameFrame } from '@flowtrace/collector/api';

export interface FlameBox {
  frame: FlameFrame;
  index: number;
  x: number;
  w: number;
  depth: number;
}

/** Boxes narrower than `minWidth` (a fraction) are left out: they would draw as nothing. */
export function layoutFlame(frames: readonly FlameFrame[], minWidth = 0.002): { boxes: FlameBox[]; maxDepth: number } {
  const total = frames.reduce((sum, f) => (f.parent < 0 ? sum + f.valueMs : sum), 0);
  if (total <= 0) return { boxes: [], maxDepth: 0 };
  const x = new Float64Array(frames.length);
  const cursor = new Float64Array(frames.length);
  let rootCursor = 0;
  const boxes: FlameBox[] = [];
  let maxDepth = 0;
  frames.forEach((f, i) => {
    const w = f.valueMs / total;
    if (f.parent < 0) {
      x[i] = rootCursor;
      rootCursor += w;
    } else {
      x[i] = x[f.parent] + cursor[f.parent];
      cursor[f.parent] += w;
    }
    if (w >= minWidth) {
      boxes.push({ frame: f, index: i, x: x[i], w, depth: f.depth });
      if (f.depth > maxDepth) maxDepth = f.depth;
    }
  });
  return { boxes, maxDepth };
}
