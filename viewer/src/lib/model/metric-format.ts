/**
 * Metric values for humans, by their UCUM unit as OpenTelemetry sends it: durations (ms, s, us,
 * ns) as durations, bytes (By) with binary prefixes, `1` and annotations like `{request}` as
 * plain numbers, anything else followed by its unit. Rates add "/s".
 */
import type { MetricKind, MetricMeasure } from './metrics.js';
import { formatDuration } from './time.js';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
const small = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });

/** 1.23k, 45.6M, 0.0123, 7. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? compact.format(v) : small.format(v);
}

/** 512 B, 1.5 KiB, 3.2 MiB. */
export function formatBytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = v;
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${small.format(n)} ${units[i]}`;
}

const DURATION_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

/** A value of a metric in `unit`. */
export function formatUnitValue(v: number, unit: string | null): string {
  const u = unit ?? '';
  if (u in DURATION_MS) return v === 0 ? '0' : formatDuration(v * DURATION_MS[u]);
  if (u === 'By') return formatBytes(v);
  if (u === '%') return `${formatNumber(v)}%`;
  if (u === '' || u === '1' || /^\{.*\}$/.test(u)) return formatNumber(v);
  return `${formatNumber(v)} ${u}`;
}

/**
 * A value of a measure: rates per second (a sum's in its unit, bytes/s say; a distribution's
 * counts values recorded), the others in the metric's unit.
 */
export function formatMeasure(v: number | null, measure: MetricMeasure, unit: string | null, type: MetricKind): string {
  if (v === null) return '—';
  if (measure === 'rate') return `${type === 'sum' && unit === 'By' ? formatBytes(v) : formatNumber(v)}/s`;
  return formatUnitValue(v, unit);
}
