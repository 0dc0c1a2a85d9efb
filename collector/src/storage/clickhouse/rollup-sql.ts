/**
 * The rollup's root as data both sides read: what the materialized view computes per span
 * (schema-spans.ts), what SQL reads back cheaply, and how JavaScript decodes it.
 *
 * Why this shape (schema version 2; measured on chDB): the root was an argMin over a named Tuple
 * ranked by a Tuple, which ClickHouse keeps in its generic, Field-based aggregate state — merging the
 * two root states of the 5,258 traces of the 100k-span benchmark database took ~28 ms, and a first
 * page pays for every granule its window's random trace ids fall in. A String value ranked by a
 * UInt256 uses the specialised states (100k synthetic states: 45 against 143 ms). And the ~60
 * expressions that turned the tuples into record columns cost ~12 ms of planning per statement
 * (ClickHouse 26.7 in chDB plans a function node in ~0.2 ms): readers now take the packed text to
 * JavaScript (execution-decode.ts) and spell out in SQL only what they filter or aggregate on.
 *
 * Invariants: the rank orders root candidates as storage/writer/execution-merge.ts does — a span
 * without a parent first, then the earliest start, then the span id, then a finished copy over its
 * running mark — as one UInt256: has-parent bit 192, start (63 bits) from bit 128, the span id's
 * 64 bits (16 lower-case hex digits, as ingest requires, read big-endian: numeric order is text
 * order) from bit 1, running bit 0. The packed root is a JSON array in ROOT_FIELDS order, 64-bit
 * times as decimal strings.
 */

/** The fields of a root candidate, in the order of the packed JSON array. */
export const ROOT_FIELDS = [
  'span_id', 'parent_span_id', 'name', 'service_name', 'finished', 'status_code', 'flow_status', 'execution_kind', 'flow_id',
  'flow_name', 'flow_version', 'trigger_type', 'user_id', 'error_node_id', 'start_ns', 'end_ns', 'message',
] as const;

export type RootField = (typeof ROOT_FIELDS)[number];

/** The SQL types JSONExtract gives the packed array's fields (times stay text: toInt64 where needed). */
const ROOT_FIELD_TYPES: Record<RootField, string> = {
  span_id: 'String', parent_span_id: 'String', name: 'String', service_name: 'String', finished: 'UInt8', status_code: 'UInt8',
  flow_status: 'Nullable(String)', execution_kind: 'Nullable(String)', flow_id: 'Nullable(String)', flow_name: 'Nullable(String)',
  flow_version: 'Nullable(String)', trigger_type: 'Nullable(String)', user_id: 'Nullable(String)', error_node_id: 'Nullable(String)',
  start_ns: 'String', end_ns: 'Nullable(String)', message: 'Nullable(String)',
};

/** The named Tuple type of a packed root (JSONExtract of the array, field by position). */
export const ROOT_TUPLE_TYPE = `Tuple(${ROOT_FIELDS.map((f) => `${f} ${ROOT_FIELD_TYPES[f]}`).join(', ')})`;

/** The span id's 64 bits of a span_data row (16 hex digits, big-endian). */
export const SPAN_ID_BITS_SQL = 'reinterpretAsUInt64(reverse(unhex(span_id)))';

/** A span_data row's rank as a root candidate (least first). */
export const RANK_SQL = `(bitShiftLeft(toUInt256(parent_span_id != ''), 192) + bitShiftLeft(toUInt256(start_ns), 128)`
  + ` + bitShiftLeft(toUInt256(${SPAN_ID_BITS_SQL}), 1) + toUInt256(end_ns IS NULL))`;

/** Greater than every rank: a trace's finished_rank until one of its spans is finished. */
export const NO_RANK_SQL = `toUInt256('${(2n ** 256n - 1n).toString()}')`;

/** A span_data row as a packed root candidate (the message is a failed span's, as the root's error). */
export const PACKED_ROOT_SQL = `formatRowNoNewline('JSONCompactEachRow', span_id, parent_span_id, name, service_name,`
  + ' toUInt8(end_ns IS NOT NULL), status_code, flow_status, execution_kind, flow_id, flow_name, flow_version, trigger_type,'
  + ' user_id, error_node_id, toString(start_ns), toString(end_ns), if(status_code = 2, coalesce(exception_message, status_message), NULL))';

/** The rank of a failed span for the first error: start, then span id. */
export const ERROR_RANK_SQL = `(bitShiftLeft(toUInt128(start_ns), 64) + toUInt128(${SPAN_ID_BITS_SQL}))`;

/**
 * True (1) when the best root is the finished copy: the trace has a finished span (its least
 * finished rank is below NO_RANK's top bit) and that rank is the least rank's span (their span id
 * bits, 1 to 64, agree). Written with shifts rather than masks: no 78-digit constants to fold.
 * `rr`/`fr`: the merged root_rank and finished_rank.
 */
export const USE_FINISHED_SQL = (rr: string, fr: string): string =>
  `(bitShiftRight(${fr}, 255) = 0 AND bitShiftRight(bitShiftLeft(bitXor(${fr}, ${rr}), 191), 192) = 0)`;

/** The start (ns, Int64) a rank carries: its bits 128 to 190. */
export const RANK_START_SQL = (rank: string): string => `toInt64(bitShiftRight(bitShiftLeft(${rank}, 65), 193))`;

/** The execution's start from the merged ranks: the best root's start. */
export const EXECUTION_START_SQL = (rr: string, fr: string): string =>
  `if(${USE_FINISHED_SQL(rr, fr)}, ${RANK_START_SQL(fr)}, ${RANK_START_SQL(rr)})`;

/** A root candidate decoded from its packed text. */
export interface PackedRoot {
  spanId: string;
  parentSpanId: string;
  name: string;
  serviceName: string;
  finished: boolean;
  statusCode: number;
  flowStatus: string | null;
  executionKind: string | null;
  flowId: string | null;
  flowName: string | null;
  flowVersion: string | null;
  triggerType: string | null;
  userId: string | null;
  errorNodeId: string | null;
  startNs: string;
  endNs: string | null;
  message: string | null;
}

/** The packed text of a root candidate, or null for '' (no candidate: argMinIf over no finished span). */
export function decodeRoot(text: string): PackedRoot | null {
  if (text === '') return null;
  const a = JSON.parse(text) as unknown[];
  const s = (i: number): string | null => (a[i] === null ? null : String(a[i]));
  return {
    spanId: String(a[0]), parentSpanId: String(a[1]), name: String(a[2]), serviceName: String(a[3]), finished: Number(a[4]) === 1,
    statusCode: Number(a[5]), flowStatus: s(6), executionKind: s(7), flowId: s(8), flowName: s(9), flowVersion: s(10),
    triggerType: s(11), userId: s(12), errorNodeId: s(13), startNs: String(a[14]), endNs: s(15), message: s(16),
  };
}
