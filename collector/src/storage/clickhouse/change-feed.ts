/**
 * The change feed across collectors. Every commit of every collector adds one row to
 * change_feed (what its live events need: span summaries, the executions it touched, the
 * trace-bound lines cut short); every collector polls the table on an ingest watermark and
 * announces the commits of the others through the same onCommit path as its own, so live events
 * show what any collector stored.
 *
 * Invariants: a commit is announced once per collector (its own directly, another's once read
 * here: commit ids seen are remembered over the look-back window); the watermark is the server's
 * clock that stamped ingest_ns, read again with a look-back (`lagMs`) because an insert that
 * started earlier may become visible after a later one; a commit older than the look-back when it
 * becomes visible is missed (live events only: the data itself is stored). Polling never
 * overlaps itself; a failed poll is reported and retried on the next tick.
 */
import { randomUUID } from 'node:crypto';
import type { CommitNotice } from '../contract.js';
import type { ClickHouseConnection } from './connection.js';
import type { Tables } from './tables.js';
import { decodeNotice, encodeNotice } from './notice-codec.js';


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

  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables, private readonly options: ChangeFeedOptions = {}) {
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
    if (notice.spans.length === 0 && notice.starts.length === 0 && notice.logs.length === 0) return;
    await this.conn.insert(this.t.feed, [{ commit_id: randomUUID(), collector_id: this.collectorId, notice: encodeNotice(notice) }], this.t.insertSettings);
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
    const since = this.watermark - this.lagNs;
    const rows = await this.conn.query(
      `SELECT ingest_ns, commit_id, collector_id, notice FROM ${this.t.feed} WHERE ingest_ns > {since:Int64} ORDER BY ingest_ns, commit_id`,
      { since: since.toString() },
    );
    let announced = 0;
    for (const row of rows) {
      const at = BigInt(row.ingest_ns as string);
      if (at > this.watermark) this.watermark = at;
      const id = String(row.commit_id);
      if (this.seen.has(id)) continue;
      this.seen.set(id, at);
      if (row.collector_id === this.collectorId) continue;
      announced += 1;
      this.options.onNotice?.(decodeNotice(String(row.notice)));
    }
    const forgetBefore = this.watermark - 2n * this.lagNs;
    for (const [id, at] of this.seen) if (at < forgetBefore) this.seen.delete(id);
    return announced;
  }
}
