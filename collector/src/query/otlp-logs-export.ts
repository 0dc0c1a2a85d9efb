/**
 * A trace's stored log records → OTLP/JSON ExportLogsServiceRequest, which POST /v1/logs accepts
 * back and stores as the same records (the writer skips records it has: storage/writer/commit.ts). Every
 * field ingest keeps comes back: times, severity number and text as sent, the body with its type
 * (log_data.body_type; other AnyValues through otlp-any-value.ts), attributes and their dropped
 * count, flags, ids, event name, and resource and scope (grouped as in otlp-origin.ts). Start marks
 * are not records here: ingest made them running spans.
 */
import type { Json, LogRecord as OtlpLogRecord, LogsRequest, ResourceLogs } from '../otlp/shapes.js';
import { BODY_TYPE, type LogRecord } from '../storage/index.js';
import type { JsonValue } from './json-int64.js';
import { attributesOf, parseStored, storedToAnyValue, valueTypesOf, type OtlpJsonAnyValue } from './otlp-any-value.js';
import { groupByOrigin } from './otlp-origin.js';

/** A log record and an ExportLogsServiceRequest in OTLP/JSON (otlp/shapes.ts). */
export type OtlpJsonLogRecord = OtlpLogRecord<Json>;
export interface OtlpJsonLogsRequest extends LogsRequest<Json> {
  resourceLogs: Array<ResourceLogs<Json>>;
}

/** A stored body as the AnyValue it was sent as; undefined when the record had none. */
function bodyOf(l: LogRecord): OtlpJsonAnyValue | undefined {
  if (l.bodyType === BODY_TYPE.none) return undefined;
  if (l.bodyType === BODY_TYPE.string) return { stringValue: l.body };
  return storedToAnyValue(parseStored<JsonValue>(l.body, null), valueTypesOf(l.valueTypes).body);
}

/** One stored log record as an OTLP/JSON LogRecord. */
export function logToOtlpJson(l: LogRecord): OtlpJsonLogRecord {
  const body = bodyOf(l);
  return {
    timeUnixNano: l.timeNs.toString(),
    observedTimeUnixNano: l.observedTimeNs.toString(),
    severityNumber: l.severityNumber,
    severityText: l.severityText ?? '',
    ...(body === undefined ? {} : { body }),
    attributes: attributesOf(l.attributes, valueTypesOf(l.valueTypes).attributes),
    droppedAttributesCount: l.droppedAttributesCount,
    flags: l.flags,
    traceId: l.traceId,
    spanId: l.spanId,
    eventName: l.eventName ?? '',
  };
}

/** Log records as an OTLP/JSON ExportLogsServiceRequest, grouped by resource and scope. */
export function logsToOtlpJson(logs: readonly LogRecord[]): OtlpJsonLogsRequest {
  return {
    resourceLogs: groupByOrigin(logs, logToOtlpJson).map((r) => ({
      resource: r.resource,
      schemaUrl: r.schemaUrl,
      scopeLogs: r.scopes.map((s) => ({ scope: s.scope, schemaUrl: s.schemaUrl, logRecords: s.items })),
    })),
  };
}
