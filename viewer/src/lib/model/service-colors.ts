/**
 * A colour per service, as Jaeger gives its bars: services take the colours of one palette in
 * the order they first appear in the trace (tree order), so a trace reads the same each time it
 * is opened and two services never share a colour until the palette runs out. The palette
 * avoids pure red: red is the error mark.
 */
import type { TraceTree } from './trace-tree.js';

export const SERVICE_PALETTE = [
  '#17b8be', '#5fa6e8', '#8a6fdf', '#4dc19c', '#e8a33d', '#d077b8', '#b7885e', '#3d7fd6',
  '#7f9c3f', '#c9a227', '#6f8ea8', '#a05fd0', '#2aa37a', '#d68a5c', '#5b6fd6', '#9e7b4f',
];

/** service name → colour, for every service of the tree. */
export function serviceColors(tree: TraceTree): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of tree.spans) {
    if (!out.has(s.serviceName)) out.set(s.serviceName, SERVICE_PALETTE[out.size % SERVICE_PALETTE.length]);
  }
  return out;
}
