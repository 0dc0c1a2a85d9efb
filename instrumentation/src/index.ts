/**
 * Public API of @flowtrace/instrumentation. Exports added here are public; everything else
 * is internal. Attribute names live in `@flowtrace/instrumentation/conventions`.
 */
export * as conventions from './conventions.js';

export { setupTracing } from './setup.js';
export type { SetupOptions, TracingHandle } from './setup.js';
export type { ExportStats } from './export/bounded.js';
export { ThrottledConsoleDiagLogger } from './export/diag-logger.js';
export type { ThrottleOptions } from './export/diag-logger.js';
export { configureInstrumentation, internalErrorCount } from './runtime.js';
export type { CaptureOptions, InstrumentationOptions } from './runtime.js';

export { defineFlow, runFlow } from './flow.js';
export type { Flow, FlowContext, FlowRunOptions, FlowSpec } from './flow.js';
export { CancelledError } from './control/registry.js';
export type { FlowControl } from './control/registry.js';
export type { ControlStats } from './control/client.js';
export { node, runNode, skipNode, wrapNode } from './node.js';
export type { NodeContext, NodeOptions, NodeSpec } from './node.js';
export type { ExecutionOptions, Trigger } from './execution.js';
export { TimeoutError } from './run.js';
export type { Limits } from './run.js';
export { currentSignal, currentTraceId, setInput, setOutput, setUser } from './current.js';

export type { HandlerContext, HandlerControl } from './handlers/control.js';
export { traceHttpHandler } from './handlers/http.js';
export type { HttpHandler, HttpHandlerOptions } from './handlers/http.js';
export { flowtraceFastify } from './handlers/fastify.js';
export type { FastifyLike, FastifyTracingOptions } from './handlers/fastify.js';
export { traceTcpConnections } from './handlers/tcp.js';
export type { TcpHandlerOptions } from './handlers/tcp.js';
export { runToolCall, traceTool } from './handlers/mcp.js';
export type { ToolCallOptions, ToolContext, ToolOptions } from './handlers/mcp.js';
export { runJob, scheduleJob } from './handlers/job.js';
export type { JobContext, JobSpec, ScheduledJob } from './handlers/job.js';

export { installConsoleCapture, uninstallConsoleCapture } from './capture/console.js';
export { serializePayload, capText } from './capture/serialize.js';
export type { SerializeOptions } from './capture/serialize.js';
export { Redactor, DEFAULT_REDACTED_KEYS } from './capture/redact.js';
export type { RedactionOptions } from './capture/redact.js';
export { DEFAULT_REDACTED_VALUE_PATTERNS, isCardNumber } from './capture/value-patterns.js';
export type { DefaultValuePatternName, ValuePattern } from './capture/value-patterns.js';
