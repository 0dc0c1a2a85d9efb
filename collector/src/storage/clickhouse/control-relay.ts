/**
 * The control relay on ClickHouse (the contract's ControlRelay): stateless collectors behind a
 * load balancer share control of runs through two tables (control-relay-schema.ts). A collector
 * beats for the instances it holds (control_instances) every `heartbeatMs` and at once when one
 * connects, announces or leaves; a request for an instance held elsewhere is a row in the holder's
 * mailbox (control_mailbox), which the holder reads every `pollMs`, delivers through its own hub
 * and answers with a row in the requester's mailbox, read the same way. An instance's report
 * (its answers, flows defined later) that a load balancer sent to another collector is carried
 * to the holder's mailbox the same way, so its answer reaches the hub that waits for it.
 *
 * Invariants:
 * - Fresh means the server's clock: an instance is listed while its collector's latest row for it
 *   says held and is younger than `goneAfterMs`; one let go is withdrawn by a row at once, one whose
 *   collector crashed leaves every list when its beats run out.
 * - A request (and a report) is delivered at most once: only its addressee reads it (the mailbox is keyed by
 *   collector id, new for every process), ids read are remembered longer than the look-back that
 *   could show them again, and a request older than its answer timeout is never delivered (its
 *   requester has answered no_answer already).
 * - A request is settled exactly once on the requesting side: by the first answer read, by its
 *   timer (`timeout`, as the hub's), or as lost when the relay stops; later answers are ignored.
 *   The holder writes one answer per delivered request: the hub's (answered, lost or timeout).
 * - Polls and beats never overlap themselves; a failed one is reported and the next one retries.
 *   A collector reads its mailbox only while it waits for answers or holds instances (and for twice
 *   the window after its last one left), and beats only while it holds instances (or has one to
 *   withdraw). Each read looks back `lookbackMs` on the server's clock, because an insert stamped
 *   earlier may become visible after a later one; ids already read are left out.
 */
import { randomUUID } from 'node:crypto';
import type { ControlAnswerRecord, ControlInstanceRecord, ControlRelay, ControlRelayHost, ControlReportRecord } from '../contract.js';
import type { ClickHouseConnection, Row } from './connection.js';
import {
  answerOf, heldInstancesSql, heldRow, INSTANCE_COLUMNS, instanceOf, MAILBOX_COLUMNS, mailboxSql, messageRow, relayTables, releasedRow,
  type MessageKind, type RelayTables,
} from './control-relay-sql.js';
import type { Tables } from './tables.js';

export interface ControlRelayOptions {
  /** Milliseconds between beats of the held instances (default 1000). */
  heartbeatMs?: number;
  /** An instance not beaten for this long is gone (default 5000). */
  goneAfterMs?: number;
  /** Milliseconds between reads of the mailbox (default 200). */
  pollMs?: number;
  /** How far back each read of the mailbox looks (default 60 s): an insert may become visible after a later one. */
  lookbackMs?: number;
}

const ns = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

