/**
 * MCP-style tool calls: each call is an execution (kind mcp_tool, trigger mcp) named like
 * OTel's MCP spans (`tools/call <tool>`), with OTel's MCP and GenAI attribute names. The
 * arguments are the input and the tool result the output; a result with `isError: true`
 * (how MCP tools report failures without throwing) marks the execution as an error.
 *
 * With `control: { cancel: true }` a running call can be cancelled from the collector (announced
 * as `tool:<name>`): the tool's `ctx.signal` fires and the call settles at once with the
 * CancelledError, as a flow run does, so the MCP client is answered. A tool that ignores the
 * signal and ends later gets a warning line on its span saying when (run.ts).
 */
import { SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_TOOL_NAME, ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_METHOD_NAME, ATTR_MCP_SESSION_ID, MCP_METHOD_TOOLS_CALL,
} from '../conventions.js';
import { trackRun } from '../control/registry.js';
import { openExecution, type ExecutionOptions } from '../execution.js';
import { NEVER_ABORTED, runTraced } from '../run.js';
import { announceHandler, handlerCanceller, type HandlerControl } from './control.js';

/** Per-call details of a tool call. */
export interface ToolCallOptions extends Omit<ExecutionOptions, 'trigger'> {
  sessionId?: string;
  /** JSON-RPC id of the request. */
  requestId?: string | number;
  /** Let the collector cancel the call (`setupTracing({ control: true })`). Off unless set. */
  control?: HandlerControl;
}

/** Options of {@link traceTool} that hold for every call. */
export interface ToolOptions {
  /** Let the collector cancel its calls; announced as `tool:<name>` when wrapped. Off unless set. */
  control?: HandlerControl;
}

/** Handed to a tool's function. */
export interface ToolContext {
  signal: AbortSignal;
}

/** Runs one call of tool `name` as a traced execution; result and error pass through unchanged. */
export function runToolCall<A, R>(name: string, args: A, fn: (args: A, ctx: ToolContext) => R, options: ToolCallOptions = {}): R {
  const spanName = `${MCP_METHOD_TOOLS_CALL} ${name}`;
  const id = `tool:${name}`;
  if (options.control?.cancel) announceHandler(id, spanName);
  const controller = handlerCanceller(options.control, id);
  const limits = controller
    ? { ...options, signal: options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal }
    : options;
  const attrs: Attributes = {
    [ATTR_FLOW_ID]: id,
    [ATTR_FLOW_NAME]: spanName,
    [ATTR_MCP_METHOD_NAME]: MCP_METHOD_TOOLS_CALL,
    [ATTR_GEN_AI_TOOL_NAME]: name,
    [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
  };
  if (options.sessionId !== undefined) attrs[ATTR_MCP_SESSION_ID] = options.sessionId;
  if (options.requestId !== undefined) attrs[ATTR_JSONRPC_REQUEST_ID] = String(options.requestId);
  const { frame, own } = openExecution(
    { kind: 'mcp_tool', spanName, spanKind: SpanKind.SERVER, nodeId: `tool:${name}`, nodeType: 'mcp_tool', attributes: attrs, input: args },
    { ...limits, trigger: { type: 'mcp', data: { method: MCP_METHOD_TOOLS_CALL, tool: name, sessionId: options.sessionId } } },
  );
  const ctx: ToolContext = { signal: (own ?? frame?.abort)?.signal ?? NEVER_ABORTED };
  if (controller && frame?.role === 'root') frame.onClose = trackRun(frame.span.spanContext().traceId, id, controller, frame.span);
  if (frame) frame.judge = (value) => (isErrorResult(value) ? toolErrorText(value) : undefined);
  return runTraced(frame, own, () => fn(args, ctx));
}

/** Wraps a tool function so every call is traced: `traceTool('search', fn)(args, { sessionId })`. */
export function traceTool<A, R>(name: string, fn: (args: A, ctx: ToolContext) => R, toolOptions: ToolOptions = {}): (args: A, options?: ToolCallOptions) => R {
  if (toolOptions.control?.cancel) announceHandler(`tool:${name}`, `${MCP_METHOD_TOOLS_CALL} ${name}`);
  return (args: A, options?: ToolCallOptions): R => runToolCall(name, args, fn, toolOptions.control ? { ...options, control: toolOptions.control } : options);
}

function isErrorResult(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { isError?: unknown }).isError === true;
}

function toolErrorText(value: unknown): string {
  const content = (value as { content?: Array<{ type?: string; text?: string }> }).content;
  const text = Array.isArray(content) ? content.find((c) => c && c.type === 'text')?.text : undefined;
  return text ?? 'tool reported an error';
}

