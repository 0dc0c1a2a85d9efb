/**
 * Reads an outline's tuples back as objects, by the API's TraceOutline `fields` and `codes`
 * (storage's front module exports them; every engine renders the same tuples).
 */
import { OUTLINE_CODES, OUTLINE_FIELDS, type TraceOutlineJson } from '../../src/storage/index.js';

export interface OutlineRow {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  status: string;
  nodeId: string | null;
  /** Microseconds after the outline's base. */
  startUs: number;
  durationUs: number | null;
}

/** The outline's spans in the order the outline gives them. */
export function outlineRows(outline: TraceOutlineJson): OutlineRow[] {
  const tuples = JSON.parse(`[${outline.spansJson}]`) as unknown[][];
  const at = (tuple: unknown[], field: (typeof OUTLINE_FIELDS)[number]): unknown => tuple[OUTLINE_FIELDS.indexOf(field)];
  return tuples.map((t) => ({
    spanId: String(at(t, 'spanId')),
    parentSpanId: at(t, 'parentSpanId') === null ? null : String(at(t, 'parentSpanId')),
    name: String(at(t, 'name')),
    serviceName: String(at(t, 'serviceName')),
    status: OUTLINE_CODES.status[Number(at(t, 'status'))],
    nodeId: at(t, 'nodeId') === null ? null : String(at(t, 'nodeId')),
    startUs: Number(at(t, 'startUs')),
    durationUs: at(t, 'durationUs') === null ? null : Number(at(t, 'durationUs')),
  }));
}
