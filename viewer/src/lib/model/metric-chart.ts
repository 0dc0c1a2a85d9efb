/**
 * One metric's view → the chart of one measure: a line per series placed at the middle of its
 * buckets (a bucket's value covers its whole width, and an exemplar inside it then sits beside
 * it), and the exemplars as markers — at their value when the measure is in the values' unit
 * (a gauge, a latency quantile), on the time axis when it is not (a rate).
 */
import type { ChartData, ChartMarker } from './chart.js';
import { formatMeasure } from './metric-format.js';
import { measureInValueUnit, type MetricExemplarPoint, type MetricMeasure, type MetricView } from './metrics.js';
import { formatExact } from './time.js';

/** A tick label for a bucket start: time of day, with the date once buckets are an hour or more. */
export function bucketLabel(ms: number, bucketSeconds: number): string {
  const d = new Date(ms);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (bucketSeconds >= 86_400) return `${d.getMonth() + 1}/${d.getDate()}`;
  if (bucketSeconds >= 3600) return `${d.getMonth() + 1}/${d.getDate()} ${hm}`;
  return bucketSeconds < 60 ? `${hm}:${String(d.getSeconds()).padStart(2, '0')}` : hm;
}

export interface MetricChart {
  data: ChartData;
  markers: Array<ChartMarker & { exemplar: MetricExemplarPoint }>;
}

/** The chart of `measure` (one of view.measures) with the exemplars as markers. */
export function metricChart(view: MetricView, measure: MetricMeasure): MetricChart {
  const half = (view.bucketSeconds * 1000) / 2;
  const { unit, type } = view.metric;
  const atValue = measureInValueUnit(measure);
  return {
    data: {
      kind: 'line',
      labels: view.bucketStarts.map((t) => bucketLabel(t, view.bucketSeconds)),
      times: view.bucketStarts.map((t) => t + half),
      series: view.series.map((s) => ({ name: s.label, values: s.values[measure] ?? view.bucketStarts.map(() => null) })),
    },
    markers: view.exemplars.map((e, i) => ({
      key: `${e.traceId}:${e.spanId ?? ''}:${e.timeMs}:${i}`,
      t: e.timeMs,
      y: atValue && e.value !== null ? e.value : null,
      title: `${e.value === null ? 'exemplar' : formatMeasure(e.value, 'value', unit, type)} · ${formatExact(e.timeMs)} · ${e.series} · open trace ${e.traceId.slice(0, 8)}…`,
      exemplar: e,
    })),
  };
}

/** The exemplars with the highest values first (the spikes worth opening), at most `n`. */
export function topExemplars(exemplars: MetricExemplarPoint[], n: number): MetricExemplarPoint[] {
  return [...exemplars].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || b.timeMs - a.timeMs).slice(0, n);
}
