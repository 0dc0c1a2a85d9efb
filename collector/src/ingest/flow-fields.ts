/**
 * A span's flow fields (storage's FlowFields: flow.name, flow.node.id …) read from its
 * attributes, keyed by the attribute names of the instrumentation conventions: the first value
 * of each key that is a scalar, strings as they are, numbers and booleans as text,
 * flow.node.index as an integer. They travel with the span (storage gives them columns); the
 * attributes keep them too.
 */
import {
  ATTR_ENDUSER_ID, ATTR_ERROR_NODE_ID, ATTR_EXECUTION_KIND, ATTR_EXECUTION_STATUS, ATTR_FLOW_ID, ATTR_FLOW_NAME,
  ATTR_FLOW_VERSION, ATTR_NODE_ID, ATTR_NODE_INDEX, ATTR_NODE_NAME, ATTR_NODE_STATUS, ATTR_NODE_TYPE, ATTR_TRIGGER_TYPE,
} from '@flowtrace/instrumentation/conventions';
import type { AnyValue } from '../otlp/shapes.js';
import type { FlowFields } from '../storage/index.js';
import { int64ToSafeNumber } from './ids-and-times.js';

type TextField = Exclude<keyof FlowFields, 'nodeIndex'>;

/** The attribute each text field is read from (flow.execution.status and flow.node.status both give the flow status). */
export const FLOW_TEXT_KEYS: ReadonlyMap<string, TextField> = new Map<string, TextField>([
  [ATTR_EXECUTION_KIND, 'executionKind'], [ATTR_FLOW_ID, 'flowId'], [ATTR_FLOW_NAME, 'flowName'],
  [ATTR_FLOW_VERSION, 'flowVersion'], [ATTR_TRIGGER_TYPE, 'triggerType'], [ATTR_ENDUSER_ID, 'userId'],
  [ATTR_NODE_ID, 'nodeId'], [ATTR_NODE_NAME, 'nodeName'], [ATTR_NODE_TYPE, 'nodeType'],
  [ATTR_EXECUTION_STATUS, 'flowStatus'], [ATTR_NODE_STATUS, 'flowStatus'], [ATTR_ERROR_NODE_ID, 'errorNodeId'],
]);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Flow fields, all null. */
export function noFlowFields(): FlowFields {
  return {
    executionKind: null, flowId: null, flowName: null, flowVersion: null, triggerType: null,
    userId: null, nodeId: null, nodeName: null, nodeType: null, nodeIndex: null, flowStatus: null,
    errorNodeId: null,
  };
}

/** True when `key` gives a flow field. */
export function isFlowKey(key: string): boolean {
  return key === ATTR_NODE_INDEX || FLOW_TEXT_KEYS.has(key);
}

/** A scalar AnyValue as a string, number or boolean; null for anything else. */
export function scalarOf(value: AnyValue | null | undefined): string | number | boolean | null {
  if (value == null) return null;
  if (value.stringValue != null) return value.stringValue;
  if (value.intValue != null) return int64ToSafeNumber(value.intValue);
  if (value.doubleValue != null) return value.doubleValue;
  if (value.boolValue != null) return value.boolValue;
  return null;
}

/**
 * Sets the flow field of attribute `key` = `value` when it is a flow key and the field is still
 * unset (the first value wins); `cap` cuts a text as the attribute's own value is cut.
 */
export function setFlowField(flow: FlowFields, key: string, value: AnyValue | null | undefined, cap: (text: string) => string): void {
  if (key === ATTR_NODE_INDEX) {
    const n = scalarOf(value);
    if (flow.nodeIndex === null && typeof n === 'number' && Number.isInteger(n)) flow.nodeIndex = n;
    return;
  }
  const field = FLOW_TEXT_KEYS.get(key);
  if (field === undefined || flow[field] !== null) return;
  const s = scalarOf(value);
  if (s !== null) flow[field] = cap(String(s));
}

/** Why the flow fields cannot be a span's (a flow.node.index beyond 32 bits), or null. */
export function flowFieldsProblem(flow: FlowFields): string | null {
  const i = flow.nodeIndex;
  return i === null || (i >= INT32_MIN && i <= INT32_MAX) ? null : `${ATTR_NODE_INDEX} ${i} is out of range (a 32-bit integer)`;
}
