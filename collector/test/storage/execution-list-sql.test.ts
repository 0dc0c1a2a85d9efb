/**
 * Golden tests for the SQL the execution list builds from filters: each combination's
 * rendered SQL and parameters are pinned in test/storage/golden/. Regenerate on purpose
 * with UPDATE_GOLDEN=1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { afterAll, beforeAll } from 'vitest';
import { buildExecutionListQuery, type ExecutionFilter } from '../../src/storage/executions/execution-list-sql.js';
import { STATUS_EXPR, statusPredicate } from '../../src/storage/executions/execution-sql.js';
import { openDuckDbStorage, type DuckDbStorage } from '../../src/storage/duckdb-storage.js';
import { makeSpanRow } from '../fixtures/rows.js';

const goldenDir = new URL('./golden/', import.meta.url);
const ABANDON = 1_700_000_000_000_000_000n;

const cases: Record<string, ExecutionFilter> = {
  'no-filter': { limit: 50 },
  'flow-and-status': { flow: ['orders'], status: ['error', 'timed_out'], limit: 50 },
  'unknown-status': { status: ['running', 'paused'], limit: 50 },
  'service-user-trigger': { service: ['api'], user: ['alice'], trigger: ['http'], limit: 20 },
  'time-range': { fromNs: 1_000n, toNs: 2_000n, limit: 50 },
  'duration-range': { minDurationMs: 12.5, maxDurationMs: 1000, limit: 50 },
  'attributes': { attributes: [{ key: 'http.route', value: '/orders/:id' }, { key: 'tenant "x"', value: 'a' }], limit: 50 },
  'text': { text: 'Checkout', limit: 50 },
  'text-with-digits': { text: 'ORD-1234', limit: 50 },
  'text-in-errors': { text: 'Card declined', textScope: 'errors', status: ['error'], cursor: { startNs: 123n, traceId: 'a'.repeat(32) }, limit: 51 },
  'span-searches-in-range': {
    text: 'Checkout', attributes: [{ key: 'note', value: 'n'.repeat(200) }, { key: 'order.id', value: 'o-1' }], fromNs: 1_000n, spanFromNs: 900n, limit: 51,
  },
  'cursor': { cursor: { startNs: 123n, traceId: 'a'.repeat(32) }, limit: 51 },
  'span-searches-below-cursor': { text: 'Checkout', cursor: { startNs: 123n, traceId: 'a'.repeat(32) }, spanToNs: 150n, limit: 51 },
  'sort-duration': { sort: 'duration', limit: 51 },
  'sort-duration-cursor': { sort: 'duration', cursor: { startNs: 123n, traceId: 'a'.repeat(32), durationNs: 4_500_000n }, minDurationMs: 1, limit: 51 },
  'flow-prefix': { flow: ['orders', 'check*', 'api: GET *'], limit: 50 },
  'everything': {
    flow: ['orders'], service: ['api'], status: ['success'], user: ['bob'], trigger: ['manual'], fromNs: 1n, toNs: 2n,
    minDurationMs: 1, maxDurationMs: 2, attributes: [{ key: 'k', value: 'v' }], text: 'x', cursor: { startNs: 5n, traceId: 'b'.repeat(32) }, limit: 10,
  },
};

/** Cases built with the text looked for only where no span row is read (executions.ts bounds the span search with them). */
const withoutSpans: Record<string, ExecutionFilter> = {
  'text-without-spans': { text: 'ORD-1234 declined', flow: ['orders'], cursor: { startNs: 123n, traceId: 'a'.repeat(32) }, limit: 51 },
};

function render(filter: ExecutionFilter, textWithoutSpans = false): string {
  const { sql, params } = buildExecutionListQuery(filter, ABANDON, { textWithoutSpans });
  const paramLines = Object.entries(params).map(([k, v]) => `-- $${k} = ${typeof v === 'bigint' ? `${v}n` : JSON.stringify(v)}`);
  return `${sql}\n${paramLines.join('\n')}\n`;
}

describe('execution list SQL', () => {
  it.each([...Object.keys(cases), ...Object.keys(withoutSpans)])('renders the pinned SQL for %s', (name) => {
    const file = new URL(`${name}.sql`, goldenDir);
    const actual = name in cases ? render(cases[name]) : render(withoutSpans[name], true);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      if (process.env.CI === 'true' && !existsSync(file)) throw new Error(`missing golden file ${name}.sql`);
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });

  it('never puts filter values into the SQL text', () => {
    const hostile = "x'); DROP TABLE span_data; --";
    const { sql } = buildExecutionListQuery(
      { flow: [hostile], user: [hostile], attributes: [{ key: hostile, value: hostile }], text: hostile, limit: 5 },
      ABANDON,
    );
    expect(sql).not.toContain('DROP');
  });
});

describe('status filters as column comparisons', () => {
  let storage: DuckDbStorage;
  beforeAll(async () => {
    storage = await openDuckDbStorage({ path: ':memory:' });
  });
  afterAll(async () => {
    await storage.close();
  });

  it('select exactly the rows the execution_status macro gives that status, for every combination', async () => {
    const statuses = ['running', 'abandoned', 'success', 'error', 'cancelled', 'timed_out'];
    const mismatches = await storage.writer.exclusive(async (c) => {
      // every root_finished × root_flow_status × root_status_code × last_seen_ns (around $abandon_before = 100)
      const combos = `SELECT * FROM (VALUES (true), (false)) f(root_finished),
        (VALUES (NULL), ('success'), ('error'), ('cancelled'), ('timed_out'), ('skipped'), ('running')) s(root_flow_status),
        (VALUES (NULL::UTINYINT), (0::UTINYINT), (1::UTINYINT), (2::UTINYINT)) c(root_status_code),
        (VALUES (99::BIGINT), (100::BIGINT), (101::BIGINT)) l(last_seen_ns)`;
      const checks = statuses.map((status) =>
        `SELECT '${status}' AS status, count(*) FILTER (WHERE (${STATUS_EXPR} = '${status}') IS DISTINCT FROM coalesce(${statusPredicate(status)}, false)) AS wrong,
                count(*) FILTER (WHERE ${statusPredicate(status)}) AS matched
         FROM (${combos})`).join(' UNION ALL ');
      return (await c.runAndReadAll(checks, { abandon_before: 100n })).getRowObjectsJS();
    });
    expect(mismatches.map((r) => [r.status, Number(r.wrong)])).toEqual(statuses.map((s) => [s, 0]));
    expect(mismatches.every((r) => Number(r.matched) > 0)).toBe(true);
    expect(statusPredicate('paused')).toBeUndefined();
  });
});

describe('flow filters', () => {
  it('match the flow name, or "service: root span name" of an execution without one', async () => {
    const storage = await openDuckDbStorage({ path: ':memory:' });
    try {
      const named = makeSpanRow({ name: 'POST /orders', flowName: 'orders' });
      const unnamed = makeSpanRow({ name: 'orders', serviceName: 'shop' });
      const otherService = makeSpanRow({ name: 'orders', serviceName: 'admin' });
      const otherFlow = makeSpanRow({ name: 'orders', flowName: 'billing', serviceName: 'shop' });
      await storage.writer.write({ spans: [named, unnamed, otherService, otherFlow], starts: [], logs: [] });
      const found = await storage.executions.list({ flow: ['orders'], limit: 10 });
      expect(found.executions.map((e) => e.traceId)).toEqual([named.traceId]);
      const plain = await storage.executions.list({ flow: ['shop: orders'], limit: 10 });
      expect(plain.executions.map((e) => e.traceId)).toEqual([unnamed.traceId]);
    } finally {
      await storage.close();
    }
  });
});
