/**
 * A flow's time series → the two charts of its page: volume (runs and errors per bucket)
 * and latency (p50/p95/p99 per bucket).
 */
import type { FlowStatsSeries } from '@flowtrace/collector/api';
import type { ChartData } from './chart.js';

function bucketLabel(iso: string, bucketSeconds: number): string {
  const d = new Date(iso);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return bucketSeconds >= 86_400 ? `${d.getMonth() + 1}/${d.getDate()}` : bucketSeconds >= 3600 ? `${d.getMonth() + 1}/${d.getDate()} ${hm}` : hm;
}

export function flowCharts(stats: FlowStatsSeries): { volume: ChartData; latency: ChartData } {
  const labels = stats.series.map((b) => bucketLabel(b.bucketStart, stats.bucketSeconds));
  const times = stats.series.map((b) => Date.parse(b.bucketStart));
  return {
    volume: {
      kind: 'bar',
      labels,
      times: null,
      series: [
        { name: 'runs', values: stats.series.map((b) => b.count) },
        { name: 'errors', values: stats.series.map((b) => b.errorCount) },
      ],
    },
    latency: {
      kind: 'line',
      labels,
      times,
      series: [
        { name: 'p50', values: stats.series.map((b) => b.p50Ms) },
        { name: 'p95', values: stats.series.map((b) => b.p95Ms) },
        { name: 'p99', values: stats.series.map((b) => b.p99Ms) },
      ],
    },
  };
}
