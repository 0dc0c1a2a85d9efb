/**
 * The metrics routes' wire types → the Metrics page's domain (lib/model/metrics.ts): ISO times
 * become epoch ms, series and exemplars get the labels the chart and its legend show.
 */
import type { MetricInfo, MetricSeriesResult } from '@flowtrace/collector/api';
import { seriesLabels, type MetricEntry, type MetricView } from '../model/metrics.js';

export function toMetricEntry(m: MetricInfo): MetricEntry {
  return {
    serviceName: m.serviceName,
    name: m.name,
    type: m.type,
    unit: m.unit,
    description: m.description,
    temporality: m.temporality,
    isMonotonic: m.isMonotonic,
    pointCount: m.pointCount,
    seriesCount: m.seriesCount,
    lastMs: Date.parse(m.lastTime),
    lastValue: m.lastValue,
    exemplarCount: m.exemplarCount,
  };
}

export function toMetricView(r: MetricSeriesResult): MetricView {
  const labels = seriesLabels(r.series);
  // An exemplar belongs to the series with its point attributes (any instance, when several share them).
  const byAttributes = new Map(r.series.map((s, i) => [JSON.stringify(sorted(s.attributes)), labels[i]] as const));
  const { lastTime, firstTime: _first, ...metric } = r.metric;
  return {
    metric: { ...metric, lastMs: Date.parse(lastTime) },
    fromMs: Date.parse(r.from),
    toMs: Date.parse(r.to),
    bucketSeconds: r.bucketSeconds,
    bucketStarts: r.bucketStarts.map((t) => Date.parse(t)),
    measures: r.measures,
    series: r.series.map((s, i) => ({ label: labels[i], values: s.values })),
    seriesCount: r.seriesCount,
    truncated: r.truncated,
    exemplars: r.exemplars.map((e) => ({
      traceId: e.traceId,
      spanId: e.spanId,
      timeMs: Date.parse(e.time),
      value: e.value,
      series: byAttributes.get(JSON.stringify(sorted(e.attributes))) ?? seriesLabels([{ attributes: e.attributes, resource: {} }])[0],
    })),
    exemplarsTruncated: r.exemplarsTruncated,
  };
}

function sorted(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
