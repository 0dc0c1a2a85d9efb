/**
 * Example: a scheduled job. Every JOB_EVERY_MS (default 10 s) `inventory-sync` pulls five
 * suppliers in parallel, reconciles, and writes; a supplier sometimes fails (the run fails),
 * the write is skipped when nothing changed. Run it as a service: it prints a ready line too.
 */
import { node, runNode, scheduleJob, skipNode } from '@flowtrace/instrumentation';
import { fileURLToPath } from 'node:url';
import { main, sleep, type Running } from './service-main.js';

const SUPPLIERS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

/** One run of the job's body. */
export async function syncInventory(signal: AbortSignal, failRate = 0.15): Promise<{ changed: number }> {
  const feeds = await Promise.all(SUPPLIERS.map((supplier) =>
    runNode({ id: `pull-${supplier}`, name: 'pull-supplier', type: 'http' }, { supplier }, async () => {
      await sleep(50 + Math.random() * 400, signal);
      if (Math.random() < failRate) throw new Error(`supplier ${supplier} answered 503`);
      return { supplier, items: Math.floor(Math.random() * 20) };
    })));
  const changed = await node({ id: 'reconcile', type: 'code' }, async () => {
    const n = feeds.reduce((sum, f) => sum + (f.items % 3 === 0 ? 0 : 1), 0);
    console.log(`reconciled ${feeds.length} feeds, ${n} changed`);
    return n;
  });
  if (changed === 0) skipNode({ id: 'write', type: 'db' }, 'nothing changed');
  else await node({ id: 'write', type: 'db' }, async () => { await sleep(30 + Math.random() * 100, signal); return { rows: changed }; });
  return { changed };
}

/** Starts the schedule. */
export async function startJob(everyMs: number): Promise<Running> {
  const job = scheduleJob({ id: 'inventory-sync', name: 'inventory-sync', version: '1' }, everyMs, (ctx) => syncInventory(ctx.signal), {
    timeoutMs: Math.max(everyMs * 3, 5_000),
    onError: (e) => console.error(`inventory-sync failed: ${(e as Error).message}`),
  });
  return { url: `job://inventory-sync?every=${everyMs}`, close: () => job.stop() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void main('inventory-job', () => startJob(Number(process.env.JOB_EVERY_MS ?? 10_000)));
}
