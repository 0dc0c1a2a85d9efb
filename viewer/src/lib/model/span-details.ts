/**
 * What the span panel shows, read out of a span's details (attributes and events): input and
 * output payloads (JSON text, maybe truncated), exceptions and the remaining attributes; and
 * from the outline, node identity and the row label. Attribute names come from the
 * instrumentation's conventions.
 */
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ATTR_FLOW_INPUT,
  ATTR_FLOW_OUTPUT,
  ATTR_NODE_INPUT,
  ATTR_NODE_OUTPUT,
  EVENT_EXCEPTION,
  TRUNCATION_MARKER,
} from '@flowtrace/instrumentation/conventions';
import type { ExceptionInfo, SpanDetailsModel, SpanModel } from './types.js';

export interface Payload {
  /** Parsed JSON, or the raw text when it is not JSON (truncated payloads usually aren't). */
  value: unknown;
  raw: string;
  parsed: boolean;
  truncated: boolean;
}

const PAYLOAD_KEYS = new Set([ATTR_FLOW_INPUT, ATTR_FLOW_OUTPUT, ATTR_NODE_INPUT, ATTR_NODE_OUTPUT]);

/** Parses a captured payload attribute. */
export function parsePayload(v: unknown): Payload | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return { value: v, raw: JSON.stringify(v), parsed: true, truncated: false };
  const truncated = v.endsWith(TRUNCATION_MARKER);
  try {
    return { value: JSON.parse(v), raw: v, parsed: true, truncated };
  } catch {
    return { value: v, raw: v, parsed: false, truncated };
  }
}

export function spanInput(s: SpanDetailsModel): Payload | null {
  return parsePayload(s.attributes[ATTR_NODE_INPUT] ?? s.attributes[ATTR_FLOW_INPUT]);
}

export function spanOutput(s: SpanDetailsModel): Payload | null {
  return parsePayload(s.attributes[ATTR_NODE_OUTPUT] ?? s.attributes[ATTR_FLOW_OUTPUT]);
}

/** A span's events in time order (OTLP keeps the order they were added in, which need not be it). */
function inTimeOrder(s: SpanDetailsModel) {
  return s.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.timeMs - b.e.timeMs || a.i - b.i).map(({ e }) => e);
}

/** The `exception` events of a span, in time order. */
export function spanExceptions(s: SpanDetailsModel): ExceptionInfo[] {
  return inTimeOrder(s)
    .filter((e) => e.name === EVENT_EXCEPTION)
    .map((e) => ({
      type: String(e.attributes[ATTR_EXCEPTION_TYPE] ?? 'Error'),
      message: String(e.attributes[ATTR_EXCEPTION_MESSAGE] ?? ''),
      stack: typeof e.attributes[ATTR_EXCEPTION_STACKTRACE] === 'string' ? (e.attributes[ATTR_EXCEPTION_STACKTRACE] as string) : null,
      timeMs: e.timeMs,
    }));
}

/** Events other than exceptions (those get their own section), in time order. */
export function spanOtherEvents(s: SpanDetailsModel) {
  return inTimeOrder(s).filter((e) => e.name !== EVENT_EXCEPTION);
}

/** Attributes minus the payloads, sorted by key, values as display text. */
export function attributeRows(attrs: Record<string, unknown>): Array<[string, string]> {
  return Object.keys(attrs)
    .filter((k) => !PAYLOAD_KEYS.has(k))
    .sort()
    .map((k) => [k, displayValue(attrs[k])]);
}

export function displayValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return String(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Node name/id/type when the span is a flow node. */
export function nodeInfo(s: SpanModel): { id: string; name: string; type: string | null } | null {
  if (s.nodeId === null) return null;
  return { id: s.nodeId, name: s.nodeName ?? s.nodeId, type: s.nodeType };
}

/** The label a waterfall row shows: node name when there is one, else the span name. */
export function spanLabel(s: SpanModel): string {
  return s.nodeName ? s.nodeName : s.name;
}
