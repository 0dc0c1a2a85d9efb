/**
 * The collector's own counters, rendered as Prometheus text at /metrics: spans received,
 * rejected and dropped, requests by status (HTTP status, or gRPC status code for OTLP/gRPC),
 * batches committed, queue depth and ingest latency (a histogram).
 */
import type { IngestOutcome } from './ingest/otlp-routes.js';
import type { LiveStats } from './query/live-feed.js';
import type { RetentionStats, WriterStats } from './storage/index.js';

const LATENCY_BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export class Metrics {
  private readonly received = { traces: 0, logs: 0, metrics: 0 };
  private readonly rejected = { traces: 0, logs: 0, metrics: 0 };
  private readonly dropped = { traces: 0, logs: 0, metrics: 0 };
  private readonly requests = new Map<string, number>();
  private readonly grpcRequests = new Map<string, number>();
  private grpcOnHttpPort = 0;
  private readonly latencyBuckets = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
  private connectionsRefused = 0;
  private latencyCount = 0;
  private latencySum = 0;
  private retention: RetentionStats | undefined;

  /** Records one ingest request. */
  recordIngest(outcome: IngestOutcome): void {
    if (outcome.transport !== 'grpc') {
      const key = `${outcome.signal}:${outcome.statusCode}`;
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    }
    if (outcome.statusCode >= 200 && outcome.statusCode < 300) { // Zipkin's answer is 202
      this.received[outcome.signal] += outcome.accepted;
      this.rejected[outcome.signal] += outcome.rejected;
    } else if (outcome.statusCode === 429 || outcome.statusCode === 503) {
      this.dropped[outcome.signal] += outcome.rejected;
    } else {
      this.rejected[outcome.signal] += outcome.rejected;
    }
    this.latencyCount += 1;
    this.latencySum += outcome.latencyMs;
    for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (outcome.latencyMs <= LATENCY_BUCKETS_MS[i]) this.latencyBuckets[i] += 1;
  }

  /** Records a connection closed at once because its client address held too many. */
  recordRefusedConnection(): void {
    this.connectionsRefused += 1;
  }

  /** Reports these retention counters too (passes run and failed). */
  watchRetention(stats: RetentionStats): void {
    this.retention = stats;
  }

  /** Records the gRPC status an OTLP/gRPC call ended with (its items are counted by recordIngest). */
  recordGrpcStatus(signal: string, code: string): void {
    const key = `${signal}:${code}`;
    this.grpcRequests.set(key, (this.grpcRequests.get(key) ?? 0) + 1);
  }

  /** Records a gRPC (HTTP/2) client that dialled the OTLP/HTTP port. */
  recordGrpcOnHttpPort(): void {
    this.grpcOnHttpPort += 1;
  }

  /** Prometheus text exposition format. */
  render(writer: WriterStats, live: LiveStats): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, values: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, v] of values) lines.push(`${name}${labels} ${v}`);
    };
    const gauge = (name: string, help: string, v: number) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${v}`);
    counter('flowtrace_items_received_total', 'Spans, start marks, log records and metric data points accepted and committed.', [
      ['{signal="traces"}', this.received.traces], ['{signal="logs"}', this.received.logs], ['{signal="metrics"}', this.received.metrics],
    ]);
    counter('flowtrace_items_rejected_total', 'Items refused as invalid.', [
      ['{signal="traces"}', this.rejected.traces], ['{signal="logs"}', this.rejected.logs], ['{signal="metrics"}', this.rejected.metrics],
    ]);
    counter('flowtrace_items_dropped_total', 'Items refused because the write queue was full or the collector was stopping (the sender may retry).', [
      ['{signal="traces"}', this.dropped.traces], ['{signal="logs"}', this.dropped.logs], ['{signal="metrics"}', this.dropped.metrics],
    ]);
    counter('flowtrace_ingest_requests_total', 'OTLP requests by signal and HTTP status.',
      [...this.requests].map(([k, v]) => {
        const [signal, status] = k.split(':');
        return [`{signal="${signal}",status="${status}"}`, v];
      }));
    counter('flowtrace_grpc_requests_total', 'OTLP/gRPC calls by signal and gRPC status code.',
      [...this.grpcRequests].map(([k, v]) => {
        const [signal, code] = k.split(':');
        return [`{signal="${signal}",code="${code}"}`, v];
      }));
    counter('flowtrace_grpc_on_http_port_total', 'gRPC (HTTP/2 prior knowledge) connections that dialled the OTLP/HTTP port instead of the OTLP/gRPC one.', [['', this.grpcOnHttpPort]]);
    counter('flowtrace_batches_committed_total', 'Group commits.', [['', writer.commits]]);
    counter('flowtrace_connections_refused_total', 'Connections closed at once because their client address held --max-connections-per-client.', [['', this.connectionsRefused]]);
    counter('flowtrace_batches_failed_total', 'Group commits that failed.', [['', writer.failedCommits]]);
    counter('flowtrace_spans_committed_total', 'Spans committed (after de-duplication within a group).', [['', writer.committedSpans]]);
    counter('flowtrace_writer_phase_ms_total', 'Wall-clock milliseconds per phase of the group commits; a phase that awaits DuckDB also counts the other work the event loop ran meanwhile (decoding requests).', [
      ['{phase="lookup"}', writer.phaseMs.lookup], ['{phase="append"}', writer.phaseMs.append], ['{phase="commit"}', writer.phaseMs.commit],
    ]);
    if (this.retention) {
      counter('flowtrace_retention_runs_total', 'Retention passes that completed.', [['', this.retention.runs]]);
      counter('flowtrace_retention_failures_total', 'Retention passes that failed (each also logged on stderr).', [['', this.retention.failedRuns]]);
    }
    gauge('flowtrace_write_queue_rows', 'Rows waiting for the next group commit.', writer.queuedRows);
    gauge('flowtrace_last_commit_ms', 'Duration of the last group commit.', writer.lastCommitMs);
    gauge('flowtrace_live_subscribers', 'Open live-feed streams.', live.clients);
    counter('flowtrace_live_clients_refused_total', 'Live streams refused because --max-live-clients were open.', [['', live.refusedClients]]);
    counter('flowtrace_live_clients_dropped_total', 'Live streams reset because the client fell behind (it reconnects and catches up or resyncs).', [['', live.droppedClients]]);
    counter('flowtrace_live_events_total', 'Live events published.', [['', live.events]]);
    counter('flowtrace_live_events_serialized_total', 'Live events serialized to their SSE frame (once each, for every client).', [['', live.serialized]]);
    gauge('flowtrace_live_buffer_bytes', 'Bytes held by the live replay buffer (at most --live-buffer-size).', live.bufferBytes);
    gauge('flowtrace_live_buffer_events', 'Events held by the live replay buffer.', live.bufferEvents);
    lines.push('# HELP flowtrace_ingest_latency_ms Time from request to acknowledgement.', '# TYPE flowtrace_ingest_latency_ms histogram');
    LATENCY_BUCKETS_MS.forEach((le, i) => lines.push(`flowtrace_ingest_latency_ms_bucket{le="${le}"} ${this.latencyBuckets[i]}`));
    lines.push(`flowtrace_ingest_latency_ms_bucket{le="+Inf"} ${this.latencyCount}`);
    lines.push(`flowtrace_ingest_latency_ms_sum ${this.latencySum}`, `flowtrace_ingest_latency_ms_count ${this.latencyCount}`);
    return lines.join('\n') + '\n';
  }
}
