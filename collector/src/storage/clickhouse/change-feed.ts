/**
 * The change feed across collectors. Every commit of every collector adds one row to
 * change_feed naming what it stored (feed-rows.ts: ids, not the spans); every collector polls the
 * table on an ingest watermark and announces the commits of the others, read back from the
 * tables, through the same onCommit path as its own, so live events show what any collector stored.
 *
 * Invariants: a commit is announced once per collector (its own directly and never read back:
 * the poll leaves out its collector id; another's once read here: commit ids announced are
 * remembered over the look-back window and left out of the next polls); the watermark is the
 * server's clock, the one that stamps ingest_ns, read at each poll, and each poll looks back
 * `lagMs` before the previous one because an insert that started earlier may become visible after
 * a later one; a commit older than the look-back when it becomes visible is missed (live events
 * only: the data itself is stored). Polling never overlaps itself; a failed poll is reported and
 * its commits are announced by the next one.
 */
import { randomUUID } from 'node:crypto';
import type { CommitNotice } from '../contract.js';
import type { ClickHouseConnection } from './connection.js';
import { FEED_COLUMNS, feedRow, noticesOf, type ExecutionLookup } from './feed-rows.js';
import type { Tables } from './tables.js';

export interface ChangeFeedOptions {
  /** Milliseconds between polls (default 1000); 0: never poll on a timer (tests call pollOnce). */
  pollMs?: number;
  /** How far behind the watermark each poll looks again (default 10 s). */
  lagMs?: number;
  onNotice?: (notice: CommitNotice) => void;
  onError?: (error: unknown) => void;
}

export class ChangeFeed {
  /** This collector's id: its own rows are skipped when polling. */
  readonly collectorId = randomUUID();
  private watermark: bigint | undefined;
  private readonly seen = new Map<string, bigint>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<number> | undefined;
  private closed = false;
  private readonly lagNs: bigint;

  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly t: Tables,
    private readonly executions: ExecutionLookup,
    private readonly options: ChangeFeedOptions = {},
  ) {
    this.lagNs = BigInt(options.lagMs ?? 10_000) * 1_000_000n;
  }

  /** Reads the server's clock as the first watermark (history is not replayed) and starts polling. */
  async start(): Promise<void> {
    const [row] = await this.conn.query('SELECT toUnixTimestamp64Nano(now64(9)) AS now');
    this.watermark = BigInt(row.now as string);
    const every = this.options.pollMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => void this.pollOnce().catch((error: unknown) => this.options.onError?.(error)), every);
      this.timer.unref();
    }
  }

  /** Adds this collector's commit to the feed (after its rows are stored). */
  async publish(notice: CommitNotice): Promise<void> {
    const row = feedRow(randomUUID(), this.collectorId, notice);
    if (row !== undefined) await this.conn.insertArrays(this.t.feed, FEED_COLUMNS, [row], this.t.insertSettings);
  }

  /** Announces the commits of other collectors stored since the last poll; resolves with how many. */
  pollOnce(): Promise<number> {
    this.polling ??= this.poll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling?.catch(() => undefined);
  }

  private async poll(): Promise<number> {
    if (this.closed || this.watermark === undefined) return 0;
    const [clock] = await this.conn.query('SELECT toUnixTimestamp64Nano(now64(9)) AS now');
    const since = this.watermark - this.lagNs;
    const rows = await this.conn.query(
      `SELECT ingest_ns, commit_id, trace_ids, trace_flags, spans, starts, lines, log_count, metric_point_count FROM ${this.t.feed}
       WHERE ingest_ns > {since:Int64} AND collector_id != {me:String} AND commit_id NOT IN {seen:Array(String)}
       ORDER BY ingest_ns, commit_id`,
      { since: since.toString(), me: this.collectorId, seen: [...this.seen.keys()] },
    );
    const notices = rows.length === 0 ? [] : await noticesOf(this.conn, this.t, this.executions, rows);
    rows.forEach((row, i) => {
      this.seen.set(String(row.commit_id), BigInt(row.ingest_ns as string));
      this.options.onNotice?.(notices[i]);
    });
    const now = BigInt(clock.now as string);
    if (now > this.watermark) this.watermark = now;
    const forgetBefore = this.watermark - 2n * this.lagNs;
    for (const [id, at] of this.seen) if (at < forgetBefore) this.seen.delete(id);
    return rows.length;
  }
}
