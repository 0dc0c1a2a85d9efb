/**
 * Hot attributes stored once. A span's flow.* attributes (flow.node.id, flow.name …) are
 * copied into real columns (rows.ts HotSpanFields); writing them a second time inside the
 * attributes JSON cost 16 of the 61 bytes a span without payloads takes on disk (measured on
 * the 1M-span benchmark data: 60.6 B/span with them, 44.8 without). Ingest therefore leaves an
 * attribute out of the JSON when its column rebuilds it exactly, and records which ones it
 * left out as bits of span_data.moved_attributes (schema/008_moved_attributes.sql). Readers
 * put them back in front of the others: in SQL the span_attributes macro, in JavaScript
 * withMovedAttributes below. Rows written before 008 have moved_attributes NULL: nothing moved.
 */
import {
  ATTR_ENDUSER_ID, ATTR_ERROR_NODE_ID, ATTR_EXECUTION_KIND, ATTR_EXECUTION_STATUS, ATTR_FLOW_ID,
  ATTR_FLOW_NAME, ATTR_FLOW_VERSION, ATTR_NODE_ID, ATTR_NODE_INDEX, ATTR_NODE_NAME, ATTR_NODE_STATUS,
  ATTR_NODE_TYPE, ATTR_TRIGGER_TYPE,
} from '@flowtrace/instrumentation/conventions';
import type { HotSpanFields } from './rows.js';

/** An attribute that may be moved: its key, its bit, the column and field holding it. */
export interface MovableAttribute {
  key: string;
  bit: number;
  column: string;
  field: keyof HotSpanFields;
}

/** In the order readers put them back. Bits are stored: never renumber, only append. */
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

/** The columns span_attributes (schema/008) takes after moved_attributes, in its parameter order. */
const MOVABLE_COLUMNS = [...new Set(MOVABLE_ATTRIBUTES.map((m) => m.column))].join(', ');

const BY_KEY = new Map(MOVABLE_ATTRIBUTES.map((m) => [m.key, m]));

/** The movable attribute of a key, or undefined. */
export function movableAttribute(key: string): MovableAttribute | undefined {
  return BY_KEY.get(key);
}

/** The `"key":value` JSON text a moved attribute is rebuilt as, from its column's value. */
export function movedEntry(m: MovableAttribute, hot: HotSpanFields): string {
  const value = hot[m.field];
  return JSON.stringify(m.key) + ':' + (typeof value === 'number' ? String(value) : JSON.stringify(value));
}

/** An attributes object text with the moved attributes of `moved` put back in front. */
export function withMovedAttributes(json: string, moved: number, hot: HotSpanFields): string {
  if (moved === 0) return json;
  let front = '';
  for (const m of MOVABLE_ATTRIBUTES) {
    if ((moved & m.bit) !== 0) front += (front === '' ? '' : ',') + movedEntry(m, hot);
  }
  return json === '{}' ? `{${front}}` : `{${front},${json.slice(1)}`;
}

/** SQL: the attributes of a span_data row as one JSON object text (all of them: small, large, moved). */
export const SPAN_ATTRIBUTES = `span_attributes(attributes, large_attributes, moved_attributes, ${MOVABLE_COLUMNS})`;

/** SQL: like SPAN_ATTRIBUTES without the large attributes (for key suggestions, which skip payloads). */
export const SMALL_SPAN_ATTRIBUTES = `span_attributes(attributes, NULL, moved_attributes, ${MOVABLE_COLUMNS})`;
