/**
 * Where a span's bar sits on the waterfall's time axis, in percent of the timeline column, for
 * the visible window [viewStart, viewStart + viewRange] (ms after the trace's start). A span
 * wholly outside the window has no bar (null): zoomed in, spans before the window are not
 * drawn as slivers at its left edge. A bar that crosses an edge is cut at it (-1 % … 101 %,
 * so the cut ends stay out of sight).
 */
export interface BarGeometry {
  left: number;
  width: number;
  durationMs: number;
}

export function barGeometry(
  span: { startMs: number; endMs: number | null },
  traceStartMs: number,
  now: number,
  viewStart: number,
  viewRange: number,
): BarGeometry | null {
  const end = span.endMs ?? Math.max(now, span.startMs);
  const from = span.startMs - traceStartMs;
  const to = end - traceStartMs;
  const durationMs = end - span.startMs;
  // A zero-length span at the window's edge still shows; one wholly before or after it does not.
  if (to < viewStart || from > viewStart + viewRange) return null;
  const left = ((from - viewStart) / viewRange) * 100;
  const right = ((to - viewStart) / viewRange) * 100;
  const l = Math.max(-1, Math.min(101, left));
  const r = Math.max(-1, Math.min(101, right));
  return { left: l, width: Math.max(0, r - l), durationMs };
}
