/**
 * The control log: one row per control request (cancel or replay), written when the request is
 * answered, on the writer's connection between group commits (GroupCommitWriter.exclusive). Values are
 * bound as parameters, never spliced into the SQL. Read back through the SQL console
 * (`SELECT … FROM control_log`) and by the hub, to tell a second cancel of a run from a first.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ConnectionPool } from './connection-pool.js';

/** The writer's job runner (GroupCommitWriter.exclusive), all the log needs of it. */
interface ExclusiveJobs {
  exclusive<T>(job: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
}

/** One answered control request. */
export interface ControlLogEntry {
  requestId: string;
  /** Epoch milliseconds. */
  requestedAt: number;
  answeredAt: number;
  action: 'cancel' | 'replay';
  targetTraceId: string;
  serviceName: string | null;
  flowId: string | null;
  requestedBy: string;
  client: string;
  outcome: string;
  message: string | null;
  instanceId: string | null;
  newTraceId: string | null;
  inputEdited: boolean | null;
}

const INSERT = `INSERT INTO control_log (request_id, requested_at, answered_at, action, target_trace_id, service_name, flow_id,
  requested_by, client, outcome, message, instance_id, new_trace_id, input_edited)
  VALUES ($request_id, $requested_at, $answered_at, $action, $target, $service, $flow, $by, $client, $outcome, $message, $instance, $new_trace, $edited)`;

const ms = (t: number): bigint => BigInt(Math.round(t)) * 1_000_000n;

export class ControlLog {
  constructor(private readonly writer: ExclusiveJobs, private readonly readers: ConnectionPool) {}

  /** Stores one answered request; resolves once it is committed. */
  record(entry: ControlLogEntry): Promise<void> {
    return this.writer.exclusive(async (c) => {
      await c.run(INSERT, {
        request_id: entry.requestId, requested_at: ms(entry.requestedAt), answered_at: ms(entry.answeredAt), action: entry.action,
        target: entry.targetTraceId, service: entry.serviceName, flow: entry.flowId, by: entry.requestedBy, client: entry.client,
        outcome: entry.outcome, message: entry.message, instance: entry.instanceId, new_trace: entry.newTraceId, edited: entry.inputEdited,
      });
    });
  }

  /** Whether a cancel of this execution was carried out before (a second one is a no-op). */
  async wasCancelled(traceId: string): Promise<boolean> {
    return this.readers.use(async (c) => {
      const rows = await c.runAndReadAll(
        `SELECT count(*) AS n FROM control_log WHERE target_trace_id = $t AND action = 'cancel' AND outcome = 'cancelled'`, { t: traceId },
      );
      return Number(rows.getRowObjectsJS()[0]?.n ?? 0) > 0;
    });
  }
}
