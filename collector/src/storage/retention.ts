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
        const removed = await this.writer.exclusive((c) => this.deleteChunk(c));
        deleted += removed;
        if (removed === 0) break;
      }
      if (deleted > 0) await this.writer.exclusive((c) => c.run('CHECKPOINT'));
      const usedBytesAfter = await this.writer.exclusive(usedBytes);
      this.lastRun = { deletedExecutions: deleted, usedBytesBefore, usedBytesAfter };
      return this.lastRun;
    } finally {
      this.busy = false;
    }
  }

  private async deleteChunk(c: DuckDBConnection): Promise<number> {
    const chunk = this.options.chunkSize ?? 2_000;
    const now = BigInt(Date.now()) * 1_000_000n;
    const abandonBefore = now - BigInt(this.options.abandonAfterMs) * 1_000_000n;
    const deletable = `(root_finished OR last_seen_ns < ${abandonBefore})`;
    let ids: string[] = [];
    if (this.options.maxAgeMs !== undefined) {
      const cutoff = now - BigInt(this.options.maxAgeMs) * 1_000_000n;
      ids = await traceIds(
        c,
        `SELECT trace_id FROM execution_data WHERE start_ns < ${cutoff} AND ${deletable} ORDER BY start_ns LIMIT ${chunk}`,
      );
    }
    if (ids.length === 0 && this.options.maxBytes !== undefined && (await usedBytes(c)) > this.options.maxBytes) {
      ids = await traceIds(
        c,
        `SELECT trace_id FROM execution_data WHERE ${deletable} ORDER BY start_ns LIMIT ${chunk}`,
      );
      if (ids.length > 0) {
        await deleteExecutions(c, ids);
        await c.run('CHECKPOINT');
        return ids.length;
      }
    }
    return deleteExecutions(c, ids);
  }
}

async function traceIds(c: DuckDBConnection, sql: string): Promise<string[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJS().map((r) => String(r.trace_id));
}

/** Bytes in use by the database (blocks in use, plus the WAL). */
export async function usedBytes(c: DuckDBConnection): Promise<number> {
  const row = (await c.runAndReadAll(`SELECT * FROM pragma_database_size()`)).getRowObjectsJS()[0];
  if (!row) return 0;
  const blockSize = Number(row.block_size ?? 0);
  const used = Number(row.used_blocks ?? 0);
  return blockSize * used;
}
