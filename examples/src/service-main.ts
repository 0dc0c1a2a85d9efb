/**
 * What every example service does around its own code: start tracing under its service name,
 * print one `<name> listening on <url>` line (the demo and the end-to-end tests wait for it),
 * and on SIGINT/SIGTERM stop taking work, end what still runs, flush what is queued and exit.
 */
import { setupTracing, type TracingHandle } from '@flowtrace/instrumentation';

/** A running example service. */
export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Starts tracing, then the service (OTEL_SERVICE_NAME renames it); handles signals. */
export async function main(defaultName: string, start: () => Promise<Running>): Promise<void> {
  const serviceName = process.env.OTEL_SERVICE_NAME || defaultName;
  const tracing: TracingHandle = setupTracing({ serviceName, serviceVersion: '1.0.0', environment: 'demo' });
  const running = await start();
  process.stdout.write(`${serviceName} listening on ${running.url}\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // Graceful, but bounded: work still running after 2 s is ended as cancelled by shutdown().
    await Promise.race([running.close().catch(() => undefined), sleep(2_000)]);
    await tracing.shutdown(3_000);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (process.env.FLOWTRACE_EXAMPLE_STATS === '1') {
    // Used by the end-to-end tests: queue, drop and memory figures on demand.
    process.on('SIGUSR2', () => {
      (globalThis as { gc?: () => void }).gc?.(); // present under --expose-gc: measure live memory, not garbage
      const m = process.memoryUsage();
      process.stdout.write(`stats ${JSON.stringify({ ...tracing.stats(), rss: m.rss, heapUsed: m.heapUsed })}\n`);
    });
  }
}

/** Port from the PORT environment variable (0 = any free port). */
export function portFromEnv(fallback: number): number {
  const raw = process.env.PORT;
  return raw === undefined || raw === '' ? fallback : Number(raw);
}

/** Resolves after `ms` milliseconds, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
