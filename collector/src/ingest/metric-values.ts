/**
 * The value parts of OTLP metric data points → the JSON text and numbers metric_data keeps:
 * doubles (NaN and ±Infinity as JSON strings, as attributes do), unsigned 64-bit counts as
 * exact JSON number tokens, histogram buckets, exponential histogram buckets, summary quantiles
 * and exemplars with their trace and span ids as lower-case hex. A function returns a string
 * reason (`{ reason }`) instead of a value when the point must be rejected.
 */
import type { Int64 as Int64In } from '../otlp/shapes.js';
import type { CutState } from './any-value-json.js';
import { attributesJson } from './attributes.js';
import { idToHex, int64Token, toUint64 } from './ids-and-times.js';
import type { IngestCaps } from './ingest-caps.js';
import type { BucketsIn, DoubleIn, ExemplarIn, ValueAtQuantileIn } from './otlp-metrics-model.js';

/** Why a point is rejected. */
export interface Rejection {
  reason: string;
}

export const rejection = (reason: string): Rejection => ({ reason });
export const isRejection = (v: unknown): v is Rejection => typeof v === 'object' && v !== null && 'reason' in v;

const DOUBLE_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A double from either decoder; null when absent; a Rejection when it is not a number. */
export function doubleOf(v: DoubleIn | null | undefined, field: string): number | null | Rejection {
  if (v == null) return null;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && DOUBLE_TEXT.test(v)) return Number(v);
  return rejection(`${field} must be a number`);
}

/** A double as JSON text: finite numbers as numbers, NaN and ±Infinity as strings. */
export function doubleJson(n: number): string {
  if (Number.isFinite(n)) return String(n);
  return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
}

/** An unsigned 64-bit count; null when absent; a Rejection when it is not one. */
export function countOf(v: Int64In | null | undefined, field: string): bigint | null | Rejection {
  if (v == null) return null;
  const n = toUint64(v);
  return n === null ? rejection(`${field} must be an unsigned 64-bit integer`) : n;
}

/** A list of unsigned 64-bit counts as a JSON array text. */
function countsJson(list: Int64In[] | null | undefined, field: string): string | Rejection {
  if (list == null || list.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    const n = toUint64(list[i]);
    if (n === null) return rejection(`${field}[${i}] must be an unsigned 64-bit integer`);
    out += (i === 0 ? '' : ',') + n.toString();
  }
  return out + ']';
}

/** {"bounds":[…],"counts":[…]} of a histogram point; counts must be one more than bounds (or none). */
export function histogramBucketsJson(bounds: DoubleIn[] | null | undefined, counts: Int64In[] | null | undefined): string | Rejection {
  const b = bounds ?? [];
  const c = counts ?? [];
  if (c.length !== 0 && c.length !== b.length + 1) {
    return rejection(`bucketCounts has ${c.length} entries, explicitBounds ${b.length} (need one more count than bounds)`);
  }
  let boundsJson = '[';
  for (let i = 0; i < b.length; i++) {
    const d = doubleOf(b[i], `explicitBounds[${i}]`);
    if (isRejection(d)) return d;
    boundsJson += (i === 0 ? '' : ',') + doubleJson(d ?? 0);
  }
  const countsText = countsJson(c, 'bucketCounts');
  if (isRejection(countsText)) return countsText;
  return `{"bounds":${boundsJson}],"counts":${countsText}}`;
}

function expBucketsJson(buckets: BucketsIn | null | undefined, field: string): string | Rejection {
  const offset = buckets?.offset ?? 0;
  if (!Number.isInteger(offset)) return rejection(`${field}.offset must be an integer`);
  const counts = countsJson(buckets?.bucketCounts, `${field}.bucketCounts`);
  if (isRejection(counts)) return counts;
  return `{"offset":${offset},"counts":${counts}}`;
}

/** The buckets of an exponential histogram point as JSON text. */
export function exponentialBucketsJson(
  scale: number | null | undefined, zeroCount: bigint | null, zeroThreshold: number | null,
  positive: BucketsIn | null | undefined, negative: BucketsIn | null | undefined,
): string | Rejection {
  const s = scale ?? 0;
  if (!Number.isInteger(s)) return rejection('scale must be an integer');
  const pos = expBucketsJson(positive, 'positive');
  if (isRejection(pos)) return pos;
  const neg = expBucketsJson(negative, 'negative');
  if (isRejection(neg)) return neg;
  return `{"scale":${s},"zeroCount":${(zeroCount ?? 0n).toString()},"zeroThreshold":${doubleJson(zeroThreshold ?? 0)},"positive":${pos},"negative":${neg}}`;
}

/** {"quantiles":[{"quantile","value"}…]} of a summary point. */
export function quantilesJson(list: ValueAtQuantileIn[] | null | undefined): string | Rejection {
  const q = list ?? [];
  let out = '{"quantiles":[';
  for (let i = 0; i < q.length; i++) {
    const quantile = doubleOf(q[i]?.quantile, `quantileValues[${i}].quantile`);
    if (isRejection(quantile)) return quantile;
    const value = doubleOf(q[i]?.value, `quantileValues[${i}].value`);
    if (isRejection(value)) return value;
    out += (i === 0 ? '' : ',') + `{"quantile":${doubleJson(quantile ?? 0)},"value":${doubleJson(value ?? 0)}}`;
  }
  return out + ']}';
}

/** An exemplar id: '' when absent or all zeros, hex of the right length, or a Rejection. */
function exemplarId(id: ExemplarIn['traceId'], bytes: number, field: string): string | Rejection {
  const hex = idToHex(id);
  if (hex === null) return rejection(`${field} is not hex`);
  if (hex === '' || /^0+$/.test(hex)) return '';
  return hex.length === bytes * 2 ? hex : rejection(`${field} must be ${bytes} bytes, got ${hex.length / 2}`);
}

/**
 * The exemplars of a point as a JSON array text:
 * [{"traceId","spanId","timeUnixNano","value","filteredAttributes"}], ids null when absent.
 */
export function exemplarsJson(list: ExemplarIn[] | null | undefined, caps: IngestCaps, cut: CutState): string | Rejection {
  if (list == null || list.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    const e = list[i] ?? {};
    const traceId = exemplarId(e.traceId, 16, `exemplars[${i}].traceId`);
    if (isRejection(traceId)) return traceId;
    const spanId = exemplarId(e.spanId, 8, `exemplars[${i}].spanId`);
    if (isRejection(spanId)) return spanId;
    const time = toUint64(e.timeUnixNano) ?? 0n;
    let value = 'null';
    if (e.asInt != null) {
      const tok = int64Token(e.asInt);
      if (tok === null) return rejection(`exemplars[${i}].asInt must be a 64-bit integer`);
      value = tok;
    } else {
      const d = doubleOf(e.asDouble, `exemplars[${i}].asDouble`);
      if (isRejection(d)) return d;
      if (d !== null) value = doubleJson(d);
    }
    const attributes = attributesJson(e.filteredAttributes, caps, cut, {});
    out += (i === 0 ? '' : ',')
      + `{"traceId":${traceId === '' ? 'null' : `"${traceId}"`},"spanId":${spanId === '' ? 'null' : `"${spanId}"`},`
      + `"timeUnixNano":"${time}","value":${value},"filteredAttributes":${attributes}}`;
  }
  return out + ']';
}
