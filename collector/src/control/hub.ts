/**
 * The control hub: the service instances connected for control (each holds one Server-Sent
 * Events stream open, see service-routes.ts), what flows each announced, and the requests
 * sent to them waiting for their answer.
 *
 * Invariants: a request is only ever sent to an instance that is connected now; every request
 * is settled exactly once — by the instance's answer, by its connection closing (`lost`), or
 * by the answer timeout (`timeout`) — so no caller waits forever; an instance that connects
 * again under the same id replaces its old connection (whose requests are then lost). Whoever
 * watches (router.ts, for the relay across collectors) hears of every connect, leave and announce.
 */

/** A flow as an instance announced it. */
export interface AnnouncedFlow {
  id: string;
  name: string;
  version?: string;
  cancel: boolean;
  replay: boolean;
}

/** A connected instance, as GET /api/control shows it. */
export interface InstanceInfo {
  service: string;
  instanceId: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  flows: AnnouncedFlow[];
}

/** What a request sent to an instance came to. */
export type InstanceAnswer =
  | { kind: 'answered'; outcome: string; message?: string; traceId?: string }
  | { kind: 'lost' }
  | { kind: 'timeout' };

/** Where a connection's events go (the SSE response). */
export interface EventSink {
  write(text: string): void;
  end(): void;
}

interface Connection {
  info: InstanceInfo;
  sink: EventSink;
  pending: Map<string, (answer: InstanceAnswer) => void>;
}

export interface HubOptions {
  /** How long a request waits for the instance's answer; default 10 s. */
  answerTimeoutMs?: number;
}

const CANCELLED_KEPT = 10_000;

export class ControlHub {
  private readonly connections = new Map<string, Connection>();
  /** How long a request waits for the instance's answer unless told otherwise. */
  readonly answerTimeoutMs: number;
  private readonly watchers: Array<() => void> = [];
  /** Executions cancelled through this hub lately (the control log keeps them for good). */
  private readonly cancelled = new Set<string>();

  constructor(options: HubOptions = {}) {
    this.answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
  }

  /** Calls `watcher` after every change of the connected instances or of what they announced. */
  onChange(watcher: () => void): void {
    this.watchers.push(watcher);
  }

  /** Registers a connection; a previous one of the same instance is closed. */
  connect(info: InstanceInfo, sink: EventSink): void {
    const previous = this.connections.get(info.instanceId);
    if (previous) this.disconnect(info.instanceId, previous.sink);
    this.connections.set(info.instanceId, { info, sink, pending: new Map() });
    this.changed();
  }

  /** Forgets a connection (when `sink` is still its sink) and settles its requests as lost. */
  disconnect(instanceId: string, sink: EventSink): void {
    const connection = this.connections.get(instanceId);
    if (!connection || connection.sink !== sink) return;
    this.connections.delete(instanceId);
    for (const settle of connection.pending.values()) settle({ kind: 'lost' });
    connection.pending.clear();
    try {
      sink.end();
    } catch {
      // already closed
    }
    this.changed();
  }

  /** Replaces what an instance announced; false when it is not connected. */
  announce(instanceId: string, flows: AnnouncedFlow[]): boolean {
    const connection = this.connections.get(instanceId);
    if (!connection) return false;
    connection.info.flows = flows;
    this.changed();
    return true;
  }

  /** Settles a request with the instance's answer; false when the instance is not connected. */
  answer(instanceId: string, requestId: string, answer: { outcome: string; message?: string; traceId?: string }): boolean {
    const connection = this.connections.get(instanceId);
    if (!connection) return false;
    connection.pending.get(requestId)?.({ kind: 'answered', ...answer });
    return true;
  }

  /** Whether the instance holds a connection to this hub now. */
  holds(instanceId: string): boolean {
    return this.connections.has(instanceId);
  }

  /** Connected instances, all or of one service. */
  instances(service?: string): InstanceInfo[] {
    const all = [...this.connections.values()].map((c) => c.info);
    return service === undefined ? all : all.filter((i) => i.service === service);
  }

  /** Sends a request to a connected instance and waits for what it comes to (up to `timeoutMs`, by default the hub's answer timeout). */
  request(instanceId: string, requestId: string, payload: Record<string, unknown>, timeoutMs = this.answerTimeoutMs): Promise<InstanceAnswer> {
    const connection = this.connections.get(instanceId);
    if (!connection) return Promise.resolve({ kind: 'lost' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
      const settle = (answer: InstanceAnswer): void => {
        clearTimeout(timer);
        connection.pending.delete(requestId);
        resolve(answer);
      };
      connection.pending.set(requestId, settle);
      try {
        connection.sink.write(`event: request\ndata: ${JSON.stringify({ id: requestId, ...payload })}\n\n`);
      } catch {
        this.disconnect(instanceId, connection.sink);
      }
    });
  }

  /** Notes a carried-out cancel, so a second one is a no-op. */
  noteCancelled(traceId: string): void {
    this.cancelled.add(traceId);
    if (this.cancelled.size > CANCELLED_KEPT) this.cancelled.delete(this.cancelled.values().next().value as string);
  }

  wasCancelled(traceId: string): boolean {
    return this.cancelled.has(traceId);
  }

  /** Writes a keep-alive comment on every connection. */
  ping(): void {
    for (const c of this.connections.values()) {
      try {
        c.sink.write(': ping\n\n');
      } catch {
        this.disconnect(c.info.instanceId, c.sink);
      }
    }
  }

  private changed(): void {
    for (const watcher of this.watchers) watcher();
  }

  /** Closes every connection (the collector is stopping): their requests are lost. */
  closeAll(): void {
    for (const c of [...this.connections.values()]) this.disconnect(c.info.instanceId, c.sink);
  }
}
