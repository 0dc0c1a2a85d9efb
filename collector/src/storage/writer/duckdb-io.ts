/**
 * The writer's few ways of talking to DuckDB on its own connection: read rows, append rows
 * with an appender, and the group's keys in temp.group_keys (see group-commit-sql.ts), which
 * the lookups of a commit join against.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { CLEAR_GROUP_KEYS } from './group-commit-sql.js';

export type Row = Record<string, unknown>;

export async function rows(c: DuckDBConnection, sql: string, params?: Record<string, DuckDBValue>): Promise<Row[]> {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
}

/** traceId + spanId of each row found. */
export function keySet(found: Row[]): Set<string> {
  return new Set(found.map((r) => String(r.trace_id) + String(r.span_id)));
}

/** Appends every item to a table (of the temp catalog when asked) with one appender. */
export async function appendAll<R>(
  c: DuckDBConnection,
  table: string,
  items: R[],
  append: (appender: DuckDBAppender, row: R) => void,
  catalog: 'temp' | null = null,
): Promise<void> {
  if (items.length === 0) return;
  const appender = await c.createAppender(table, catalog === 'temp' ? 'main' : null, catalog);
  try {
    for (const item of items) append(appender, item);
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** A row of temp.group_keys: kind ('s', 'l', 'x', 'r'), trace id, span id. */
export type GroupKey = [string, string, string | null];

function appendKey(appender: DuckDBAppender, [kind, traceId, spanId]: GroupKey): void {
  appender.appendVarchar(kind);
  appender.appendVarchar(traceId);
  if (spanId === null) appender.appendNull();
  else appender.appendVarchar(spanId);
  appender.endRow();
}

/** The keys one commit appends to temp.group_keys, cleared before it commits. */
export class GroupKeys {
  private appended = false;

  constructor(private readonly c: DuckDBConnection) {}

  async add(keys: GroupKey[]): Promise<void> {
    if (keys.length === 0) return;
    await appendAll(this.c, 'group_keys', keys, appendKey, 'temp');
    this.appended = true;
  }

  /** Empties the table for the next commit (nothing to do when nothing was added). */
  async clear(): Promise<void> {
    if (this.appended) await this.c.run(CLEAR_GROUP_KEYS);
  }
}

/** Cumulative wall-clock milliseconds per phase of the commits (WriterStats.phaseMs). */
export type PhaseMs = { lookup: number; append: number; commit: number };

/** Adds the time since the last lap to a phase. */
export class PhaseClock {
  private mark = performance.now();

  constructor(private readonly phases: PhaseMs) {}

  lap(phase: keyof PhaseMs): void {
    const now = performance.now();
    this.phases[phase] += now - this.mark;
    this.mark = now;
  }
}
