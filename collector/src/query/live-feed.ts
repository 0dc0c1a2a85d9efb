/**
 * The live feed: turns each group commit into execution.* and span.* events with a
 * monotonic sequence number, and keeps the newest ones in a replay buffer so that a client
 * that reconnects can catch up (`since` / Last-Event-ID) and a slow client can read at its
 * own pace (live-connection.ts pulls from here; nothing is queued per client).
 *
 * Invariants: the buffer holds span summaries, never rows (payloads), and at most `maxBytes`
 * of them (or the newest commit's, if more), oldest dropped first; the buffered sequence
 * numbers are consecutive. An event is serialized once, on its first read, to the SSE frame
 * every client gets (while nobody reads, a commit costs a copy of a few fields per span).
 *
 * Console lines become `log` events only for traces a stream watches (`watch`, called by the
 * routes for `traceId=` streams), with the body cut to LIVE_LOG_BODY_CHARS: a chatty service
 * nobody looks at takes no room in the buffer, and streams of everything never get them.
 */
import type { ExecutionSummary, LiveEvent, LiveEventType, LiveLog, NodeStatus } from '../api/wire-types.js';
import { spanStatusOf, type CommitNotice, type IngestLog } from '../storage/index.js';
import { executionToWire, isoOfNs, severityName, spanToLiveWire, type LiveSpanSource } from './to-wire.js';

/** Default cap of the replay buffer (--live-buffer-size). */
export const DEFAULT_LIVE_BUFFER_BYTES = 16 * 2 ** 20;
/** Default cap of open live streams (--max-live-clients). */
export const DEFAULT_MAX_LIVE_CLIENTS = 100;
/** Characters of a console line's body that a live event carries at most. */
export const LIVE_LOG_BODY_CHARS = 512;
/** What a buffered event costs besides its texts (the objects, ids, times, its slot). */
const EVENT_OVERHEAD_BYTES = 400;

/** The statuses whose end is a `.failed` event: the run did not do its work (conventions' names, typed so a renamed one fails to compile). */
const FAILED_STATUSES: ReadonlySet<string> = new Set(['error', 'timed_out', 'cancelled'] satisfies NodeStatus[]);

interface FeedEvent {
  seq: number;
  type: LiveEventType;
  traceId: string;
  spanId: string | null;
  /** Converted at once: it is small, and a running execution's duration is of now. */
  execution?: ExecutionSummary;
  /** Until the first read: the few fields of the span its summary needs. */
  span?: LiveSpanSource;
  /** Until the first read: the line as the event carries it. */
  log?: LiveLog;
  /** After the first read: `id:`, `event:` and `data:` lines, ready to write. */
  frame?: string;
  /** What the event is counted for in the buffer's bytes. */
  size: number;
}

export interface LiveFilter {
  traceId?: string;
}

/** What a reader gets: frames after its cursor, up to `upTo` (scanned, matching or not). */
export interface FeedRead {
  /** The frames, encoded once and shared by every reader at the same place; null when none matched. */
  chunk: Buffer | null;
  upTo: number;
  /** Events after the cursor were dropped from the buffer before this reader got them. */
  missed: boolean;
}

/** Counters for /metrics. */
export interface LiveStats {
  clients: number;
  refusedClients: number;
  droppedClients: number;
  events: number;
  serialized: number;
  bufferBytes: number;
  bufferEvents: number;
}

export interface LiveFeedOptions {
  maxBytes?: number;
  maxClients?: number;
}

