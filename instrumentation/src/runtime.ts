/**
 * Process-wide instrumentation state: which tracer and logger to write to and what to
 * capture. Defaults to the global OpenTelemetry providers, so the library works under any
 * SDK setup; `setupTracing()` or tests point it at their own providers. Also counts the
 * library's own failures, which are swallowed (they must never reach user code).
 */
import { context, diag, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { logs, type Logger, type LoggerProvider } from '@opentelemetry/api-logs';
import { Redactor, type RedactionOptions } from './capture/redact.js';
import type { SerializeOptions } from './capture/serialize.js';

export const INSTRUMENTATION_NAME = '@flowtrace/instrumentation';
export const INSTRUMENTATION_VERSION = '0.1.0';

/** What is captured besides timing and identity. */
export interface CaptureOptions {
  /** Inputs and outputs of executions and nodes (JSON work happens only when true). Default true. */
  payloads: boolean;
  /** console.* lines inside executions as log records. Default true. */
  console: boolean;
  /** Start marks for root and node spans (executions in flight). Default true. */
  startMarks: boolean;
  /**
   * A start mark is sent only for a span still running this many milliseconds after it
   * started; shorter spans arrive ended anyway. 0 sends every mark at the start. Default 100.
   */
  startMarkDelayMs: number;
  /** Cap of a serialised payload, in characters. Default 16 384. */
  maxPayloadLength: number;
  /** Cap of one console line, in characters. Default 8 192. */
  maxConsoleLength: number;
}

/** Options of {@link configureInstrumentation}. */
export interface InstrumentationOptions {
  tracerProvider?: TracerProvider;
  loggerProvider?: LoggerProvider;
  capture?: Partial<CaptureOptions>;
  redaction?: RedactionOptions;
}

interface Runtime {
  tracer: Tracer;
  logger: Logger;
  capture: CaptureOptions;
  redactor: Redactor;
  /** Cap and redactor of captured payloads, made once. */
  payloadOptions: SerializeOptions;
}

const DEFAULT_CAPTURE: CaptureOptions = {
  payloads: true,
  console: true,
  startMarks: true,
  startMarkDelayMs: 100,
  maxPayloadLength: 16_384,
  maxConsoleLength: 8_192,
};

function makeRuntime(tracer: Tracer, logger: Logger, capture: CaptureOptions, redactor: Redactor): Runtime {
  return { tracer, logger, capture, redactor, payloadOptions: { maxLength: capture.maxPayloadLength, redactor } };
}

let runtime: Runtime = makeRuntime(
  trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION),
  logs.getLogger(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION),
  { ...DEFAULT_CAPTURE },
  new Redactor(),
);

/** Points the instrumentation at providers and sets capture and redaction options. */
export function configureInstrumentation(options: InstrumentationOptions = {}): void {
  const tp = options.tracerProvider;
  const lp = options.loggerProvider;
  runtime = makeRuntime(
    tp ? tp.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION) : trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION),
    lp ? lp.getLogger(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION) : logs.getLogger(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION),
    { ...DEFAULT_CAPTURE, ...options.capture },
    new Redactor(options.redaction),
  );
}

/** The current state; read it per call, it may be replaced by configureInstrumentation. */
export function rt(): Runtime {
  return runtime;
}

// ── the library's own failures ───────────────────────────────────────────────
let internalErrors = 0;
let lastReport = 0;

/** Counts a failure of the instrumentation itself and reports it (throttled) through diag. */
export function internalError(where: string, error: unknown): void {
  internalErrors++;
  const now = Date.now();
  if (now - lastReport < 10_000) return;
  lastReport = now;
  try {
    const message = `flowtrace: instrumentation failure in ${where} (${internalErrors} so far): ${String(error)}`;
    context.with(suppressTracing(context.active()), () => diag.warn(message));
  } catch {
    // diag itself failed; the count above still records it
  }
}

/** How many instrumentation failures were swallowed so far. */
export function internalErrorCount(): number {
  return internalErrors;
}
