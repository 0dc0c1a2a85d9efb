/**
 * Small chart geometry shared by the flow charts and the SQL result chart: linear scales
 * with nice ticks, and the decision of which chart (if any) a SQL result allows.
 */
import { niceStep } from './time-axis.js';

export interface Series {
  name: string;
  values: Array<number | null>;
}

export interface ChartData {
  kind: 'line' | 'bar';
  /** One label per x position. */
  labels: string[];
  /** Epoch ms per x position when x is time (line charts place by time). */
  times: number[] | null;
  series: Series[];
}

/** Nice y ticks from 0 (or the min, if negative) to above the max. */
export function yTicks(values: Array<number | null>, target = 4): { max: number; min: number; ticks: number[] } {
  let max = 0;
  let min = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (max === min) max = min + 1;
  const step = niceStep(max - min, target);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { min: lo, max: hi, ticks };
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL|INT|NUMERIC)/i;
const TEMPORAL = /^(TIMESTAMP|DATE|TIME)/i;

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/**
 * The chart a SQL result allows: the first column is x (time → line, text → bar) and every
 * numeric column after it is a series. null when there is no x or no numeric column.
 */
export function chartForResult(columns: Array<{ name: string; type: string }>, rows: unknown[][], maxPoints = 500): ChartData | null {
  if (columns.length < 2 || rows.length === 0) return null;
  const numericCols = columns.map((c, i) => ({ c, i })).filter(({ c, i }) => i > 0 && NUMERIC.test(c.type));
  if (numericCols.length === 0) return null;
  const used = rows.slice(0, maxPoints);
  const temporal = TEMPORAL.test(columns[0].type);
  let times: number[] | null = null;
  if (temporal) {
    times = used.map((r) => Date.parse(String(r[0])));
    if (times.some((t) => Number.isNaN(t))) times = null;
  }
  const order = times ? used.map((_, i) => i).sort((a, b) => times![a] - times![b]) : used.map((_, i) => i);
  return {
    kind: times ? 'line' : 'bar',
    labels: order.map((i) => String(used[i][0] ?? '∅')),
    times: times ? order.map((i) => times![i]) : null,
    series: numericCols.slice(0, 4).map(({ c, i: col }) => ({ name: c.name, values: order.map((i) => toNumber(used[i][col])) })),
  };
}

/** SVG path of a line through the non-null points; gaps break the line. */
export function linePath(xs: number[], ys: Array<number | null>): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (y === null || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${xs[i].toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}
