/**
 * One call to start tracing: a Node tracer provider and a logger provider on the official
 * OTLP/HTTP protobuf exporters, batching tuned so spans reach the collector within about a
 * second, bounded queues whose drops are counted and reported through `diag`, a bounded
 * redelivery buffer for batches that fail past the exporter's own retries, and console
 * capture. Explicit options win; the standard OTEL_* environment variables fill in what the
 * options leave out; the defaults fill in the rest. Nothing here ever throws into the caller
 * once it has returned, and `shutdown()` flushes what is queued and held.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { getNumberFromEnv, getStringFromEnv, parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { randomUUID } from 'node:crypto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, hostDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_DEPLOYMENT_ENVIRONMENT, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from './conventions.js';
import { installConsoleCapture, uninstallConsoleCapture } from './capture/console.js';
import { ControlClient, type ControlStats } from './control/client.js';
import type { RedactionOptions } from './capture/redact.js';
import { emptyExportStats } from './export/account.js';
import {
  BoundedLogProcessor, BoundedSpanProcessor, CountingLogExporter, CountingSpanExporter, ExportAccount, type ExportStats,
} from './export/bounded.js';
import { Redelivery } from './export/redelivery.js';
import { ThrottledConsoleDiagLogger } from './export/diag-logger.js';
import { closeOpenSpans } from './spans.js';
import { configureInstrumentation, internalErrorCount, type CaptureOptions } from './runtime.js';

/** Options of {@link setupTracing}. */
export interface SetupOptions {
  /** service.name; else OTEL_SERVICE_NAME; else `unknown_service:node`. */
  serviceName?: string;
  serviceVersion?: string;
  /** deployment.environment.name */
  environment?: string;
  /** Base OTLP/HTTP endpoint; else OTEL_EXPORTER_OTLP_(TRACES|LOGS_)ENDPOINT; else http://127.0.0.1:4318. */
  endpoint?: string;
  /** Extra HTTP headers for the exporters (OTEL_EXPORTER_OTLP_HEADERS is honoured too). */
  headers?: Record<string, string>;
  /** Milliseconds between batch exports (OTEL_BSP_SCHEDULE_DELAY / OTEL_BLRP_SCHEDULE_DELAY). Default 500. */
  exportIntervalMs?: number;
  /** Bound of each queue, spans and log records (OTEL_BSP_MAX_QUEUE_SIZE / OTEL_BLRP_MAX_QUEUE_SIZE). Default 4096. */
  maxQueueSize?: number;
  /** Items per export request. Default 512. */
  maxExportBatchSize?: number;
  /**
   * Timeout of one export, the OTLP exporter's own retries included (it retries refused
   * connections, timeouts and 429/502/503/504 answers for at most this long). Default 5000 ms.
   */
  exportTimeoutMs?: number;
  /**
   * Items of each signal (spans, log records) kept for redelivery when an export still fails
   * after the exporter's own retries: they are sent again in the background (backoff from 1 s
   * to 30 s, at once when a new export gets through) and on forceFlush/shutdown. Past the
   * bound the oldest are dropped and counted. 0 turns redelivery off. Default: the queue
   * bound (`maxQueueSize`, 4096).
   */
  redeliveryBufferSize?: number;
  capture?: Partial<CaptureOptions>;
  redaction?: RedactionOptions;
  /**
   * Level of the console diagnostics logger installed for the OTel SDK (rate-limited: a down
   * collector does not flood stderr); `none` installs none. Default `warn` (OTEL_LOG_LEVEL).
   */
  diagLogLevel?: 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';
  /**
   * Hold one outbound control connection to the collector (same base URL and headers as the
   * exporters), announcing the flows defined with `control`, so the collector can cancel or
   * replay their runs. Off by default; `FLOWTRACE_CONTROL=1` turns it on.
   */
  control?: boolean;
}

