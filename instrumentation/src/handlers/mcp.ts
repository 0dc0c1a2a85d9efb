/**
 * MCP-style tool calls: each call is an execution (kind mcp_tool, trigger mcp) named like
 * OTel's MCP spans (`tools/call <tool>`), with OTel's MCP and GenAI attribute names. The
 * arguments are the input and the tool result the output; a result with `isError: true`
 * (how MCP tools report failures without throwing) marks the execution as an error.
 */
import { SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_FLOW_ID, ATTR_FLOW_NAME, ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_TOOL_NAME, ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_METHOD_NAME, ATTR_MCP_SESSION_ID, MCP_METHOD_TOOLS_CALL,
} from '../conventions.js';
import { openExecution, type ExecutionOptions } from '../execution.js';
import { NEVER_ABORTED, runTraced } from '../run.js';

/** Per-call details of a tool call. */
export interface ToolCallOptions extends Omit<ExecutionOptions, 'trigger'> {
  sessionId?: string;
  /** JSON-RPC id of the request. */
  requestId?: string | number;
}

/** Handed to a tool's function. */
export interface ToolContext {
  signal: AbortSignal;
}

/** Runs one call of tool `name` as a traced execution; result and error pass through unchanged. */
export function runToolCall<A, R>(name: string, args: A, fn: (args: A, ctx: ToolContext) => R, options: ToolCallOptions = {}): R {
  const spanName = `${MCP_METHOD_TOOLS_CALL} ${name}`;
  const attrs: Attributes = {
    [ATTR_FLOW_ID]: `tool:${name}`,
    [ATTR_FLOW_NAME]: spanName,
    [ATTR_MCP_METHOD_NAME]: MCP_METHOD_TOOLS_CALL,
    [ATTR_GEN_AI_TOOL_NAME]: name,
    [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
  };
  if (options.sessionId !== undefined) attrs[ATTR_MCP_SESSION_ID] = options.sessionId;
  if (options.requestId !== undefined) attrs[ATTR_JSONRPC_REQUEST_ID] = String(options.requestId);
  const { frame, own } = openExecution(
    { kind: 'mcp_tool', spanName, spanKind: SpanKind.SERVER, nodeId: `tool:${name}`, nodeType: 'mcp_tool', attributes: attrs, input: args },
    { ...options, trigger: { type: 'mcp', data: { method: MCP_METHOD_TOOLS_CALL, tool: name, sessionId: options.sessionId } } },
  );
  const ctx: ToolContext = { signal: (own ?? frame?.abort)?.signal ?? NEVER_ABORTED };
  if (frame) frame.judge = (value) => (isErrorResult(value) ? toolErrorText(value) : undefined);
  return runTraced(frame, own, () => fn(args, ctx));
}

/** Wraps a tool function so every call is traced: `traceTool('search', fn)(args, { sessionId })`. */
export function traceTool<A, R>(name: string, fn: (args: A, ctx: ToolContext) => R): (args: A, options?: ToolCallOptions) => R {
  return (args: A, options?: ToolCallOptions): R => runToolCall(name, args, fn, options);
}

function isErrorResult(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { isError?: unknown }).isError === true;
}

function toolErrorText(value: unknown): string {
  const content = (value as { content?: Array<{ type?: string; text?: string }> }).content;
  const text = Array.isArray(content) ? content.find((c) => c && c.type === 'text')?.text : undefined;
  return text ?? 'tool reported an error';
}

