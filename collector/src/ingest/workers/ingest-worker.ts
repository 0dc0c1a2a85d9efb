/**
 * The ingest worker thread: takes jobs (jobs.ts) one at a time from the pool (ingest-pool.ts),
 * runs them, and answers each with its result as columns (batch-wire.ts) or its error. It holds
 * no state between jobs and loads nothing of storage: a worker may be stopped at any moment.
 *
 * Test hooks (only when the pool is started with testHooks): a body that starts with
 * `flowtrace-test-hook:crash` throws out of the worker (it dies), `…:hang` never answers,
 * `…:slow:<ms>\n<body>` spins for that long and then runs the rest of the body.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fromWireJob, type ToPool, type ToWorker, type WorkerConfig } from './messages.js';
import { toWire } from './batch-wire.js';
import { errorToWire, runJob, type IngestJob } from './jobs.js';

const port = parentPort!;
const config = workerData as WorkerConfig;

const HOOK = 'flowtrace-test-hook:';

/** The job left to run after a test hook (or undefined when the hook ends the job). */
function hooked(job: IngestJob): IngestJob | undefined {
  const head = Buffer.from(job.body.buffer, job.body.byteOffset, Math.min(job.body.length, 64)).toString('latin1');
  if (!head.startsWith(HOOK)) return job;
  const hook = head.slice(HOOK.length);
  if (hook.startsWith('crash')) {
    setImmediate(() => {
      throw new Error('test hook: the ingest worker crashed');
    });
    return undefined;
  }
  if (hook.startsWith('hang')) {
    for (;;) {
      // never answers: the pool's job timeout must end this worker
    }
  }
  const slow = /^slow:(\d+)\n/.exec(hook);
  if (slow === null) return job;
  const until = performance.now() + Number(slow[1]);
  while (performance.now() < until) {
    // busy, as a long decode is
  }
  const rest = job.body.subarray(HOOK.length + slow[0].length);
  return { ...job, body: rest };
}

port.on('message', (message: ToWorker) => {
  let job = fromWireJob(message.job);
  if (config.testHooks) {
    const next = hooked(job);
    if (next === undefined) return;
    job = next;
  }
  let answer: ToPool;
  let transfer: ArrayBuffer[] = [];
  try {
    const { wire, transfer: buffers } = toWire(runJob(job, config.caps));
    answer = { type: 'result', id: message.id, result: wire };
    transfer = buffers;
  } catch (error) {
    answer = { type: 'error', id: message.id, error: errorToWire(error) };
  }
  port.postMessage(answer, transfer);
});

port.postMessage({ type: 'ready' } satisfies ToPool);