/** What setupTracing returns. */
export interface TracingHandle {
  /**
   * Ends the spans of executions still running (as `cancelled`: the service is stopping),
   * flushes everything queued and stops the providers, waiting at most `timeoutMs`
   * (default 5000; a collector that is down makes the exporters retry). Safe to call twice; never rejects.
   */
  shutdown(timeoutMs?: number): Promise<void>;
  /**
   * Sends everything queued now, then what is held for redelivery (until a redelivery fails
   * again, or for at most 5 s). Never rejects.
   */
  forceFlush(): Promise<void>;
  /** Queue, redelivery, drop and failure counters (see ExportStats); the control connection's when it is on. */
  stats(): { spans: ExportStats; logs: ExportStats; instrumentationErrors: number; control?: ControlStats };
}

/** Default bound of shutdown(), and bound of forceFlush()'s redelivery part. */
const DEFAULT_FLUSH_LIMIT_MS = 5_000;

const DIAG_LEVELS: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE, error: DiagLogLevel.ERROR, warn: DiagLogLevel.WARN, info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG, verbose: DiagLogLevel.VERBOSE, all: DiagLogLevel.ALL,
};

function signalUrl(options: SetupOptions, signal: 'traces' | 'logs'): string | undefined {
  const base = options.endpoint;
  if (base) return `${base.replace(/\/+$/, '')}/v1/${signal}`;
  const specific = getStringFromEnv(signal === 'traces' ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  if (specific) return specific;
  const general = getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT');
  return `${(general ?? 'http://127.0.0.1:4318').replace(/\/+$/, '')}/v1/${signal}`;
}

/** The OTLP/HTTP base URL: the endpoint option, the general variable, or the traces URL without /v1/traces. */
function baseUrl(options: SetupOptions): string {
  if (options.endpoint) return options.endpoint;
  const general = getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (general) return general;
  const traces = getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  return traces ? traces.replace(/\/v1\/traces\/?$/, '') : 'http://127.0.0.1:4318';
}

function controlClient(options: SetupOptions, serviceName: string): ControlClient | undefined {
  const env = getStringFromEnv('FLOWTRACE_CONTROL')?.toLowerCase();
  if (!(options.control ?? (env === '1' || env === 'true'))) return undefined;
  const headers = { ...parseKeyPairsIntoRecord(getStringFromEnv('OTEL_EXPORTER_OTLP_HEADERS')), ...options.headers };
  return new ControlClient({ baseUrl: baseUrl(options), headers, serviceName, instanceId: `${serviceName}-${process.pid}-${randomUUID().slice(0, 8)}` });
}

/** Starts tracing for this process and returns a handle to flush and stop it. */
export function setupTracing(options: SetupOptions = {}): TracingHandle {
  if (getStringFromEnv('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return disabledHandle();
  const level = options.diagLogLevel ?? (getStringFromEnv('OTEL_LOG_LEVEL')?.toLowerCase() as SetupOptions['diagLogLevel']) ?? 'warn';
  if (level !== 'none') diag.setLogger(new ThrottledConsoleDiagLogger(), { logLevel: DIAG_LEVELS[level] ?? DiagLogLevel.WARN, suppressOverrideMessage: true });

  const serviceName = options.serviceName ?? getStringFromEnv('OTEL_SERVICE_NAME') ?? 'unknown_service:node';
  // Process attributes by hand: the SDK's process detector would also send the command line,
  // which may carry secrets.
  const attrs: Record<string, string | number> = {
    [ATTR_SERVICE_NAME]: serviceName,
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
  };
  if (options.serviceVersion) attrs[ATTR_SERVICE_VERSION] = options.serviceVersion;
  if (options.environment) attrs[ATTR_DEPLOYMENT_ENVIRONMENT] = options.environment;
  const resource = detectResources({ detectors: [hostDetector, envDetector] }).merge(resourceFromAttributes(attrs));

  const interval = options.exportIntervalMs;
  const batch = options.maxExportBatchSize ?? 512;
  const timeout = options.exportTimeoutMs ?? 5000;
  const spanQueue = options.maxQueueSize ?? getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE') ?? 4096;
  const logQueue = options.maxQueueSize ?? getNumberFromEnv('OTEL_BLRP_MAX_QUEUE_SIZE') ?? 4096;
  const exporterConfig = { headers: options.headers, timeoutMillis: timeout };
  const redeliverySize = (queue: number): number => options.redeliveryBufferSize ?? queue;

  const spanAccount = new ExportAccount('spans', spanQueue);
  const otlpSpans = new OTLPTraceExporter({ ...exporterConfig, url: signalUrl(options, 'traces') });
  const spanRedelivery = new Redelivery<ReadableSpan>(otlpSpans, spanAccount, { maxItems: redeliverySize(spanQueue) });
  const spanExporter = new CountingSpanExporter(otlpSpans, spanAccount, spanRedelivery);
  const spanBatch = new BatchSpanProcessor(spanExporter, {
    scheduledDelayMillis: interval ?? getNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY') ?? 500,
    maxQueueSize: spanQueue,
    maxExportBatchSize: Math.min(batch, spanQueue),
    exportTimeoutMillis: timeout,
  });
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new BoundedSpanProcessor(spanBatch, spanAccount)] });
  tracerProvider.register();

  const logAccount = new ExportAccount('log records', logQueue);
  const otlpLogs = new OTLPLogExporter({ ...exporterConfig, url: signalUrl(options, 'logs') });
  const logRedelivery = new Redelivery<ReadableLogRecord>(otlpLogs, logAccount, { maxItems: redeliverySize(logQueue) });
  const logExporter = new CountingLogExporter(otlpLogs, logAccount, logRedelivery);
  const logBatch = new BatchLogRecordProcessor({
    exporter: logExporter,
    scheduledDelayMillis: interval ?? getNumberFromEnv('OTEL_BLRP_SCHEDULE_DELAY') ?? 250,
    maxQueueSize: logQueue,
    maxExportBatchSize: Math.min(batch, logQueue),
    exportTimeoutMillis: timeout,
  });
  const loggerProvider = new LoggerProvider({ resource, processors: [new BoundedLogProcessor(logBatch, logAccount)] });
  logs.setGlobalLoggerProvider(loggerProvider);

  configureInstrumentation({ tracerProvider, loggerProvider, capture: options.capture, redaction: options.redaction });
  if (options.capture?.console !== false) installConsoleCapture();
  const control = controlClient(options, serviceName);
  control?.start();

  let stopped: Promise<void> | undefined;
  const quietly = (p: Promise<unknown>): Promise<void> => p.then(() => undefined, (e: unknown) => diag.warn(`flowtrace: ${String(e)}`));
  // Queued items first (a failure puts them in the redelivery buffer), then the held ones.
  const flushAll = async (deadline: number): Promise<void> => {
    await quietly(Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]));
    await Promise.all([spanRedelivery.drain(deadline), logRedelivery.drain(deadline)]);
  };
  return {
    forceFlush: () => quietly(flushAll(Date.now() + DEFAULT_FLUSH_LIMIT_MS)),
    shutdown: (timeoutMs = DEFAULT_FLUSH_LIMIT_MS) => {
      if (!stopped) {
        uninstallConsoleCapture();
        control?.stop();
        closeOpenSpans('the service stopped before this finished');
        const deadline = Date.now() + timeoutMs;
        // The providers' shutdown closes the redeliveries: what is still held then is given up and counted.
        stopped = quietly(flushAll(deadline).then(() => Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()])));
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); timer.unref?.(); });
      return Promise.race([stopped, limit]).finally(() => clearTimeout(timer));
    },
    stats: () => ({
      spans: { ...spanAccount.stats }, logs: { ...logAccount.stats }, instrumentationErrors: internalErrorCount(),
      ...(control ? { control: { ...control.stats } } : {}),
    }),
  };
}

function disabledHandle(): TracingHandle {
  const empty = (): ExportStats => emptyExportStats();
  return {
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
    stats: () => ({ spans: empty(), logs: empty(), instrumentationErrors: internalErrorCount() }),
  };
}
