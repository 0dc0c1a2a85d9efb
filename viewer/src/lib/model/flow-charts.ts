/**
 * A flow's time series → the two charts of its page: volume (runs and errors per bucket)
 * and latency (p50/p95/p99 per bucket), over every bucket of the range — the API sends only
 * buckets that hold runs, and bars placed one after another would hide the quiet hours of a
 * 7-day range. Each bucket keeps its time window, so a click on it can open the runs in it.
 */
import type { FlowStatsSeries } from '@flowtrace/collector/api';
import type { ChartData } from './chart.js';

/** Buckets drawn at most; a longer range (all time at a fine width) keeps only the part that holds runs. */
const MAX_BUCKETS = 400;

export interface BucketWindow {
  startMs: number;
  endMs: number;
}

export interface FlowCharts {
  volume: ChartData;
  latency: ChartData;
  /** The time window of each x position of both charts. */
  buckets: BucketWindow[];
}

function bucketLabel(ms: number, bucketSeconds: number): string {
  const d = new Date(ms);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return bucketSeconds >= 86_400 ? `${d.getMonth() + 1}/${d.getDate()}` : bucketSeconds >= 3600 ? `${d.getMonth() + 1}/${d.getDate()} ${hm}` : hm;
}

/** Every bucket start from the range's first bucket to its last, with the API's buckets at theirs. */
function bucketStarts(stats: FlowStatsSeries): number[] {
  const width = stats.bucketSeconds * 1000;
  const given = stats.series.map((b) => Date.parse(b.bucketStart));
  const from = Math.floor(Date.parse(stats.from) / width) * width;
  const to = Date.parse(stats.to);
  if (!(width > 0) || Number.isNaN(from) || Number.isNaN(to) || (to - from) / width > MAX_BUCKETS) {
    if (given.length === 0) return [];
    const first = given[0];
    const last = given[given.length - 1];
    if ((last - first) / width > MAX_BUCKETS) return given;
    return Array.from({ length: Math.round((last - first) / width) + 1 }, (_, i) => first + i * width);
  }
  const out: number[] = [];
  for (let t = from; t < to; t += width) out.push(t);
  return out;
}

export function flowCharts(stats: FlowStatsSeries): FlowCharts {
  const width = stats.bucketSeconds * 1000;
  const starts = bucketStarts(stats);
  const byStart = new Map(stats.series.map((b) => [Date.parse(b.bucketStart), b] as const));
  const at = starts.map((t) => byStart.get(t) ?? null);
  const labels = starts.map((t) => bucketLabel(t, stats.bucketSeconds));
  return {
    buckets: starts.map((t) => ({ startMs: t, endMs: t + width })),
    volume: {
      kind: 'bar',
      labels,
      times: null,
      series: [
        { name: 'runs', values: at.map((b) => b?.count ?? 0) },
        { name: 'errors', values: at.map((b) => b?.errorCount ?? 0) },
      ],
    },
    latency: {
      kind: 'line',
      labels,
      times: starts,
      series: [
        { name: 'p50', values: at.map((b) => b?.p50Ms ?? null) },
        { name: 'p95', values: at.map((b) => b?.p95Ms ?? null) },
        { name: 'p99', values: at.map((b) => b?.p99Ms ?? null) },
      ],
    },
  };
}