export class ClickHouseControlRelay implements ControlRelay {
  /** This collector's address in the mailbox and in control_instances (new for every process). */
  readonly collectorId = randomUUID();
  private readonly tables: RelayTables;
  private readonly heartbeatMs: number;
  private readonly goneAfterMs: number;
  private readonly pollMs: number;
  private readonly lookbackMs: number;
  private host: ControlRelayHost | undefined;
  /** Instances whose latest row this collector wrote says held. */
  private published = new Set<string>();
  private readonly pending = new Map<string, (answer: ControlAnswerRecord) => void>();
  /** `kind:id` of messages read, with when (local ms), kept for twice the look-back. */
  private readonly seen = new Map<string, number>();
  private readonly delivering = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private beating: Promise<void> | undefined;
  private beatAgain = false;
  private polling: Promise<void> | undefined;
  /** When (local ms) this collector last held an instance: it reads its mailbox a while longer. */
  private lastHeldAt = 0;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables, options: ControlRelayOptions = {}) {
    this.tables = relayTables(t);
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.goneAfterMs = options.goneAfterMs ?? 5_000;
    this.pollMs = options.pollMs ?? 200;
    this.lookbackMs = options.lookbackMs ?? 60_000;
  }

  serve(host: ControlRelayHost): void {
    if (this.host !== undefined || this.stopped) return;
    this.host = host;
    const beat = setInterval(() => void this.beat(), this.heartbeatMs);
    const poll = setInterval(() => void this.poll(), this.pollMs);
    beat.unref();
    poll.unref();
    this.timers = [beat, poll];
    void this.beat();
  }

  changed(): void {
    if (this.host !== undefined && !this.stopped) void this.beat();
  }

  async remoteInstances(service?: string): Promise<ControlInstanceRecord[]> {
    const rows = await this.held(service === undefined ? {} : { service });
    return rows.map(({ holder: _holder, ...record }) => record);
  }

  request(instanceId: string, requestId: string, payload: Record<string, unknown>, timeoutMs: number): Promise<ControlAnswerRecord> {
    if (this.stopped) return Promise.resolve({ kind: 'lost' });
    return new Promise((resolve, reject) => {
      // The timer runs from the start: a slow database counts against the answer timeout too.
      const timer = setTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
      const waiting = (): boolean => this.pending.get(requestId) === settle;
      const settle = (answer: ControlAnswerRecord): void => {
        if (!waiting()) return;
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve(answer);
      };
      this.pending.set(requestId, settle);
      void (async () => {
        const [holder] = await this.held({ instance: instanceId });
        if (holder === undefined) return settle({ kind: 'lost' });
        if (waiting()) await this.send(holder.holder, requestId, 'request', instanceId, timeoutMs, payload);
      })().catch((error: unknown) => {
        if (!waiting()) return;
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(error);
      });
    });
  }

  async forward(instanceId: string, report: ControlReportRecord): Promise<boolean> {
    if (this.stopped) return false;
    const [holder] = await this.held({ instance: instanceId });
    if (holder === undefined) return false;
    await this.send(holder.holder, randomUUID(), 'report', instanceId, 0, report);
    return true;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      for (const timer of this.timers) clearInterval(timer);
      await this.polling;
      await this.beating;
      // Whatever was held here is held no more: one row lets every instance go at once.
      if (this.published.size > 0) await this.writeBeat().catch((error: unknown) => this.host?.onError(error));
      for (const settle of [...this.pending.values()]) settle({ kind: 'lost' });
      await Promise.allSettled([...this.delivering]);
    })();
    return this.stopping;
  }

  private async held(by: { service?: string; instance?: string }): Promise<Array<ControlInstanceRecord & { holder: string }>> {
    const kind = by.instance !== undefined ? 'instance' : by.service !== undefined ? 'service' : 'all';
    const rows = await this.conn.query(heldInstancesSql(this.tables.instances, kind), {
      me: this.collectorId, window: ns(this.goneAfterMs), ...by,
    });
    return rows.map(instanceOf);
  }

  /** Beats now, or once more after the beat in flight (so a change is never left unpublished). */
  private beat(): Promise<void> {
    if (this.beating) {
      this.beatAgain = true;
      return this.beating;
    }
    this.beating = (async () => {
      do {
        this.beatAgain = false;
        await this.writeBeat().catch((error: unknown) => this.host?.onError(error));
      } while (this.beatAgain && !this.stopped);
    })().finally(() => (this.beating = undefined));
    return this.beating;
  }

  /** One row per held instance, and one per instance let go since the last beat. */
  private async writeBeat(): Promise<void> {
    const held = this.stopped ? [] : (this.host?.held() ?? []);
    const ids = new Set(held.map((i) => i.instanceId));
    const released = [...this.published].filter((id) => !ids.has(id));
    if (held.length === 0 && released.length === 0) return;
    const rows = [...held.map((i) => heldRow(this.collectorId, i)), ...released.map((id) => releasedRow(this.collectorId, id))];
    await this.conn.insertArrays(this.tables.instances, INSTANCE_COLUMNS, rows, this.t.insertSettings);
    this.published = ids;
  }

  private poll(): Promise<void> {
    if (this.stopped || this.polling) return this.polling ?? Promise.resolve();
    const now = Date.now();
    if ((this.host?.held().length ?? 0) > 0) this.lastHeldAt = now;
    // A request sent while others still listed an instance that just left is read and answered lost, not left to time out.
    if (this.pending.size === 0 && now - this.lastHeldAt > 2 * this.goneAfterMs) return Promise.resolve();
    this.polling = this.readMailbox().catch((error: unknown) => this.host?.onError(error)).finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async readMailbox(): Promise<void> {
    const rows = await this.conn.query(mailboxSql(this.tables.mailbox), { me: this.collectorId, lookback: ns(this.lookbackMs), seen: [...this.seen.keys()] });
    const now = Date.now();
    for (const row of rows) {
      const key = `${String(row.kind)}:${String(row.message_id)}`;
      if (this.seen.has(key)) continue;
      this.seen.set(key, now);
      if (row.kind === 'answer') this.pending.get(String(row.message_id))?.(answerOf(String(row.body)));
      else if (row.kind === 'request') this.deliver(row);
      else if (row.kind === 'report') this.applyReport(row);
    }
    for (const [key, at] of this.seen) if (now - at > 2 * this.lookbackMs) this.seen.delete(key);
  }

  /** Delivers a request through the host and writes its answer to the requester (in the background). */
  private deliver(row: Row): void {
    const host = this.host;
    const remainingMs = Number(row.timeout_ms) - Number(row.age_ms);
    if (host === undefined || this.stopped || !(remainingMs > 0)) return;
    const id = String(row.message_id);
    const instanceId = String(row.instance_id);
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(String(row.body)) as Record<string, unknown>;
    } catch (error) {
      host.onError(error);
      return;
    }
    const task = (async () => {
      const answer = await host.deliver(instanceId, id, payload, remainingMs).catch((): ControlAnswerRecord => ({ kind: 'lost' }));
      await this.send(String(row.from_collector), id, 'answer', instanceId, 0, answer);
    })().catch((error: unknown) => host.onError(error)).finally(() => this.delivering.delete(task));
    this.delivering.add(task);
  }

  /** Hands a report forwarded by another collector to the host (its hub answers and announces). */
  private applyReport(row: Row): void {
    const host = this.host;
    if (host === undefined || this.stopped) return;
    try {
      host.report(String(row.instance_id), JSON.parse(String(row.body)) as ControlReportRecord);
    } catch (error) {
      host.onError(error);
    }
  }

  private send(to: string, id: string, kind: MessageKind, instanceId: string, timeoutMs: number, body: unknown): Promise<void> {
    return this.conn.insertArrays(this.tables.mailbox, MAILBOX_COLUMNS, [messageRow(to, id, kind, this.collectorId, instanceId, timeoutMs, body)], this.t.insertSettings);
  }
}
