/**
 * The root span of any execution kind (flow, HTTP/TCP handler, MCP tool call, job). Inside
 * an execution that is already running, a new execution becomes a nested sub-execution: a
 * child span that is also a node of the outer one, so nested sub-flows are nested spans.
 * Outside any execution it starts a new trace, linked to whatever span was active.
 */
import { context, SpanKind, trace, type Attributes, type Context, type Link } from '@opentelemetry/api';
import {
  ATTR_ENDUSER_ID, ATTR_EXECUTION_KIND, ATTR_EXECUTION_STATUS, ATTR_FLOW_INPUT, ATTR_FLOW_OUTPUT,
  ATTR_NODE_ID, ATTR_NODE_INDEX, ATTR_NODE_INPUT, ATTR_NODE_NAME, ATTR_NODE_OUTPUT, ATTR_NODE_STATUS,
  ATTR_NODE_TYPE, ATTR_TRIGGER_DATA, ATTR_TRIGGER_TYPE, type ExecutionKind, type TriggerType,
} from './conventions.js';
import { serializePayload } from './capture/serialize.js';
import { frameOf, newExecution, type Frame } from './frame.js';
import { OwnAbort, type Limits } from './run.js';
import { rt } from './runtime.js';
import { NO_INPUT, openFrame } from './spans.js';

/** What started an execution. */
export interface Trigger {
  type: TriggerType;
  /** Anything describing the trigger (request path, schedule …); stored as JSON text. */
  data?: unknown;
}

/** Options shared by every execution kind. */
export interface ExecutionOptions extends Limits {
  trigger?: Trigger;
  /** Who started it (enduser.id). */
  userId?: string;
  /** Extra attributes for the root span. */
  attributes?: Attributes;
  /** Span links of the root span (a replay links to the execution it runs again). */
  links?: Link[];
}

/** What {@link openExecution} needs besides the options. */
export interface ExecutionSpec {
  kind: ExecutionKind;
  spanName: string;
  spanKind?: SpanKind;
  /** Identity used when the execution is nested as a node of an outer one. */
  nodeId: string;
  nodeType: string;
  attributes: Attributes;
  input?: unknown;
  /** Parent context (e.g. one extracted from incoming headers); defaults to the active one. */
  parentCtx?: Context;
}

/** Opens the root (or nested) span of an execution; the frame is undefined if tracing failed. */
export function openExecution(spec: ExecutionSpec, options: ExecutionOptions): { frame: Frame | undefined; own: OwnAbort | undefined } {
  const active = spec.parentCtx ?? context.active();
  const outer = frameOf(active);
  const attrs: Attributes = { ...options.attributes, ...spec.attributes };
  attrs[ATTR_EXECUTION_KIND] = spec.kind;
  const trigger = options.trigger;
  if (trigger) {
    attrs[ATTR_TRIGGER_TYPE] = trigger.type;
    if (trigger.data !== undefined && rt().capture.payloads) {
      const r = rt();
      const text = serializePayload(trigger.data, r.payloadOptions);
      if (text !== undefined) attrs[ATTR_TRIGGER_DATA] = text;
    }
  }
  if (options.userId !== undefined) attrs[ATTR_ENDUSER_ID] = options.userId;
  const inherited = outer && !outer.ended ? outer.abort : undefined;
  const own = options.signal || options.timeoutMs !== undefined
    ? new OwnAbort(options, inherited, spec.spanName)
    : undefined;
  const abort = own ?? inherited;
  const input = 'input' in spec ? spec.input : NO_INPUT;

  if (outer && !outer.ended) {
    attrs[ATTR_NODE_ID] = spec.nodeId;
    attrs[ATTR_NODE_NAME] = spec.spanName;
    attrs[ATTR_NODE_TYPE] = spec.nodeType;
    attrs[ATTR_NODE_INDEX] = outer.exec.nodeCounter++;
    const frame = openFrame({
      name: spec.spanName, kind: spec.spanKind ?? SpanKind.INTERNAL, role: 'node', attributes: attrs,
      parentCtx: active, exec: outer.exec, nodeId: spec.nodeId, abort, input,
      inputAttr: ATTR_NODE_INPUT, outputAttr: ATTR_NODE_OUTPUT, statusAttr: ATTR_NODE_STATUS,
    });
    return { frame, own };
  }

  const activeSpan = trace.getSpan(active);
  const activeLinks: Link[] = activeSpan && !spec.parentCtx ? [{ context: activeSpan.spanContext() }] : [];
  const allLinks = options.links ? [...options.links, ...activeLinks] : activeLinks;
  const links: Link[] | undefined = allLinks.length > 0 ? allLinks : undefined;
  const frame = openFrame({
    name: spec.spanName, kind: spec.spanKind ?? SpanKind.INTERNAL, role: 'root', keepParent: spec.parentCtx !== undefined,
    attributes: attrs, parentCtx: active, exec: newExecution(), abort, input,
    inputAttr: ATTR_FLOW_INPUT, outputAttr: ATTR_FLOW_OUTPUT, statusAttr: ATTR_EXECUTION_STATUS, links,
  });
  return { frame, own };
}
