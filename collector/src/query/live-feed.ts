/**
 * The live feed: turns each group commit into execution.* and span.* events with a
 * monotonic sequence number, keeps the last ones in a ring buffer so a client that
 * reconnects can catch up (`since` / Last-Event-ID), and fans them out to subscribers.
 */
import type { LiveEvent, LiveEventType } from '../api/wire-types.js';
import type { CommitNotice } from '../storage/index.js';
import { executionToWire, spanStatus, spanToWire } from './to-wire.js';

export type LiveListener = (event: LiveEvent) => void;

/**
 * An event as buffered: the wire form is built on first use, so a commit costs almost
 * nothing while nobody listens (converting every span to its wire form is not free).
 */
interface BufferedEvent {
  seq: number;
  traceId: string;
  build: () => LiveEvent;
  built?: LiveEvent;
}

function materialize(e: BufferedEvent): LiveEvent {
  e.built ??= e.build();
  return e.built;
}

export interface LiveFilter {
  traceId?: string;
}

const FAILED_STATUSES = new Set(['error', 'timed_out', 'cancelled']);

export class LiveFeed {
  private readonly buffer: BufferedEvent[] = [];
  private readonly listeners = new Set<{ filter: LiveFilter; listener: LiveListener }>();
  private seq = 0;

  constructor(private readonly capacity = 20_000) {}

  /** The newest sequence number handed out. */
  get lastSeq(): number {
    return this.seq;
  }

  /** The oldest sequence number still replayable. */
  get oldestSeq(): number {
    return this.buffer.length === 0 ? this.seq + 1 : this.buffer[0].seq;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Publishes the events of one commit. */
  publishCommit(notice: CommitNotice): void {
    if (notice.spans.length === 0 && notice.starts.length === 0) return;
    const executions = new Map(notice.executions.map((e) => [e.traceId, e]));
    for (const e of notice.executions) {
      if (e.created) this.emit('execution.started', e.traceId, null, () => ({ execution: executionToWire(e) }));
    }
    for (const start of notice.starts) {
      this.emit('span.started', start.traceId, start.spanId, () => ({ span: spanToWire(start) }));
    }
    for (const span of notice.spans) {
      const type: LiveEventType = FAILED_STATUSES.has(spanStatus(span)) ? 'span.failed' : 'span.completed';
      this.emit(type, span.traceId, span.spanId, () => ({ span: spanToWire(span) }));
    }
    for (const e of executions.values()) {
      if (!e.rootFinishedNow) continue;
      const type: LiveEventType = FAILED_STATUSES.has(e.status) ? 'execution.failed' : 'execution.completed';
      this.emit(type, e.traceId, e.rootSpanId, () => ({ execution: executionToWire(e) }));
    }
  }

  /** Events after `since` that match the filter; `complete` is false when some were already dropped. */
  replay(since: number, filter: LiveFilter): { events: LiveEvent[]; complete: boolean } {
    // A client ahead of the feed saw a previous run of the collector: it must resync too.
    const complete = since <= this.seq && (since + 1 >= this.oldestSeq || since === this.seq);
    const events = this.buffer.filter((e) => e.seq > since && matches(e, filter)).map(materialize);
    return { events, complete };
  }

  subscribe(filter: LiveFilter, listener: LiveListener): () => void {
    const entry = { filter, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  private emit(type: LiveEventType, traceId: string, spanId: string | null, payload: () => Partial<LiveEvent>): void {
    const seq = ++this.seq;
    const event: BufferedEvent = { seq, traceId, build: () => ({ seq, type, traceId, spanId, ...payload() }) };
    this.buffer.push(event);
    // Trim in steps so a full buffer does not shift 20k entries on every event.
    if (this.buffer.length > this.capacity * 1.25) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const { filter, listener } of this.listeners) {
      if (matches(event, filter)) listener(materialize(event));
    }
  }
}

function matches(event: { traceId: string }, filter: LiveFilter): boolean {
  return filter.traceId === undefined || event.traceId === filter.traceId;
}
