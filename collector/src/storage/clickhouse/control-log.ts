/**
 * The control log on ClickHouse (the contract's ControlLogStore): one row per answered control
 * request, an audit record that deletion and retention keep. Inserted synchronously; read for
 * "was this execution cancelled before".
 */
import type { ControlLogEntry } from '../control-log.js';
import type { ClickHouseConnection } from './connection.js';
import type { Tables } from './tables.js';

const ms = (t: number): string => (BigInt(Math.round(t)) * 1_000_000n).toString();

export class ClickHouseControlLog {
  constructor(private readonly conn: ClickHouseConnection, private readonly t: Tables) {}

  record(entry: ControlLogEntry): Promise<void> {
    return this.conn.insert(this.t.control, [{
      request_id: entry.requestId, requested_at: ms(entry.requestedAt), answered_at: ms(entry.answeredAt), action: entry.action,
      target_trace_id: entry.targetTraceId, service_name: entry.serviceName, flow_id: entry.flowId, requested_by: entry.requestedBy,
      client: entry.client, outcome: entry.outcome, message: entry.message, instance_id: entry.instanceId,
      new_trace_id: entry.newTraceId, input_edited: entry.inputEdited,
    }], this.t.insertSettings);
  }

  async wasCancelled(traceId: string): Promise<boolean> {
    const [row] = await this.conn.query(
      `SELECT count() AS n FROM ${this.t.control} WHERE target_trace_id = {t:String} AND action = 'cancel' AND outcome = 'cancelled'`, { t: traceId },
    );
    return Number(row?.n ?? 0) > 0;
  }
}
