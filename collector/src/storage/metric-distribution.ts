/**
 * Histogram buckets as value ranges with counts, whatever their OTLP kind: explicit-bound
 * histograms ({"bounds","counts"}) and exponential histograms ({"scale","zeroCount",
 * "zeroThreshold","positive","negative"}), as metric_data.buckets stores them. Ranges are keyed
 * by their bounds, so two points merge (delta) or subtract (cumulative) range by range even when
 * their layouts differ, and a quantile is estimated as Prometheus' histogram_quantile does:
 * linearly inside the range that holds the rank. Pure code, no DuckDB.
 */

export interface Range {
  lo: number;
  hi: number;
  count: number;
}

/** Ranges by `lo:hi`. */
export type Distribution = Map<string, Range>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

function add(d: Distribution, lo: number, hi: number, count: number): void {
  if (!(count > 0) || Number.isNaN(lo) || Number.isNaN(hi)) return;
  const key = `${lo}:${hi}`;
  const range = d.get(key);
  if (range) range.count += count;
  else d.set(key, { lo, hi, count });
}

interface ExpBuckets { offset?: unknown; counts?: unknown[] }

/** The ranges of a stored buckets text; empty for text it cannot read (a summary's, say). */
export function parseDistribution(text: string | null): Distribution {
  const d: Distribution = new Map();
  if (!text) return d;
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return d; // written by ingest, so never expected; an unreadable point draws nothing
  }
  if (Array.isArray(b.bounds) && Array.isArray(b.counts)) {
    const bounds = b.bounds.map(num);
    // The first bucket reaches down to 0 when every bound is positive, as in Prometheus.
    b.counts.forEach((c, i) => {
      const lo = i === 0 ? (bounds[0] > 0 ? 0 : -Infinity) : bounds[i - 1];
      add(d, lo, i < bounds.length ? bounds[i] : Infinity, num(c));
    });
    return d;
  }
  if (typeof b.scale === 'number') {
    // Bucket i of scale s is (2^(i·2^-s), 2^((i+1)·2^-s)]; one power each keeps whole bounds whole.
    const step = 2 ** -b.scale;
    const bound = (i: number) => 2 ** (i * step);
    const zt = Math.abs(num(b.zeroThreshold ?? 0)) || 0;
    add(d, -zt, zt, num(b.zeroCount ?? 0));
    const pos = (b.positive ?? {}) as ExpBuckets;
    (pos.counts ?? []).forEach((c, k) => {
      const i = num(pos.offset ?? 0) + k;
      add(d, bound(i), bound(i + 1), num(c));
    });
    const neg = (b.negative ?? {}) as ExpBuckets;
    (neg.counts ?? []).forEach((c, k) => {
      const i = num(neg.offset ?? 0) + k;
      add(d, -bound(i + 1), -bound(i), num(c));
    });
  }
  return d;
}

/** The sum of several distributions (delta points of one bucket). */
export function mergeDistributions(list: Distribution[]): Distribution {
  const out: Distribution = new Map();
  for (const d of list) for (const r of d.values()) add(out, r.lo, r.hi, r.count);
  return out;
}

/**
 * `later` minus `earlier` (two cumulative points of one run), or null when a range shrank: the
 * counts were reset, or the layout changed, and the difference means nothing.
 */
export function subtractDistribution(later: Distribution, earlier: Distribution): Distribution | null {
  const out: Distribution = new Map();
  for (const [key, r] of earlier) {
    if ((later.get(key)?.count ?? 0) < r.count) return null;
  }
  for (const [key, r] of later) {
    const count = r.count - (earlier.get(key)?.count ?? 0);
    if (count > 0) out.set(key, { lo: r.lo, hi: r.hi, count });
  }
  return out;
}

/**
 * The value under which a fraction `q` (0..1) of the counted values lie, interpolated linearly
 * inside its range; a rank in an open-ended range gives its finite bound. Null when empty.
 */
export function quantile(d: Distribution, q: number): number | null {
  const ranges = [...d.values()].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const total = ranges.reduce((n, r) => n + r.count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (const r of ranges) {
    if (below + r.count >= rank) {
      if (r.hi === Infinity) return r.lo;
      if (r.lo === -Infinity) return r.hi;
      return r.lo + ((r.hi - r.lo) * (rank - below)) / r.count;
    }
    below += r.count;
  }
  const last = ranges[ranges.length - 1];
  return Number.isFinite(last.hi) ? last.hi : last.lo;
}
