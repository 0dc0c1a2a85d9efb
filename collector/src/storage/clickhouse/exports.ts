/**
 * Parquet exports on ClickHouse (the contract's ExportStore): ClickHouse writes the view
 * (views-sql.ts) over a time range as Parquet itself (`FORMAT Parquet`), rows never cross into
 * JavaScript as values; the bytes arrive as one stream. One export per kind at a time
 * (FT_EXPORT_BUSY), FT_SHUTTING_DOWN once closing; a signal (the client went away) cancels it.
 */
import { Readable } from 'node:stream';
import { errors } from '../../errors.js';
import type { ExportKind, ExportRange, ParquetExport } from '../export.js';
import type { ClickHouseConnection, Params } from './connection.js';
import type { Tables } from './tables.js';
import { VIEW_TIME_COLUMN, viewSql } from './views-sql.js';

export class ClickHouseExports {
  private readonly running = new Set<ExportKind>();
  private closed = false;
  /** Where files would be written: this engine writes none (the bytes come from ClickHouse). */
  readonly directory = '';

  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables, private readonly abandonAfterNs: () => string) {}

  async export(kind: ExportKind, range: ExportRange, signal?: AbortSignal): Promise<ParquetExport> {
    if (this.closed) throw errors.FT_SHUTTING_DOWN();
    if (this.running.has(kind)) throw errors.FT_EXPORT_BUSY(`${kind} is being exported`);
    this.running.add(kind);
    try {
      const column = VIEW_TIME_COLUMN[kind];
      const where: string[] = [];
      const params: Params = { abandon_after_ns: this.abandonAfterNs() };
      if (range.fromNs !== undefined) {
        where.push(`${column} >= {from_ns:Int64}`);
        params.from_ns = range.fromNs.toString();
      }
      if (range.toNs !== undefined) {
        where.push(`${column} <= {to_ns:Int64}`);
        params.to_ns = range.toNs.toString();
      }
      const select = `SELECT * FROM (${viewSql(this.t, kind)})${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
      const [count] = await this.conn.query(`SELECT count() AS n FROM (${select})`, params, {}, signal);
      const bytes = await this.conn.bytes(`${select} SETTINGS output_format_parquet_compression_method = 'zstd' FORMAT Parquet`, params, signal);
      if (this.closed) throw errors.FT_SHUTTING_DOWN();
      return { rows: Number(count?.n ?? 0), bytes: bytes.length, stream: Readable.from([bytes]) };
    } finally {
      this.running.delete(kind);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
