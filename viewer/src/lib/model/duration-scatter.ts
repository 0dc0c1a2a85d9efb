/**
 * Jaeger's scatter of the runs listed: one dot per execution at its start time (x) and
 * duration (y), its status as the dot's class. Pure geometry over the loaded rows, so the plot
 * and the list show the same runs; the y axis starts at 0 with nice ticks (chart.ts yTicks).
 */
import { yTicks } from './chart.js';
import type { Execution } from './types.js';

export interface ScatterPoint {
  traceId: string;
  x: number;
  y: number;
  status: string;
  title: string;
}

export interface ScatterLayout {
  points: ScatterPoint[];
  yTicks: Array<{ value: number; y: number }>;
  /** Start and end of the time axis, epoch ms. */
  fromMs: number;
  toMs: number;
}

/** Lays executions out in a plot of `width` × `height` px inside `pad`. */
export function scatterLayout(
  runs: readonly Execution[],
  width: number,
  height: number,
  pad: { l: number; r: number; t: number; b: number },
  title: (e: Execution) => string,
): ScatterLayout {
  let fromMs = Infinity;
  let toMs = -Infinity;
  for (const e of runs) {
    if (e.startMs < fromMs) fromMs = e.startMs;
    if (e.startMs > toMs) toMs = e.startMs;
  }
  if (!Number.isFinite(fromMs)) fromMs = toMs = 0;
  const spanMs = toMs - fromMs || 1;
  const ticks = yTicks(runs.map((e) => e.durationMs), 3);
  const plotW = Math.max(1, width - pad.l - pad.r);
  const plotH = Math.max(1, height - pad.t - pad.b);
  const sy = (v: number) => pad.t + plotH - ((v - ticks.min) / (ticks.max - ticks.min || 1)) * plotH;
  // One run alone sits in the middle rather than at the left edge.
  const sx = (t: number) => pad.l + (toMs === fromMs ? plotW / 2 : ((t - fromMs) / spanMs) * plotW);
  return {
    points: runs.map((e) => ({ traceId: e.traceId, x: sx(e.startMs), y: sy(e.durationMs), status: e.displayStatus, title: title(e) })),
    yTicks: ticks.ticks.map((value) => ({ value, y: sy(value) })),
    fromMs,
    toMs,
  };
}
