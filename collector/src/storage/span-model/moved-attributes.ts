/**
 * Hot attributes stored once. A span's flow attributes (flow.node.id, flow.name …) have real
 * columns (span.ts FlowFields); writing them a second time inside the attributes JSON cost 16
 * of the 61 bytes a span without payloads takes on disk (1M-span benchmark data: 60.6 B/span
 * with them, 44.8 without). So encode.ts leaves an attribute out of the JSON when its column
 * rebuilds it exactly, and records which ones it left out as bits of
 * span_data.moved_attributes. Decoders put them back in front of the others: decode.ts in
 * TypeScript, the macros attribute-sql.ts generates from this same table in SQL. Rows written
 * before schema version 8 have moved_attributes NULL: nothing moved. Running spans
 * (span_starts) move none.
 */
import {
  ATTR_ENDUSER_ID, ATTR_ERROR_NODE_ID, ATTR_EXECUTION_KIND, ATTR_EXECUTION_STATUS, ATTR_FLOW_ID,
  ATTR_FLOW_NAME, ATTR_FLOW_VERSION, ATTR_NODE_ID, ATTR_NODE_INDEX, ATTR_NODE_NAME, ATTR_NODE_STATUS,
  ATTR_NODE_TYPE, ATTR_TRIGGER_TYPE,
} from '@flowtrace/instrumentation/conventions';
import type { FlowFields } from './span.js';

/** An attribute that may be moved: its key, its bit, the column and field holding it. */
export interface MovableAttribute {
  key: string;
  bit: number;
  column: string;
  field: keyof FlowFields;
}

/** In the order decoders put them back. Bits are stored: never renumber, only append. */
export const MOVABLE_ATTRIBUTES: readonly MovableAttribute[] = [
  { key: ATTR_EXECUTION_KIND, bit: 1 << 0, column: 'execution_kind', field: 'executionKind' },
  { key: ATTR_FLOW_ID, bit: 1 << 1, column: 'flow_id', field: 'flowId' },
  { key: ATTR_FLOW_NAME, bit: 1 << 2, column: 'flow_name', field: 'flowName' },
  { key: ATTR_FLOW_VERSION, bit: 1 << 3, column: 'flow_version', field: 'flowVersion' },
  { key: ATTR_TRIGGER_TYPE, bit: 1 << 4, column: 'trigger_type', field: 'triggerType' },
  { key: ATTR_ENDUSER_ID, bit: 1 << 5, column: 'user_id', field: 'userId' },
  { key: ATTR_NODE_ID, bit: 1 << 6, column: 'node_id', field: 'nodeId' },
  { key: ATTR_NODE_NAME, bit: 1 << 7, column: 'node_name', field: 'nodeName' },
  { key: ATTR_NODE_TYPE, bit: 1 << 8, column: 'node_type', field: 'nodeType' },
  { key: ATTR_NODE_INDEX, bit: 1 << 9, column: 'node_index', field: 'nodeIndex' },
  { key: ATTR_EXECUTION_STATUS, bit: 1 << 10, column: 'flow_status', field: 'flowStatus' },
  { key: ATTR_NODE_STATUS, bit: 1 << 11, column: 'flow_status', field: 'flowStatus' },
  { key: ATTR_ERROR_NODE_ID, bit: 1 << 12, column: 'error_node_id', field: 'errorNodeId' },
];

const BY_KEY = new Map(MOVABLE_ATTRIBUTES.map((m) => [m.key, m]));

/** The movable attribute of a key, or undefined. */
export function movableAttribute(key: string): MovableAttribute | undefined {
  return BY_KEY.get(key);
}

/** The value JSON a moved attribute is rebuilt with, from its column's value; null when the column is empty. */
export function movedValueJson(m: MovableAttribute, flow: FlowFields): string | null {
  const value = flow[m.field];
  return value === null ? null : typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/**
 * True when an attribute's value JSON is what its column rebuilds it as (movedValueJson),
 * decided without writing that JSON for the usual string without escapes.
 */
export function isMovedValue(m: MovableAttribute, flow: FlowFields, valueJson: string): boolean {
  const value = flow[m.field];
  if (value === null) return false;
  if (typeof value === 'number') return valueJson === String(value);
  // A string whose JSON has no backslash is its text between quotes, and conversely.
  if (valueJson.length === value.length + 2 && valueJson.charCodeAt(0) === 0x22 && valueJson.indexOf('\\') < 0) {
    return valueJson.charCodeAt(valueJson.length - 1) === 0x22 && valueJson.startsWith(value, 1);
  }
  return valueJson === JSON.stringify(value);
}

/** An attributes object text with the moved attributes of `moved` put back in front. */
export function withMovedAttributes(json: string, moved: number, flow: FlowFields): string {
  if (moved === 0) return json;
  let front = '';
  for (const m of MOVABLE_ATTRIBUTES) {
    if ((moved & m.bit) !== 0) front += (front === '' ? '' : ',') + JSON.stringify(m.key) + ':' + (movedValueJson(m, flow) ?? 'null');
  }
  return json === '{}' ? `{${front}}` : `{${front},${json.slice(1)}`;
}
