/** Public API of @flowtrace/collector. Exports added here are public. */
export { startServer, DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT } from './server.js';
export type { RunningServer, ServerOptions } from './server.js';
export { buildApp } from './app.js';
export type { AppOptions } from './app.js';
export { errors, FlowtraceError } from './errors.js';
