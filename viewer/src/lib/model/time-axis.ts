/**
 * Ticks for the waterfall's time axis: "nice" steps (1, 2, 5 × 10^k ms) so that labels are
 * round numbers, with a label unit chosen once per axis so neighbouring labels read alike.
 */

export interface Tick {
  /** Offset from the start of the view, ms. */
  offsetMs: number;
  /** Position 0..1 across the view. */
  fraction: number;
  label: string;
}

/** The nice step for a span of `rangeMs` split into about `target` parts. */
export function niceStep(rangeMs: number, target: number): number {
  if (!(rangeMs > 0) || target <= 0) return 1;
  const raw = rangeMs / target;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / pow;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return nice * pow;
}

/** Ticks from `fromMs` to `toMs` (offsets relative to trace start), about `target` of them. */
export function timeTicks(fromMs: number, toMs: number, target = 6): Tick[] {
  const range = toMs - fromMs;
  if (!(range > 0)) return [{ offsetMs: fromMs, fraction: 0, label: formatOffset(fromMs, 1) }];
  const step = niceStep(range, target);
  const first = Math.ceil(fromMs / step - 1e-9) * step;
  const ticks: Tick[] = [];
  for (let t = first; t <= toMs + step * 1e-9; t += step) {
    const offset = Math.round(t / step) * step;
    ticks.push({ offsetMs: offset, fraction: (offset - fromMs) / range, label: formatOffset(offset, step) });
  }
  return ticks;
}

/** A tick label: unit picked by the step so that 0, 250ms, 500ms … or 0, 1s, 2s … read evenly. */
export function formatOffset(ms: number, step: number): string {
  if (ms === 0) return '0';
  if (step < 1) return `${round(ms * 1000, step * 1000)}µs`;
  if (step < 1000) return `${round(ms, step)}ms`;
  if (step < 60_000) return `${round(ms / 1000, step / 1000)}s`;
  return `${round(ms / 60_000, step / 60_000)}m`;
}

function round(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
  return value.toFixed(decimals);
}
