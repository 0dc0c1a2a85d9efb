/**
 * A console diagnostics logger that cannot flood a service's stderr: the SDK's exporters log
 * every failed export (each with a stack), which while the collector is down is several
 * lines a second. This logger prints at most a few messages per window and then one line
 * saying how many it held back. It writes in a suppressed context so console capture never
 * records it as a line of the user's span.
 */
import { context, type DiagLogger } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** Options of {@link ThrottledConsoleDiagLogger}. */
export interface ThrottleOptions {
  /** Messages printed per window. Default 5. */
  perWindow?: number;
  /** Window length in milliseconds. Default 30 000. */
  windowMs?: number;
}

/** DiagLogger printing to the console, rate-limited. */
export class ThrottledConsoleDiagLogger implements DiagLogger {
  private windowStart = 0;
  private printed = 0;
  private held = 0;
  private readonly perWindow: number;
  private readonly windowMs: number;

  constructor(options: ThrottleOptions = {}) {
    this.perWindow = options.perWindow ?? 5;
    this.windowMs = options.windowMs ?? 30_000;
  }

  error(message: string, ...args: unknown[]): void { this.write('error', message, args); }
  warn(message: string, ...args: unknown[]): void { this.write('warn', message, args); }
  info(message: string, ...args: unknown[]): void { this.write('info', message, args); }
  debug(message: string, ...args: unknown[]): void { this.write('debug', message, args); }
  verbose(message: string, ...args: unknown[]): void { this.write('debug', message, args); }

  private write(method: 'error' | 'warn' | 'info' | 'debug', message: string, args: unknown[]): void {
    const now = Date.now();
    const lines: unknown[][] = [];
    if (now - this.windowStart >= this.windowMs) {
      if (this.held > 0) lines.push([`flowtrace: ${this.held} OpenTelemetry diagnostic messages held back in the last ${Math.round(this.windowMs / 1000)} s`]);
      this.windowStart = now;
      this.printed = 0;
      this.held = 0;
    }
    if (this.printed >= this.perWindow) {
      this.held++;
    } else {
      this.printed++;
      lines.push([message, ...args.map(brief)]);
    }
    if (lines.length === 0) return;
    context.with(suppressTracing(context.active()), () => {
      for (const line of lines) console[method](...line);
    });
  }
}

/** Errors as one line (the exporters pass whole error objects with stacks). */
function brief(arg: unknown): unknown {
  if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
  if (arg !== null && typeof arg === 'object' && 'message' in arg) return String((arg as { message: unknown }).message);
  return arg;
}
