/**
 * Golden tests for the SQL the execution list builds from filters: each combination's
 * rendered SQL and parameters are pinned in test/storage/golden/. Regenerate on purpose
 * with UPDATE_GOLDEN=1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildExecutionListQuery, type ExecutionFilter } from '../../src/storage/execution-list-sql.js';

const goldenDir = new URL('./golden/', import.meta.url);
const ABANDON = 1_700_000_000_000_000_000n;

const cases: Record<string, ExecutionFilter> = {
  'no-filter': { limit: 50 },
  'flow-and-status': { flow: ['orders'], status: ['error', 'timed_out'], limit: 50 },
  'service-user-trigger': { service: ['api'], user: ['alice'], trigger: ['http'], limit: 20 },
  'time-range': { fromNs: 1_000n, toNs: 2_000n, limit: 50 },
  'duration-range': { minDurationMs: 12.5, maxDurationMs: 1000, limit: 50 },
  'attributes': { attributes: [{ key: 'http.route', value: '/orders/:id' }, { key: 'tenant "x"', value: 'a' }], limit: 50 },
  'text': { text: 'Checkout', limit: 50 },
  'cursor': { cursor: { startNs: 123n, traceId: 'a'.repeat(32) }, limit: 51 },
  'everything': {
    flow: ['orders'], service: ['api'], status: ['success'], user: ['bob'], trigger: ['manual'], fromNs: 1n, toNs: 2n,
    minDurationMs: 1, maxDurationMs: 2, attributes: [{ key: 'k', value: 'v' }], text: 'x', cursor: { startNs: 5n, traceId: 'b'.repeat(32) }, limit: 10,
  },
};

function render(filter: ExecutionFilter): string {
  const { sql, params } = buildExecutionListQuery(filter, ABANDON);
  const paramLines = Object.entries(params).map(([k, v]) => `-- $${k} = ${typeof v === 'bigint' ? `${v}n` : JSON.stringify(v)}`);
  return `${sql}\n${paramLines.join('\n')}\n`;
}

describe('execution list SQL', () => {
  it.each(Object.keys(cases))('renders the pinned SQL for %s', (name) => {
    const file = new URL(`${name}.sql`, goldenDir);
    const actual = render(cases[name]);
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
