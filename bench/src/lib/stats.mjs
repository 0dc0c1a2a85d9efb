// Median / percentiles of timing samples, and the machine's load right now (other work
// shares this machine, so every figure is printed with the load average it ran under).
import { loadavg } from 'node:os';

export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (samples) => percentile(samples, 50);

/** "1.23 / 1.10 / 0.98" (1, 5, 15 minutes). */
export function loadAverage() {
  return loadavg().map((l) => l.toFixed(2)).join(' / ');
}

/**
 * Times `fn` `runs` times after `warmup` untimed runs; returns the samples in ms. Stops early
 * once `budgetMs` has passed with at least 3 samples (a question that takes a minute at 10M
 * spans would otherwise take half an hour).
 */
export async function timeRuns(fn, runs, warmup = 1, budgetMs = 90_000) {
  const start = performance.now();
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    if (samples.length >= 3 && performance.now() - start > budgetMs) break;
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}
