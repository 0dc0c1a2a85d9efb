/** Public API of @flowtrace/instrumentation. Exports added here are public. */
export * as conventions from './conventions.js';
