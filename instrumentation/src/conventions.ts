/**
 * The flowtrace trace model: every attribute name and value that the instrumentation
 * writes and the collector and viewer read. Defined once, here; the collector and the
 * viewer import these constants. Where OpenTelemetry semantic conventions already name
 * a thing (service.name, enduser.id, exception.*, mcp.*, gen_ai.*), their name is used.
 *
 * This module has no dependencies so that any package can import it cheaply.
 */

// ── resource ────────────────────────────────────────────────────────────────
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment.name';

// ── execution (root span) ───────────────────────────────────────────────────
/** What kind of execution a root span is; one of {@link ExecutionKind}. */
export const ATTR_EXECUTION_KIND = 'flow.execution.kind';
export const ATTR_FLOW_ID = 'flow.id';
export const ATTR_FLOW_NAME = 'flow.name';
export const ATTR_FLOW_VERSION = 'flow.version';
/** One of {@link TriggerType}. */
export const ATTR_TRIGGER_TYPE = 'flow.trigger.type';
/** JSON text describing the trigger (request path, schedule, queue message id …). */
export const ATTR_TRIGGER_DATA = 'flow.trigger.data';
/** Who started the execution (OTel semantic convention). */
export const ATTR_ENDUSER_ID = 'enduser.id';
/** JSON text, redacted and size-capped. */
export const ATTR_FLOW_INPUT = 'flow.input';
/** JSON text, redacted and size-capped. */
export const ATTR_FLOW_OUTPUT = 'flow.output';
/** Status beyond what OTel span status says; one of {@link ExecutionStatus}. */
export const ATTR_EXECUTION_STATUS = 'flow.execution.status';
/** Id of the node whose failure failed the execution. */
export const ATTR_ERROR_NODE_ID = 'flow.error.node_id';
/** Who asked for a cancelled execution to stop (the text a control request names), on its root span. */
export const ATTR_CANCEL_REQUESTED_BY = 'flow.cancel.requested_by';
/**
 * Span event on a root when a control cancel reaches it (attribute: ATTR_CANCEL_REQUESTED_BY). Its
 * time is when the cancel arrived; a handler that ends later ran on for the difference.
 */
export const EVENT_CANCEL_REQUESTED = 'flow.cancel.requested';
/** Trace id of the execution a replay runs again (the root also carries a span link to that execution's root). */
export const ATTR_REPLAY_OF = 'flow.replay.of';

// ── node (child span) ───────────────────────────────────────────────────────
export const ATTR_NODE_ID = 'flow.node.id';
export const ATTR_NODE_NAME = 'flow.node.name';
export const ATTR_NODE_TYPE = 'flow.node.type';
/** Execution order of the node within its execution (0-based integer). */
export const ATTR_NODE_INDEX = 'flow.node.index';
export const ATTR_NODE_INPUT = 'flow.node.input';
export const ATTR_NODE_OUTPUT = 'flow.node.output';
/** One of {@link NodeStatus}. */
export const ATTR_NODE_STATUS = 'flow.node.status';

// ── network / TCP (root span of a connection) ───────────────────────────────
export const ATTR_NETWORK_PEER_ADDRESS = 'network.peer.address';
export const ATTR_NETWORK_PEER_PORT = 'network.peer.port';

// ── MCP tool calls (OTel MCP and GenAI semantic conventions) ────────────────
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** GenAI operation name; `execute_tool` for a tool call. */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** JSON-RPC id of the MCP request. */
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
/** Value of {@link ATTR_MCP_METHOD_NAME} for a tool call. */
export const MCP_METHOD_TOOLS_CALL = 'tools/call';

// ── HTTP (OTel semantic conventions, on an http_handler root span) ──────────
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_QUERY = 'url.query';
export const ATTR_USER_AGENT = 'user_agent.original';

// ── jobs ────────────────────────────────────────────────────────────────────
/** Schedule of a job (e.g. `every 30s` or a cron text), on a job root span. */
export const ATTR_JOB_SCHEDULE = 'flow.job.schedule';

// ── console capture (log records) ───────────────────────────────────────────
/** Attribute of a captured console line: the console method (log, info, warn, error, debug, trace). */
export const ATTR_LOG_CONSOLE_METHOD = 'flowtrace.console.method';

// ── exceptions (OTel semantic conventions, on the `exception` event) ────────
export const EVENT_EXCEPTION = 'exception';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';

// ── start marks: executions in flight ───────────────────────────────────────
/**
 * When an instrumented root or node span is still running a short while after it started
 * (`startMarkDelayMs`, default 100 ms; 0 marks every span as it starts), the instrumentation
 * emits an OTLP log record that marks the start. The record carries the span's trace id and
 * span id in its own traceId/spanId fields, its timestamp is the span's start time, and its
 * attributes are the span's attributes known at start plus the mark attributes below. A span
 * that ends sooner gets no mark: the span itself arrives ended. Backends other than
 * flowtrace see an ordinary log record.
 */
export const ATTR_MARK = 'flowtrace.mark';
/** Value of {@link ATTR_MARK} for a span start. */
export const MARK_SPAN_START = 'span.start';
/** Name of the started span. */
export const ATTR_MARK_SPAN_NAME = 'flowtrace.span.name';
/** Hex parent span id of the started span; absent or empty for a root. */
export const ATTR_MARK_PARENT_SPAN_ID = 'flowtrace.span.parent_id';
/** OTLP SpanKind number of the started span (1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
export const ATTR_MARK_SPAN_KIND = 'flowtrace.span.kind';

/** Marker appended to a captured payload that was cut at its size cap. */
export const TRUNCATION_MARKER = '…[truncated]';
/** Value that replaces a redacted secret. */
export const REDACTED_VALUE = '[REDACTED]';
/** Value written in place of nesting deeper than the serializer's depth limit. */
export const MAX_DEPTH_VALUE = '[Max depth]';

// ── value sets ──────────────────────────────────────────────────────────────
export const EXECUTION_KINDS = ['flow', 'http_handler', 'tcp_handler', 'mcp_tool', 'job'] as const;
export type ExecutionKind = (typeof EXECUTION_KINDS)[number];

/** `replay`: run again from the viewer or the API (control). */
export const TRIGGER_TYPES = ['http', 'manual', 'scheduled', 'mcp', 'tcp', 'queue', 'replay'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** Statuses of an execution as the collector reports them. */
export const EXECUTION_STATUSES = ['running', 'success', 'error', 'cancelled', 'timed_out', 'abandoned'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Statuses of a node span: an execution's plus `skipped`. */
export const NODE_STATUSES = ['running', 'success', 'error', 'cancelled', 'timed_out', 'skipped', 'abandoned'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** OTel span kinds, lower case, in OTel's order: an index is OTel's SpanKind number (the API's names). */
export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];
/** OTel status codes, lower case, in OTel's order: an index is OTel's StatusCode number (the API's names). */
export const STATUS_CODE_NAMES = ['unset', 'ok', 'error'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];

/** The statuses that count as a failure (error counts, failed live events, the red rows). */
export const ERROR_STATUSES = ['error', 'timed_out'] as const satisfies readonly NodeStatus[];
/** The statuses a finished root can state for its execution (running and abandoned are derived). */
export const FINISHED_STATUSES = ['success', 'error', 'cancelled', 'timed_out'] as const satisfies readonly ExecutionStatus[];
