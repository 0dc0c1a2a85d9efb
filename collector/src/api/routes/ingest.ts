/**
 * Contracts of the receivers (ingest/otlp-routes.ts, ingest/zipkin-routes.ts). Their bodies are
 * OTLP protobuf or JSON (and Zipkin v2 JSON), decoded by ingest itself — not validated here, so
 * the contracts declare the answers: 200 (OTLP) or 202 (Zipkin) once the data is durable, and
 * the errors, which for a protobuf request are a google.rpc.Status in protobuf.
 */
import { errorAnswers } from '../api-error.js';
import { OtlpProtobuf, otlpExportResponse, type OtlpSignalName } from '../otlp-types.js';
import { NoContent } from '../schema-kit.js';

const SUMMARY: Record<OtlpSignalName, string> = {
  traces: 'OTLP/HTTP trace export (protobuf or JSON, gzip or not)',
  logs: 'OTLP/HTTP log export; span start marks become running spans',
  metrics: 'OTLP/HTTP metrics export: one row per data point (SQL view `metrics`)',
};

/** POST /v1/traces, /v1/logs, /v1/metrics. */
export const otlpExport = (signal: OtlpSignalName) => ({
  summary: SUMMARY[signal],
  description: 'The body is an Export…ServiceRequest as application/x-protobuf or application/json, gzip or not; the answer has the same type.',
  response: {
    200: {
      description: 'Stored durably (a partial success says how many items were rejected, and why)',
      content: { 'application/json': { schema: otlpExportResponse(signal) }, 'application/x-protobuf': { schema: OtlpProtobuf } },
    },
    ...errorAnswers(400, 401, 413, 415, 429, 503),
  },
});

/** POST /api/v2/spans. */
export const zipkinSpans = {
  summary: 'Zipkin v2 JSON spans (as Zipkin, Jaeger and Tempo take them); answers 202 once stored',
  description: 'The body is a JSON list of Zipkin v2 spans, gzip or not.',
  response: { 202: NoContent('Stored durably'), ...errorAnswers(400, 401, 413, 415, 429, 503) },
};
