/**
 * Appends rows to the tables with DuckDB's appender, column by column in the tables'
 * declared order (schema/002–005, then the columns 007 and 008 add): one function per table, used by the writer inside its
 * group-commit transaction.
 */
import { LIST, VARCHAR, type DuckDBAppender } from '@duckdb/node-api';
import type { ExecutionRecord } from './records.js';
import type { LogRow, SpanRow } from './rows.js';
import { textPieces } from './text-pieces.js';

function varcharOrNull(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

const PIECES = LIST(VARCHAR);

/** large_attributes: the JSON text in compressible pieces (see text-pieces.ts), or NULL. */
function largeOrNull(appender: DuckDBAppender, json: string | null): void {
  if (json === null) appender.appendNull();
  else appender.appendList(textPieces(json), PIECES);
}

function integerOrNull(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendInteger(value);
}

/** One row of span_data. */
export function appendSpan(appender: DuckDBAppender, row: SpanRow): void {
  appender.appendVarchar(row.traceId);
  appender.appendVarchar(row.spanId);
  varcharOrNull(appender, row.parentSpanId);
  varcharOrNull(appender, row.traceState);
  appender.appendVarchar(row.name);
  appender.appendUTinyInt(row.kind);
  appender.appendVarchar(row.serviceName);
  appender.appendBigInt(row.startTimeUnixNano);
  appender.appendBigInt(row.endTimeUnixNano ?? row.startTimeUnixNano);
  appender.appendUTinyInt(row.statusCode);
  varcharOrNull(appender, row.statusMessage);
  varcharOrNull(appender, row.exceptionMessage);
  appendHotFields(appender, row);
  varcharOrNull(appender, row.flowStatus);
  varcharOrNull(appender, row.errorNodeId);
  appender.appendVarchar(row.attributes);
  appender.appendVarchar(row.resourceAttributes);
  varcharOrNull(appender, row.scopeName);
  varcharOrNull(appender, row.scopeVersion);
  appender.appendVarchar(row.events);
  appender.appendVarchar(row.links);
  appender.appendUInteger(row.flags);
  appender.appendUInteger(row.droppedAttributesCount);
  appender.appendUInteger(row.droppedEventsCount);
  appender.appendUInteger(row.droppedLinksCount);
  largeOrNull(appender, row.largeAttributes);
  appender.appendUSmallInt(row.movedAttributes);
  appender.endRow();
}

/** One row of attribute_values: a trace, an attribute key and its indexed value text. */
export function appendAttributeValue(appender: DuckDBAppender, [traceId, key, value]: readonly [string, string, string]): void {
  appender.appendVarchar(traceId);
  appender.appendVarchar(key);
  appender.appendVarchar(value);
  appender.endRow();
}

/** One row of span_starts. */
export function appendStart(appender: DuckDBAppender, row: SpanRow): void {
  appender.appendVarchar(row.traceId);
  appender.appendVarchar(row.spanId);
  varcharOrNull(appender, row.parentSpanId);
  appender.appendVarchar(row.name);
  appender.appendUTinyInt(row.kind);
  appender.appendVarchar(row.serviceName);
  appender.appendBigInt(row.startTimeUnixNano);
  appendHotFields(appender, row);
  appender.appendVarchar(row.attributes);
  appender.appendVarchar(row.resourceAttributes);
  varcharOrNull(appender, row.scopeName);
  varcharOrNull(appender, row.scopeVersion);
  largeOrNull(appender, row.largeAttributes);
  appender.endRow();
}

/** One row of log_data. */
export function appendLog(appender: DuckDBAppender, row: LogRow): void {
  appender.appendVarchar(row.traceId);
  appender.appendVarchar(row.spanId);
  appender.appendBigInt(row.timeUnixNano);
  appender.appendBigInt(row.observedTimeUnixNano);
  appender.appendUTinyInt(row.severityNumber);
  varcharOrNull(appender, row.severityText);
  appender.appendVarchar(row.body);
  appender.appendVarchar(row.attributes);
  appender.appendVarchar(row.resourceAttributes);
  appender.appendVarchar(row.serviceName);
  varcharOrNull(appender, row.scopeName);
  appender.appendUInteger(row.flags);
  appender.appendUInteger(row.droppedAttributesCount);
  appender.endRow();
}

function appendHotFields(appender: DuckDBAppender, row: SpanRow): void {
  varcharOrNull(appender, row.executionKind);
  varcharOrNull(appender, row.flowId);
  varcharOrNull(appender, row.flowName);
  varcharOrNull(appender, row.flowVersion);
  varcharOrNull(appender, row.triggerType);
  varcharOrNull(appender, row.userId);
  varcharOrNull(appender, row.nodeId);
  varcharOrNull(appender, row.nodeName);
  varcharOrNull(appender, row.nodeType);
  integerOrNull(appender, row.nodeIndex);
}

function bigIntOrNull(appender: DuckDBAppender, value: bigint | null): void {
  if (value === null) appender.appendNull();
  else appender.appendBigInt(value);
}

/** One row of execution_data. */
export function appendExecution(appender: DuckDBAppender, e: ExecutionRecord): void {
  appender.appendVarchar(e.traceId);
  varcharOrNull(appender, e.rootSpanId);
  varcharOrNull(appender, e.rootName);
  appender.appendBoolean(e.rootFinished);
  appender.appendBoolean(e.rootStarted);
  if (e.rootStatusCode === null) appender.appendNull();
  else appender.appendUTinyInt(e.rootStatusCode);
  varcharOrNull(appender, e.rootFlowStatus);
  appender.appendVarchar(e.serviceName);
  varcharOrNull(appender, e.executionKind);
  varcharOrNull(appender, e.flowId);
  varcharOrNull(appender, e.flowName);
  varcharOrNull(appender, e.flowVersion);
  varcharOrNull(appender, e.triggerType);
  varcharOrNull(appender, e.userId);
  varcharOrNull(appender, e.errorNodeId);
  varcharOrNull(appender, e.errorMessage);
  appender.appendBigInt(e.startNs);
  bigIntOrNull(appender, e.endNs);
  appender.appendBigInt(e.minStartNs);
  appender.appendBigInt(e.maxStartNs);
  appender.appendInteger(e.spanCount);
  appender.appendInteger(e.errorCount);
  appender.appendBigInt(e.lastSeenNs);
  appender.endRow();
}
