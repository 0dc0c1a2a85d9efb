/**
 * Where a control request goes. An instance connected to this collector is reached through its
 * hub; on a storage that many collectors share (ClickHouse: Storage.controlRelay), an instance
 * connected to another collector is reached through the relay, which carries the request to the
 * collector holding it and the answer back. Without a relay (DuckDB, one process) the router is
 * the hub alone, as before.
 *
 * Invariants: an instance connected here is always asked here (never through the relay), and
 * listed once, with this collector's view of it; a relayed request waits for its answer no longer
 * than a local one (the hub's answer timeout) and comes back as the same answer kinds (answered,
 * lost, timeout), so callers map it exactly as a local one. An instance's report reaches the hub
 * holding it: here directly, else forwarded through the relay (a load balancer may send the
 * report to a collector other than the one holding its stream). While the router serves, the relay
 * publishes what this hub holds and delivers requests addressed to it through the hub; stop()
 * closes the hub's connections first, so the relay's last beat withdraws them all.
 */
import type { Storage } from '../storage/index.js';
import type { AnnouncedFlow, ControlHub, InstanceAnswer, InstanceInfo } from './hub.js';

type Relay = NonNullable<Storage['controlRelay']>;

/** What an instance posts to /v1/control/report, its flows as the hub keeps them. */
export interface InstanceReport {
  flows?: AnnouncedFlow[];
  replies?: Array<{ id: string; outcome: string; message?: string; traceId?: string }>;
}

export class ControlRouter {
  private stopping: Promise<void> | undefined;

  constructor(private readonly hub: ControlHub, private readonly relay: Relay | undefined, private readonly onError: (error: unknown) => void) {}

  /** Starts publishing this hub's instances and serving requests relayed to them. */
  start(): void {
    const relay = this.relay;
    if (!relay) return;
    relay.serve({
      held: () => this.hub.instances(),
      deliver: (instanceId, requestId, payload, timeoutMs) => this.hub.request(instanceId, requestId, payload, timeoutMs),
      report: (instanceId, report) => void this.report(instanceId, report),
      onError: this.onError,
    });
    this.hub.onChange(() => relay.changed());
  }

  /** Connected instances here and at every other collector, all or of one service. */
  async instances(service?: string): Promise<InstanceInfo[]> {
    const local = this.hub.instances(service);
    if (!this.relay) return local;
    const here = new Set(local.map((i) => i.instanceId));
    const remote = await this.relay.remoteInstances(service);
    return [...local, ...remote.filter((i) => !here.has(i.instanceId))];
  }

  /** Sends a request to an instance wherever it is connected and waits for what it comes to. */
  request(instanceId: string, requestId: string, payload: Record<string, unknown>): Promise<InstanceAnswer> {
    if (!this.relay || this.hub.holds(instanceId)) return this.hub.request(instanceId, requestId, payload);
    return this.relay.request(instanceId, requestId, payload, this.hub.answerTimeoutMs);
  }

  /**
   * Applies an instance's report where its stream is: to this hub when it holds the instance (false
   * when the hub refuses a part of it), else forwarded to the collector that does (false when none does).
   */
  async report(instanceId: string, report: InstanceReport): Promise<boolean> {
    if (this.hub.holds(instanceId) || !this.relay) {
      if (report.flows !== undefined && !this.hub.announce(instanceId, report.flows)) return false;
      for (const r of report.replies ?? []) {
        if (!this.hub.answer(instanceId, r.id, { outcome: r.outcome, message: r.message, traceId: r.traceId })) return false;
      }
      return true;
    }
    return this.relay.forward(instanceId, report);
  }

  /** Closes this hub's connections and stops the relay (idempotent). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.hub.closeAll();
      await this.relay?.stop();
    })();
    return this.stopping;
  }
}
