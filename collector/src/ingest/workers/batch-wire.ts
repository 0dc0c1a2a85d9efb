/**
 * A converted request (ConvertResult) as it crosses from an ingest worker to the main thread,
 * and back into the same ConvertResult there: logical spans, running spans and log lines as
 * columns (columns.ts), metric points and the rejections by structured clone (few, or rare).
 * What arrives is equal, field for field, to what the worker converted
 * (test/ingest/batch-wire.test.ts), so the writer sees the batch the inline path would give it.
 */
import type { IngestLog, IngestSpan } from '../../storage/index.js';
import type { ConvertResult } from '../convert-common.js';
import { buffersOf, packRows, StringTable, unpackRows, type Layout, type PackedRows } from './columns.js';

const SPAN_LAYOUT: Layout<IngestSpan> = {
  traceId: 'string', spanId: 'string', parentSpanId: 'string?', traceState: 'string?', name: 'string', kind: 'number',
  serviceName: 'string', startTimeUnixNano: 'bigint', endTimeUnixNano: 'bigint?', statusCode: 'number',
  statusMessage: 'string?', exceptionMessage: 'string?', attributes: 'strings', resourceAttributes: 'string',
  scopeName: 'string?', scopeVersion: 'string?', events: 'string', links: 'string', flags: 'number',
  droppedAttributesCount: 'number', droppedEventsCount: 'number', droppedLinksCount: 'number',
  executionKind: 'string?', flowId: 'string?', flowName: 'string?', flowVersion: 'string?', triggerType: 'string?',
  userId: 'string?', nodeId: 'string?', nodeName: 'string?', nodeType: 'string?', nodeIndex: 'number?',
  flowStatus: 'string?', errorNodeId: 'string?', resourceSchemaUrl: 'string?', resourceDroppedAttributesCount: 'number',
  scopeAttributes: 'string?', scopeDroppedAttributesCount: 'number', scopeSchemaUrl: 'string?', valueTypes: 'string?',
};

const LOG_LAYOUT: Layout<IngestLog> = {
  traceId: 'string', spanId: 'string', timeUnixNano: 'bigint', observedTimeUnixNano: 'bigint', severityNumber: 'number',
  severityText: 'string?', body: 'string', bodyType: 'number', attributes: 'string', resourceAttributes: 'string',
  serviceName: 'string', scopeName: 'string?', scopeVersion: 'string?', eventName: 'string?', flags: 'number',
  droppedAttributesCount: 'number', resourceSchemaUrl: 'string?', resourceDroppedAttributesCount: 'number',
  scopeAttributes: 'string?', scopeDroppedAttributesCount: 'number', scopeSchemaUrl: 'string?', valueTypes: 'string?',
};

/** A ConvertResult on the wire. */
export type WireResult =
  | {
    columns: { strings: string[]; spans: PackedRows; starts: PackedRows; logs: PackedRows };
    rest: Omit<ConvertResult, 'batch'> & { metrics?: ConvertResult['batch']['metrics'] };
  }
  /** When the rows cannot be packed (a bigint beyond 64 bits, which ingest does not let through): as they are. */
  | { clone: ConvertResult };

/** The message of a result and the buffers to transfer with it. */
export function toWire(result: ConvertResult): { wire: WireResult; transfer: ArrayBuffer[] } {
  const { batch, ...rest } = result;
  let columns;
  try {
    const table = new StringTable();
    columns = {
      spans: packRows(batch.spans, SPAN_LAYOUT, table),
      starts: packRows(batch.starts, SPAN_LAYOUT, table),
      logs: packRows(batch.logs, LOG_LAYOUT, table),
      strings: table.strings,
    };
  } catch (error) {
    if (error instanceof RangeError) return { wire: { clone: result }, transfer: [] };
    throw error;
  }
  const wire: WireResult = { columns, rest: batch.metrics === undefined ? rest : { ...rest, metrics: batch.metrics } };
  return { wire, transfer: [...buffersOf(columns.spans), ...buffersOf(columns.starts), ...buffersOf(columns.logs)] };
}

/** The ConvertResult a wire result carries. */
export function fromWire(wire: WireResult): ConvertResult {
  if ('clone' in wire) return wire.clone;
  const { columns, rest } = wire;
  const { metrics, ...counts } = rest;
  const batch: ConvertResult['batch'] = {
    spans: unpackRows(columns.spans, SPAN_LAYOUT, columns.strings),
    starts: unpackRows(columns.starts, SPAN_LAYOUT, columns.strings),
    logs: unpackRows(columns.logs, LOG_LAYOUT, columns.strings),
  };
  if (metrics !== undefined) batch.metrics = metrics;
  return { batch, ...counts };
}
