/**
 * The attribute value index rows of a commit on ClickHouse (table attribute_values, schema-side.ts):
 * every row `attr=key=value` may need, so that a search is one key range of the index and never a
 * scan of span_data — unlike DuckDB's, which scans resource attributes and running spans.
 *
 * Per trace, each (key, value) once per commit: the small attributes of its finished spans and the
 * resource attributes of all its spans with span_id ''; the small attributes of a running span
 * with that span's id (a search counts them only while the span runs: executions read it).
 * What is indexed is decided by span-model/value-index.ts (isIndexedKey, indexedValueOf), the rule
 * value-index-sql.ts repeats in SQL for the upgrade of a database from schema version 1.
 */
import { indexedValueOf, isIndexedKey } from '../span-model/value-index.js';
import type { IngestSpan } from '../span-model/span.js';

/** attribute_values columns in the order rows are given. */
export const VALUE_COLUMNS = ['key', 'value', 'trace_id', 'span_id', 'start_ns'] as const;

/** One value index row: key, value, trace id, span id ('' or a running span's), start ns (decimal text). */
export type ValueRow = [string, string, string, string, string];

/**
 * The top-level entries of a JSON object text as [key, raw value JSON] pairs (ingest writes
 * compact JSON; raw values keep 64-bit integers exactly, which JSON.parse would round).
 * Returns [] for text that is not an object.
 */
export function rawEntries(json: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = json.indexOf('{');
  if (i < 0) return out;
  const skipString = (at: number): number => {
    for (let j = at + 1; j < json.length; j++) {
      const c = json.charCodeAt(j);
      if (c === 0x5c /* \ */) j++;
      else if (c === 0x22 /* " */) return j + 1;
    }
    return json.length;
  };
  const skipSpace = (at: number): number => {
    while (at < json.length && /\s/.test(json[at])) at++;
    return at;
  };
  i = skipSpace(i + 1);
  while (i < json.length && json[i] === '"') {
    const keyEnd = skipString(i);
    const key = JSON.parse(json.slice(i, keyEnd)) as string;
    let j = skipSpace(keyEnd);
    if (json[j] !== ':') return out;
    j = skipSpace(j + 1);
    const start = j;
    let depth = 0;
    for (; j < json.length; j++) {
      const c = json[j];
      if (c === '"') {
        j = skipString(j) - 1;
      } else if (c === '{' || c === '[') {
        depth++;
      } else if (c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) {
        break;
      }
    }
    out.push([key, json.slice(start, j).trim()]);
    if (json[j] !== ',') break;
    i = skipSpace(j + 1);
  }
  return out;
}

/** The indexed [key, value] pairs of a resource attributes text (cached: a batch repeats its resources). */
function resourcePairs(json: string, cache: Map<string, Array<[string, string]>>): Array<[string, string]> {
  let pairs = cache.get(json);
  if (pairs === undefined) {
    pairs = [];
    for (const [key, raw] of rawEntries(json)) {
      if (!isIndexedKey(key)) continue;
      const value = indexedValueOf(raw);
      if (value !== null) pairs.push([key, value]);
    }
    cache.set(json, pairs);
  }
  return pairs;
}

/**
 * Collects a commit's value index rows. `add` takes each span with the indexed entries of its small
 * attributes (key, value, key, value … as encodeAttributes gives them).
 */
export class ValueRows {
  readonly rows: ValueRow[] = [];
  private readonly seen = new Set<string>();
  private readonly resources = new Map<string, Array<[string, string]>>();

  add(span: IngestSpan, finished: boolean, indexed: readonly string[]): void {
    const spanId = finished ? '' : span.spanId;
    const start = span.startTimeUnixNano.toString();
    for (let i = 0; i + 1 < indexed.length; i += 2) this.push(indexed[i], indexed[i + 1], span.traceId, spanId, start);
    for (const [key, value] of resourcePairs(span.resourceAttributes, this.resources)) this.push(key, value, span.traceId, '', start);
  }

  private push(key: string, value: string, traceId: string, spanId: string, start: string): void {
    const id = `${traceId}\u0000${spanId}\u0000${key}\u0000${value}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.rows.push([key, value, traceId, spanId, start]);
  }
}