export class LiveFeed {
  readonly maxBytes: number;
  readonly maxClients: number;
  /** Client counters kept by the routes, reported with the feed's. */
  readonly clientCounts = { open: 0, refused: 0, dropped: 0 };
  /** Buffered events are events[head..]; the array is compacted now and then, not on every drop. */
  private events: FeedEvent[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  /** The first sequence number of the newest commit. */
  private commitFirst = 1;
  private serialized = 0;
  private readonly listeners = new Set<() => void>();
  /** Reads of the current buffer by cursor and filter: clients at the same place share one chunk. */
  private readonly reads = new Map<string, FeedRead>();
  /** Trace ids some stream watches, with how many streams: their console lines become events. */
  private readonly watched = new Map<string, number>();

  constructor(options: LiveFeedOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_LIVE_BUFFER_BYTES;
    this.maxClients = options.maxClients ?? DEFAULT_MAX_LIVE_CLIENTS;
  }

  /** The newest sequence number handed out. */
  get lastSeq(): number {
    return this.seq;
  }

  /** The oldest sequence number still replayable. */
  get oldestSeq(): number {
    return this.head < this.events.length ? this.events[this.head].seq : this.seq + 1;
  }

  get stats(): LiveStats {
    const c = this.clientCounts;
    return {
      clients: c.open, refusedClients: c.refused, droppedClients: c.dropped,
      events: this.seq, serialized: this.serialized, bufferBytes: this.bytes, bufferEvents: this.events.length - this.head,
    };
  }

  /** Console lines of `traceId` become live events until the returned function is called. */
  watch(traceId: string): () => void {
    this.watched.set(traceId, (this.watched.get(traceId) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.watched.get(traceId) ?? 1) - 1;
      if (n <= 0) this.watched.delete(traceId);
      else this.watched.set(traceId, n);
    };
  }

  /** Publishes the events of one commit, then tells each listener once. */
  publishCommit(notice: CommitNotice): void {
    const lines = this.watched.size === 0 ? [] : (notice.logs ?? []).filter((l) => l.traceId !== '' && this.watched.has(l.traceId));
    if (notice.spans.length === 0 && notice.starts.length === 0 && lines.length === 0) return;
    this.commitFirst = this.seq + 1;
    for (const e of notice.executions) {
      if (e.created) this.execution('execution.started', e.traceId, null, executionToWire(e));
    }
    for (const start of notice.starts) this.span('span.started', start);
    for (const span of notice.spans) this.span(FAILED_STATUSES.has(spanStatusOf(span)) ? 'span.failed' : 'span.completed', span);
    for (const line of lines.sort((a, b) => (a.timeUnixNano < b.timeUnixNano ? -1 : a.timeUnixNano > b.timeUnixNano ? 1 : 0))) this.line(line);
    for (const e of notice.executions) {
      if (!e.rootFinishedNow) continue;
      const type: LiveEventType = FAILED_STATUSES.has(e.status) ? 'execution.failed' : 'execution.completed';
      this.execution(type, e.traceId, e.rootSpanId, executionToWire(e));
    }
    this.trim();
    this.reads.clear();
    for (const listener of this.listeners) listener();
  }

  /**
   * The frames after `since` that match the filter, about `maxBytes` of them at most (at least
   * one), as one chunk shared with every other reader asking the same until the next commit.
   */
  read(since: number, filter: LiveFilter, maxBytes: number): FeedRead {
    const key = `${since}:${filter.traceId ?? ''}:${maxBytes}`;
    const cached = this.reads.get(key);
    if (cached) return cached;
    const oldest = this.oldestSeq;
    const missed = since + 1 < oldest;
    const frames: string[] = [];
    let size = 0;
    let at = Math.min(this.events.length, this.head + Math.max(0, since + 1 - oldest));
    for (; at < this.events.length && size < maxBytes; at++) {
      const e = this.events[at];
      if (filter.traceId === undefined ? e.type === 'log' : e.traceId !== filter.traceId) continue;
      const frame = this.frameOf(e);
      frames.push(frame);
      size += frame.length;
    }
    const upTo = Math.max(since, at > this.head ? this.events[at - 1].seq : oldest - 1);
    // Frames are larger than the fields they were made of: keep to the cap with them too.
    if (frames.length > 0) this.trim();
    const result: FeedRead = { chunk: frames.length > 0 ? Buffer.from(frames.join('')) : null, upTo, missed };
    // Many cursors means many slow readers; do not keep a chunk for each.
    if (this.reads.size >= 64) this.reads.clear();
    this.reads.set(key, result);
    return result;
  }

  /** Calls `listener` after each commit that published events; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private execution(type: LiveEventType, traceId: string, spanId: string | null, execution: ExecutionSummary): void {
    const size = EVENT_OVERHEAD_BYTES + textLength(execution.flowName, execution.serviceName, execution.errorMessage, execution.userId);
    this.push({ seq: ++this.seq, type, traceId, spanId, execution, size });
  }

  /** Keeps a copy of the span's summary fields only, so the row (and its payloads) can go. */
  private span(type: LiveEventType, s: LiveSpanSource): void {
    const span: LiveSpanSource = {
      traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, serviceName: s.serviceName, kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano, endTimeUnixNano: s.endTimeUnixNano, statusCode: s.statusCode, statusMessage: s.statusMessage,
      flowStatus: s.flowStatus, nodeId: s.nodeId, nodeName: s.nodeName, nodeType: s.nodeType, nodeIndex: s.nodeIndex,
    };
    const size = EVENT_OVERHEAD_BYTES + textLength(s.name, s.serviceName, s.statusMessage, s.flowStatus, s.nodeId, s.nodeName, s.nodeType);
    this.push({ seq: ++this.seq, type, traceId: s.traceId, spanId: s.spanId, span, size });
  }

  /** A console line of a watched trace, its body cut. */
  private line(l: IngestLog): void {
    let end = Math.min(l.body.length, LIVE_LOG_BODY_CHARS);
    // Never cut between the two halves of a surrogate pair.
    if (end < l.body.length && end > 0 && /[\uD800-\uDBFF]/.test(l.body[end - 1])) end -= 1;
    const log: LiveLog = {
      time: isoOfNs(l.timeUnixNano), timeUnixNano: l.timeUnixNano.toString(),
      severity: severityName(l.severityNumber, l.severityText), severityNumber: l.severityNumber,
      body: l.body.slice(0, end), truncated: end < l.body.length,
    };
    const size = EVENT_OVERHEAD_BYTES + log.body.length + log.severity.length;
    this.push({ seq: ++this.seq, type: 'log', traceId: l.traceId, spanId: l.spanId === '' ? null : l.spanId, log, size });
  }

  private push(event: FeedEvent): void {
    this.events.push(event);
    this.bytes += event.size;
  }

  /** The event's frame, serialized on its first read and kept (in place of the span fields). */
  private frameOf(e: FeedEvent): string {
    if (e.frame !== undefined) return e.frame;
    const event: LiveEvent = { seq: e.seq, type: e.type, traceId: e.traceId, spanId: e.spanId };
    if (e.execution) event.execution = e.execution;
    if (e.span) event.span = spanToLiveWire(e.span);
    if (e.log) event.log = e.log;
    e.frame = `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(event)}\n\n`;
    e.execution = e.span = e.log = undefined;
    this.serialized += 1;
    // Counted as its frame from now on (a frame is larger than the fields it was made of).
    const size = EVENT_OVERHEAD_BYTES + e.frame.length;
    this.bytes += size - e.size;
    e.size = size;
    return e.frame;
  }

  /**
   * Drops the oldest events past the byte cap, but never those of the newest commit: a commit
   * larger than the cap must still reach the clients that keep up.
   */
  private trim(): void {
    while (this.bytes > this.maxBytes && this.head < this.events.length && this.events[this.head].seq < this.commitFirst) {
      this.bytes -= this.events[this.head].size;
      this.head += 1;
    }
    // Compact once the dropped part is the larger one: amortized O(1) per event.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}

/** Characters of the texts (what they add to an event besides its fixed fields). */
function textLength(...texts: Array<string | null>): number {
  let n = 0;
  for (const t of texts) n += t === null ? 0 : t.length;
  return n;
}
