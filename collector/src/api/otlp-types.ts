/**
 * The OTLP bodies of the API, as far as this API shapes them: the answers of the OTLP/HTTP
 * receivers, and the OTLP/JSON exports of an execution. Their inside is OpenTelemetry's
 * (opentelemetry-proto's JSON mapping), so it is documented by name, not restated field by
 * field: the schemas keep every field (`additionalProperties`), whatever OTLP adds.
 */
import Type from 'typebox';
import { Binary } from './schema-kit.js';

/** The OTLP signals the receivers take, with the field that counts what a partial success rejected. */
export const OTLP_REJECTED_FIELD = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' } as const;
export type OtlpSignalName = keyof typeof OTLP_REJECTED_FIELD;

/** An OTLP message as its JSON mapping has it: every field kept (typed loosely: ingest and the exports hold its types). */
const otlpObject = (description: string) => Type.Unsafe<object>({ type: 'object', additionalProperties: true, description });

/** The JSON answer of POST /v1/{signal}: `{}`, or a partial success with the count rejected and why. */
export const otlpExportResponse = (signal: OtlpSignalName) => Type.Object({
  partialSuccess: Type.Optional(Type.Object({
    [OTLP_REJECTED_FIELD[signal]]: Type.Optional(Type.String({ description: 'int64 as decimal text (OTLP/JSON)' })),
    errorMessage: Type.Optional(Type.String()),
  })),
}, { description: `Export${signal === 'traces' ? 'Trace' : signal === 'logs' ? 'Logs' : 'Metrics'}ServiceResponse (OTLP/JSON)` });

/** The protobuf answer of POST /v1/{signal} (an Export…ServiceResponse, or a google.rpc.Status on errors). */
export const OtlpProtobuf = Binary('OTLP protobuf: Export…ServiceResponse, or google.rpc.Status for an error');

/** GET /api/executions/:traceId/otlp: an ExportTraceServiceRequest that POST /v1/traces takes back. */
export const OtlpTraceExport = Type.Object({
  resourceSpans: Type.Array(otlpObject('ResourceSpans: resource, scopeSpans (scope, spans), schemaUrl')),
}, { description: 'OTLP/JSON ExportTraceServiceRequest of the finished spans' });

/** GET /api/executions/:traceId/logs/otlp: an ExportLogsServiceRequest that POST /v1/logs takes back. */
export const OtlpLogsExport = Type.Object({
  resourceLogs: Type.Array(otlpObject('ResourceLogs: resource, scopeLogs (scope, logRecords), schemaUrl')),
}, { description: "OTLP/JSON ExportLogsServiceRequest of the execution's log records" });
