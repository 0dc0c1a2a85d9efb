/**
 * Small chart geometry shared by the flow charts and the SQL result chart: linear scales
 * with nice ticks, and the decision of which chart (if any) a SQL result allows.
 */
import { niceStep } from './time-axis.js';
import { formatExact } from './time.js';

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
  /** Set when the chart draws part of what it was given (a SQL result): how much. */
  shown?: ChartShare;
}

/** How much of a SQL result a chart draws: rows (points or bars) and series, each of how many. */
export interface ChartShare {
  rows: number;
  ofRows: number;
  series: number;
  ofSeries: number;
}

/** A point to click over a time chart (an exemplar): at its time and value, or on the time axis when y is null. */
export interface ChartMarker {
  key: string;
  /** Epoch ms. */
  t: number;
  y: number | null;
  title: string;
}

/**
 * The x position of a time on a line chart spanning `left`..`left + width`: a linear scale over
 * the points' times and the markers' together, so a marker after the last bucket stays inside.
 */
export function timeScale(times: number[], markers: readonly ChartMarker[], left: number, width: number): (t: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  for (const m of markers) {
    if (m.t < lo) lo = m.t;
    if (m.t > hi) hi = m.t;
  }
  const span = hi - lo || 1;
  return (t) => left + ((t - lo) / span) * width;
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

/** Whether a SQL column type (DuckDB's names) holds numbers. */
export function isNumericType(type: string): boolean {
  return NUMERIC.test(type);
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/**
 * The chart a SQL result allows. The leading non-numeric columns are the x axis, the numeric
 * columns after them the series: one time column → lines; time + one text column → one line
 * per text value (the first numeric column, pivoted); otherwise bars labelled by the text
 * columns. null when there is nothing numeric to draw.
 */
export function chartForResult(columns: Array<{ name: string; type: string }>, rows: unknown[][], maxPoints = 500): ChartData | null {
  const drawn = drawnChart(columns, rows, maxPoints);
  if (!drawn) return null;
  // drawnChart leaves in `shown` how many series there were to draw; the rest is counted here.
  const { shown: counted, ...chart } = drawn;
  const used = Math.min(rows.length, maxPoints);
  const ofSeries = counted?.ofSeries ?? chart.series.length;
  return used < rows.length || chart.series.length < ofSeries
    ? { ...chart, shown: { rows: used, ofRows: rows.length, series: chart.series.length, ofSeries } }
    : chart;
}

function drawnChart(columns: Array<{ name: string; type: string }>, rows: unknown[][], maxPoints: number): ChartData | null {
  if (columns.length < 2 || rows.length === 0) return null;
  let labelCount = 0;
  while (labelCount < columns.length && !NUMERIC.test(columns[labelCount].type)) labelCount++;
  if (labelCount === 0) labelCount = 1;
  const numericCols = columns.map((c, i) => ({ c, i })).filter(({ c, i }) => i >= labelCount && NUMERIC.test(c.type));
  if (numericCols.length === 0) return null;
  const used = rows.slice(0, maxPoints);
  const temporal = TEMPORAL.test(columns[0].type) && used.every((r) => !Number.isNaN(Date.parse(String(r[0]))));
  if (temporal && labelCount === 2) return pivot(used, numericCols[0].i);
  const ofSeries = { rows: 0, ofRows: 0, series: 0, ofSeries: numericCols.length };
  if (temporal && labelCount === 1) {
    const order = used.map((_, i) => i).sort((a, b) => Date.parse(String(used[a][0])) - Date.parse(String(used[b][0])));
    return {
      kind: 'line',
      labels: order.map((i) => String(used[i][0])),
      times: order.map((i) => Date.parse(String(used[i][0]))),
      series: numericCols.slice(0, MAX_SERIES).map(({ c, i: col }) => ({ name: c.name, values: order.map((i) => toNumber(used[i][col])) })),
      shown: ofSeries,
    };
  }
  return {
    kind: 'bar',
    labels: used.map((r) => r.slice(0, labelCount).map((v) => String(v ?? '∅')).join(' · ')),
    times: null,
    series: numericCols.slice(0, MAX_SERIES).map(({ c, i: col }) => ({ name: c.name, values: used.map((r) => toNumber(r[col])) })),
    shown: ofSeries,
  };
}

const MAX_SERIES = 6;

/** Rows of (time, group, value…) → one line per group over the distinct times. */
function pivot(rows: unknown[][], valueCol: number): ChartData {
  const times = [...new Set(rows.map((r) => Date.parse(String(r[0]))))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i] as const));
  const groups = new Map<string, Array<number | null>>();
  const names = new Set<string>();
  for (const r of rows) {
    const g = String(r[1] ?? '∅');
    names.add(g);
    if (!groups.has(g)) {
      if (groups.size >= MAX_SERIES) continue;
      groups.set(g, new Array<number | null>(times.length).fill(null));
    }
    groups.get(g)![at.get(Date.parse(String(r[0])))!] = toNumber(r[valueCol]);
  }
  return {
    kind: 'line',
    labels: times.map((t) => formatExact(t).slice(5, 16)),
    times,
    series: [...groups].map(([name, values]) => ({ name, values })),
    shown: { rows: 0, ofRows: 0, series: groups.size, ofSeries: names.size },
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
