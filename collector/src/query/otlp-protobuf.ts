/**
 * The OTLP/JSON export of a trace (otlp-export.ts) → protobuf bytes, with the code generated
 * from the official .proto files (ingest/generated, the protocol's definition: the import rules
 * let query use it, see .dependency-cruiser.cjs). OTLP/JSON's hex ids become bytes; 64-bit
 * numbers stay decimal text, which protobufjs writes exactly (through Long).
 *
 * Tempo's TraceByIDResponse is `{ Trace trace = 1; … }` with `Trace { repeated ResourceSpans
 * resourceSpans = 1; }` — the wire format of OTLP's TracesData — so its body is one field-1,
 * length-delimited wrapper around the TracesData bytes.
 */
import protobuf from 'protobufjs/minimal.js';
import { opentelemetry } from '../ingest/generated/otlp.js';
import type { OtlpJsonTraceRequest } from './otlp-export.js';

const TracesData = opentelemetry.proto.trace.v1.TracesData;
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP/JSON shapes → the objects the generated encoder takes: hex ids as bytes, the rest as they are. */
function toProtoShape(v: unknown, key = ''): unknown {
  if (typeof v === 'string' && ID_FIELDS.has(key)) return Uint8Array.from(Buffer.from(v, 'hex'));
  if (Array.isArray(v)) return v.map((x) => toProtoShape(x));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = toProtoShape(x, k);
  return out;
}

/** A trace's OTLP/JSON export as protobuf TracesData bytes. */
export function encodeTracesData(request: OtlpJsonTraceRequest): Uint8Array {
  return TracesData.encode(toProtoShape(request) as never).finish();
}

/** Tempo's TraceByIDResponse around a trace: field 1 (Trace) holding the TracesData bytes. */
export function encodeTraceByIdResponse(request: OtlpJsonTraceRequest): Uint8Array {
  return protobuf.Writer.create().uint32((1 << 3) | 2).bytes(encodeTracesData(request)).finish();
}
