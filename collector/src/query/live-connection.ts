/**
 * One live stream: a cursor into the feed's buffer and a pump that writes what follows the
 * cursor whenever the socket can take more. Nothing is queued per client: the buffer is
 * shared, and a chunk is written only once the previous one drained, so what a client holds
 * in the collector is at most one chunk (shared with the clients at the same place) plus the
 * socket's high-water mark, however slowly it reads.
 *
 * A client that falls behind is dropped, its connection reset so its buffers go at once: when
 * its cursor falls out of the buffer (it could never get those events), or when its socket has
 * not drained for STALL_MS. EventSource reconnects with Last-Event-ID and catches up from the
 * buffer, or gets `resync` (then the viewer refetches what it shows).
 */
import type { ServerResponse } from 'node:http';
import type { LiveFeed, LiveFilter } from './live-feed.js';

/** Bytes of frames per write at most. */
const CHUNK_BYTES = 256 * 1024;
/** A client whose socket has not drained this long is dropped (checked at heartbeats). */
const STALL_MS = 30_000;
const HEARTBEAT_MS = 15_000;

export class LiveConnection {
  private waiting = false;
  private stalledSince = 0;
  private closed = false;
  private unsubscribe: () => void = () => {};
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  /**
   * A stream of what follows `cursor` (the last sequence number the client has). `onClose` is
   * called once, with whether the collector dropped the client.
   */
  constructor(
    private readonly raw: ServerResponse,
    private readonly feed: LiveFeed,
    private readonly filter: LiveFilter,
    private cursor: number,
    private readonly onClose: (dropped: boolean) => void,
  ) {}

  /** Writes what the buffer holds after the cursor, then each commit's events as they come. */
  start(): void {
    this.raw.on('drain', () => {
      this.waiting = false;
      this.pump();
    });
    this.raw.on('close', () => this.finish(false));
    this.raw.on('error', () => this.finish(false));
    this.unsubscribe = this.feed.subscribe(() => this.pump());
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.pump();
  }

  /** Ends the stream (the collector is stopping). */
  end(): void {
    this.raw.end();
    this.finish(false);
  }

  private pump(): void {
    // Checked while waiting for a drain too: a client that stopped reading is dropped as soon
    // as the buffer has moved past it, not when (if ever) it reads again.
    if (this.cursor + 1 < this.feed.oldestSeq) return this.drop();
    while (!this.closed && !this.waiting) {
      const read = this.feed.read(this.cursor, this.filter, CHUNK_BYTES);
      if (read.missed) return this.drop();
      this.cursor = read.upTo;
      if (read.chunk === null) return;
      this.write(read.chunk);
    }
  }

  private write(data: Buffer | string): void {
    if (this.raw.write(data)) return;
    this.waiting = true;
    this.stalledSince = Date.now();
  }

  private beat(): void {
    if (this.closed) return;
    if (!this.waiting) this.write(`: heartbeat ${this.feed.lastSeq}\n\n`);
    else if (Date.now() - this.stalledSince > STALL_MS) this.drop();
  }

  /** Resets the connection: a client that cannot keep up gives its memory back at once. */
  private drop(): void {
    if (this.closed) return;
    this.finish(true);
    const socket = this.raw.socket;
    if (socket && !socket.destroyed) socket.resetAndDestroy();
    else this.raw.destroy();
  }

  private finish(dropped: boolean): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.unsubscribe();
    this.onClose(dropped);
  }
}
