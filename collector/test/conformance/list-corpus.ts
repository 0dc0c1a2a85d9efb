/**
 * The executions the list cases search, and the oracle that says which of them a filter
 * matches, from what was written. The corpus spans three days (so that a page newest first
 * needs more than a minute's or an hour's window), has two executions starting at the same
 * nanosecond (the cursor's tie-break), and one marked value for each kind of search.
 */
import type { ExecutionFilter } from '../../src/storage/contract.js';
import type { LineSpec, SpanSpec } from './batches.js';
import { DAY_MS, flowRun, HOUR_MS, msOf, type Run, type RunSpec } from './scenarios.js';

/** Values the corpus holds exactly once (or on a known set of runs), for the text and attribute searches. */
export const MARKS = {
  lineText: 'Needle in the console',
  attributeText: 'Zebra-Stripe',
  orderId: 'A-17',
  environment: 'staging',
  retries: 3,
} as const;

export interface Corpus {
  runs: Run[];
  spans: SpanSpec[];
  lines: LineSpec[];
  /** The run with the console line, the one with the marked attribute value, the one with order.id. */
  withLine: Run;
  withAttributeText: Run;
  withOrderId: Run;
  withRetries: Run;
}

/** Builds the corpus relative to `nowMs`. */
export function listCorpus(nowMs: number): Corpus {
  const base = nowMs - 3 * DAY_MS;
  const at = (hours: number, minutes = 0): number => base + hours * HOUR_MS + minutes * 60_000;
  const specs: RunSpec[] = [
    { flow: 'checkout', service: 'shop', user: 'alice', trigger: 'http', startMs: at(1), durationMs: 120 },
    { flow: 'checkout', service: 'shop', user: 'bob', trigger: 'http', startMs: at(5), durationMs: 2_400, status: 'error' },
    { flow: 'refund', service: 'billing', user: 'carol', trigger: 'queue', startMs: at(20), durationMs: 800, resource: { 'deployment.environment.name': MARKS.environment } },
    { flow: 'report', service: 'billing', user: 'alice', trigger: 'cron', startMs: at(26), durationMs: 5_000, status: 'cancelled' },
    { flow: 'checkout', service: 'shop', user: 'carol', trigger: 'http', startMs: at(30), durationMs: 60, lineText: MARKS.lineText },
    { flow: 'refund', service: 'billing', user: 'bob', trigger: 'queue', startMs: at(40), durationMs: 1_500, status: 'error',
      nodeAttributes: [{ 'order.id': MARKS.orderId }], resource: { 'deployment.environment.name': MARKS.environment } },
    { flow: 'report', service: 'billing', user: 'bob', trigger: 'cron', startMs: at(50), durationMs: 300, status: 'timed_out' },
    { flow: 'checkout', service: 'shop', user: 'alice', trigger: 'queue', startMs: at(60), durationMs: 90, nodeAttributes: [undefined, { note: MARKS.attributeText }] },
    { flow: 'checkout', service: 'shop', user: 'bob', trigger: 'http', startMs: at(66), durationMs: 200, nodeAttributes: [{ 'retry.count': MARKS.retries }] },
    { flow: 'refund', service: 'billing', user: 'alice', trigger: 'http', startMs: at(70), durationMs: 400, status: 'running' },
    { flow: 'checkout', service: 'shop', user: 'carol', trigger: 'http', startMs: at(71, 30), durationMs: 1_000 },
    { flow: 'report', service: 'billing', user: 'carol', trigger: 'cron', startMs: at(71, 30), durationMs: 700 },
    { flow: 'checkout', service: 'shop', user: 'alice', trigger: 'http', startMs: at(71, 59), durationMs: 30 },
  ];
  const runs = specs.map(flowRun);
  return {
    runs,
    spans: runs.flatMap((r) => r.spans),
    lines: runs.flatMap((r) => r.lines),
    withLine: runs[4],
    withAttributeText: runs[7],
    withOrderId: runs[5],
    withRetries: runs[8],
  };
}

/** An execution's duration as the list filters it: 0 while its root runs (the contract leaves a running one's open). */
export const durationMsOf = (run: Run): number => (run.endNs === null ? 0 : msOf(run.endNs - run.startNs));

/** Runs a filter's plain fields match (flow, service, status, user, trigger, time, duration); text and attributes are the cases' own. */
export function matching(runs: Run[], f: ExecutionFilter): Run[] {
  const within = (list: string[] | undefined, value: string) => list === undefined || list.includes(value);
  return runs.filter((r) => within(f.flow, r.flow) && within(f.service, r.service) && within(f.status, r.status)
    && within(f.user, r.user) && within(f.trigger, r.trigger)
    && (f.fromNs === undefined || r.startNs >= f.fromNs) && (f.toNs === undefined || r.startNs <= f.toNs)
    && (f.minDurationMs === undefined || durationMsOf(r) >= f.minDurationMs)
    && (f.maxDurationMs === undefined || durationMsOf(r) <= f.maxDurationMs));
}
