/**
 * The Metrics page's domain: metric names per service, one metric's series over a range with
 * its exemplars (times as epoch ms, series labelled), and the catalog grouped for the sidebar.
 * Built from the API's wire types in lib/api/metrics-to-domain.ts; pure, unit-tested.
 */
import type { MetricKind, MetricMeasure } from '@flowtrace/collector/api';

export type { MetricKind, MetricMeasure };

export interface MetricEntry {
  serviceName: string;
  name: string;
  type: MetricKind;
  unit: string | null;
  description: string | null;
  temporality: 'delta' | 'cumulative' | null;
  isMonotonic: boolean | null;
  pointCount: number;
  seriesCount: number;
  lastMs: number;
  lastValue: number | null;
  exemplarCount: number;
}

export interface MetricSeriesLine {
  /** Unique within the view: the point attributes as k=v, with what tells instances apart. */
  label: string;
  values: Partial<Record<MetricMeasure, Array<number | null>>>;
}

export interface MetricExemplarPoint {
  traceId: string;
  spanId: string | null;
  timeMs: number;
  value: number | null;
  /** The label of the series it came with. */
  series: string;
}

export interface MetricView {
  metric: Omit<MetricEntry, 'seriesCount' | 'lastValue' | 'exemplarCount'>;
  fromMs: number;
  toMs: number;
  bucketSeconds: number;
  /** Epoch ms of each bucket's start. */
  bucketStarts: number[];
  measures: MetricMeasure[];
  series: MetricSeriesLine[];
  seriesCount: number;
  truncated: boolean;
  exemplars: MetricExemplarPoint[];
  exemplarsTruncated: boolean;
}

export interface ServiceMetrics {
  serviceName: string;
  metrics: MetricEntry[];
}

/** The catalog by service (in the API's order), keeping names that contain `filter` (any case). */
export function groupByService(metrics: MetricEntry[], filter = ''): ServiceMetrics[] {
  const needle = filter.trim().toLowerCase();
  const groups = new Map<string, MetricEntry[]>();
  for (const m of metrics) {
    if (needle && !m.name.toLowerCase().includes(needle) && !m.serviceName.toLowerCase().includes(needle)) continue;
    const list = groups.get(m.serviceName) ?? [];
    list.push(m);
    groups.set(m.serviceName, list);
  }
  return [...groups].map(([serviceName, list]) => ({ serviceName, metrics: list }));
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Labels of series from their attributes and distinguishing resource attributes: `k=v, k=v`
 * sorted by key, "(no attributes)" for none, and #2, #3 … where two would read the same (the
 * chart keys series by label).
 */
export function seriesLabels(series: Array<{ attributes: Record<string, unknown>; resource: Record<string, unknown> }>): string[] {
  const seen = new Map<string, number>();
  return series.map((s) => {
    const pairs = (o: Record<string, unknown>) => Object.keys(o).sort().map((k) => `${k}=${text(o[k])}`);
    const parts = [...pairs(s.attributes), ...pairs(s.resource)];
    const base = parts.length ? parts.join(', ') : '(no attributes)';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  });
}

/** Short names of the metric kinds, for badges. */
export const KIND_LABELS: Record<MetricKind, string> = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponential_histogram: 'exp. histogram',
  summary: 'summary',
};

/** How a measure is named in the chart's menu and legend. */
export function measureLabel(measure: MetricMeasure, type: MetricKind): string {
  switch (measure) {
    case 'value': return 'value';
    case 'rate': return type === 'sum' ? 'rate (per second)' : 'recorded per second';
    case 'change': return 'change per bucket';
    case 'p95': return type === 'summary' ? 'p95 (reported)' : 'p95 (estimated)';
    case 'p50': return type === 'summary' ? 'p50 (reported)' : 'p50 (estimated)';
    case 'avg': return 'average';
  }
}

/** Whether a measure is in the unit of the recorded values, where exemplars sit at their value. */
export function measureInValueUnit(measure: MetricMeasure): boolean {
  return measure === 'value' || measure === 'p95' || measure === 'p50' || measure === 'avg';
}
