/**
 * Background retention: deletes the oldest finished executions past an age, and the
 * oldest ones while the database holds more than a size cap. Each chunk is its own short
 * writer job, so ingest commits run between chunks and are never blocked for long.
 * Running executions are never deleted (abandoned ones are).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { deleteExecutions } from './deleter.js';
import type { SpanWriter } from './writer.js';

export interface RetentionOptions {
  /** Keep executions younger than this (ms); undefined: no age limit. */
  maxAgeMs?: number;
  /** Keep the database's used size under this many bytes; undefined: no size limit. */
  maxBytes?: number;
  /** How often to look (ms). */
  intervalMs?: number;
  /** Executions per deletion chunk. */
  chunkSize?: number;
  abandonAfterMs: number;
}

export interface RetentionRun {
  deletedExecutions: number;
  usedBytesBefore: number;
  usedBytesAfter: number;
}

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  lastRun: RetentionRun | undefined;

  constructor(
    private readonly writer: SpanWriter,
    private readonly options: RetentionOptions,
  ) {}

  get enabled(): boolean {
    return this.options.maxAgeMs !== undefined || this.options.maxBytes !== undefined;
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), this.options.intervalMs ?? 30_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass: deletes chunk by chunk until both limits hold. */
  async runOnce(): Promise<RetentionRun> {
    if (this.busy) return this.lastRun ?? { deletedExecutions: 0, usedBytesBefore: 0, usedBytesAfter: 0 };
    this.busy = true;
    try {
      const usedBytesBefore = await this.writer.exclusive(usedBytes);
      let deleted = 0;
      for (;;) {
        const removed = await this.writer.exclusive((c) => this.deleteOldChunk(c));
        deleted += removed;
        if (removed === 0) break;
      }
      deleted += await this.enforceSizeCap();
      if (deleted > 0) await this.writer.exclusive((c) => c.run('CHECKPOINT'));
      const usedBytesAfter = await this.writer.exclusive(usedBytes);
      this.lastRun = { deletedExecutions: deleted, usedBytesBefore, usedBytesAfter };
      return this.lastRun;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Deletes the oldest tenth of the history at a time while the database is over its cap.
   * A step that brings no space back ends the pass (DuckDB may reclaim it at a later
   * checkpoint), so a cap that cannot be met never empties the database.
   */
  private async enforceSizeCap(): Promise<number> {
    const cap = this.options.maxBytes;
    if (cap === undefined) return 0;
    let deleted = 0;
    let before = await this.writer.exclusive(usedBytes);
    while (before > cap) {
      const removed = await this.writer.exclusive((c) => this.deleteOldestTenth(c));
      if (removed === 0) break;
      deleted += removed;
      const after = await this.writer.exclusive(usedBytes);
      if (after >= before) break;
      before = after;
    }
    return deleted;
  }

  private deletableSql(): string {
    const abandonBefore = BigInt(Date.now()) * 1_000_000n - BigInt(this.options.abandonAfterMs) * 1_000_000n;
    return `(root_finished OR last_seen_ns < ${abandonBefore})`;
  }

  /** One chunk of executions older than the age limit. */
  private async deleteOldChunk(c: DuckDBConnection): Promise<number> {
    if (this.options.maxAgeMs === undefined) return 0;
    const cutoff = BigInt(Date.now()) * 1_000_000n - BigInt(this.options.maxAgeMs) * 1_000_000n;
    const ids = await traceIds(
      c,
      `SELECT trace_id FROM execution_data WHERE start_ns < ${cutoff} AND ${this.deletableSql()} ORDER BY start_ns LIMIT ${this.options.chunkSize ?? 2_000}`,
    );
    return deleteExecutions(c, ids);
  }

  /** The oldest tenth of the deletable executions (at most a chunk), then a checkpoint. */
  private async deleteOldestTenth(c: DuckDBConnection): Promise<number> {
    const total = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM execution_data`)).getRowObjectsJS()[0]?.n ?? 0);
    const step = Math.max(1, Math.min(this.options.chunkSize ?? 2_000, Math.ceil(total / 10)));
    const ids = await traceIds(c, `SELECT trace_id FROM execution_data WHERE ${this.deletableSql()} ORDER BY start_ns LIMIT ${step}`);
    if (ids.length === 0) return 0;
    await deleteExecutions(c, ids);
    await c.run('CHECKPOINT');
    return ids.length;
  }
}

async function traceIds(c: DuckDBConnection, sql: string): Promise<string[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJS().map((r) => String(r.trace_id));
}

const SIZE_UNITS: Record<string, number> = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** Bytes of DuckDB's human-readable sizes ("3.9 MiB", "0 bytes"). */
export function parseDuckDbSize(text: unknown): number {
  const match = /^([\d.]+)\s*(\w+)$/.exec(String(text ?? '').trim());
  return match ? Math.round(Number(match[1]) * (SIZE_UNITS[match[2]] ?? 1)) : 0;
}

/** Bytes in use by the database: blocks in use plus the write-ahead log not yet checkpointed. */
export async function usedBytes(c: DuckDBConnection): Promise<number> {
  const row = (await c.runAndReadAll(`SELECT * FROM pragma_database_size()`)).getRowObjectsJS()[0];
  if (!row) return 0;
  return Number(row.block_size ?? 0) * Number(row.used_blocks ?? 0) + parseDuckDbSize(row.wal_size);
}
