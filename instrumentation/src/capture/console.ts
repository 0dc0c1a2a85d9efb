/**
 * Console capture: console.log/info/warn/error/debug/trace inside an execution become log
 * records tied to the innermost span (they carry its trace and span id), sent while the node
 * still runs, and are still printed as usual. The span comes from the active context, so
 * concurrent executions never see each other's lines. Outside an execution the cost is one
 * context lookup. Lines written while tracing is suppressed (the exporters' own work) or
 * while a record is being emitted are not captured, so capture can never feed itself.
 */
import { context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { isTracingSuppressed } from '@opentelemetry/core';
import { format } from 'node:util';
import { ATTR_LOG_CONSOLE_METHOD } from '../conventions.js';
import { frameOf } from '../frame.js';
import { internalError, rt } from '../runtime.js';
import { capText } from './serialize.js';

type Method = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';

const SEVERITY: Record<Method, [SeverityNumber, string]> = {
  trace: [SeverityNumber.TRACE, 'TRACE'],
  debug: [SeverityNumber.DEBUG, 'DEBUG'],
  log: [SeverityNumber.INFO, 'INFO'],
  info: [SeverityNumber.INFO, 'INFO'],
  warn: [SeverityNumber.WARN, 'WARN'],
  error: [SeverityNumber.ERROR, 'ERROR'],
};

const METHODS = Object.keys(SEVERITY) as Method[];
let originals: Partial<Record<Method, (...args: unknown[]) => void>> | undefined;
let emitting = false;

/** Patches the console methods (once); returns a function that restores them. */
export function installConsoleCapture(): () => void {
  if (originals) return uninstallConsoleCapture;
  const saved: Partial<Record<Method, (...args: unknown[]) => void>> = {};
  for (const method of METHODS) {
    const original = console[method] as (...args: unknown[]) => void;
    saved[method] = original;
    console[method] = function captured(this: unknown, ...args: unknown[]): void {
      original.apply(this, args);
      capture(method, args);
    };
  }
  originals = saved;
  return uninstallConsoleCapture;
}

/** Restores the console methods patched by {@link installConsoleCapture}. */
export function uninstallConsoleCapture(): void {
  if (!originals) return;
  for (const method of METHODS) {
    const original = originals[method];
    if (original) console[method] = original;
  }
  originals = undefined;
}

function capture(method: Method, args: unknown[]): void {
  if (emitting) return;
  const ctx = context.active();
  const frame = frameOf(ctx);
  if (!frame) return; // a line written after its span ended still belongs to that span
  const r = rt();
  if (!r.capture.console || isTracingSuppressed(ctx)) return;
  emitting = true;
  try {
    const [severityNumber, severityText] = SEVERITY[method];
    const text = method === 'trace' ? `Trace: ${format(...args)}` : format(...args);
    r.logger.emit({
      severityNumber,
      severityText,
      body: capText(text, r.capture.maxConsoleLength, r.redactor),
      attributes: { [ATTR_LOG_CONSOLE_METHOD]: method },
      context: frame.ctx,
    });
  } catch (e) {
    internalError('console capture', e);
  } finally {
    emitting = false;
  }
}
