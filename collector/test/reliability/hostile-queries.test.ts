/**
 * The query API with hostile parameters, against a collector process: bad cursors, huge
 * limits, out-of-range times, SQL-looking filter values. Bad input is a coded 400 (or 404 for
 * a path that names nothing), never a 500; SQL-looking values are data, so they match nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { api } from '../fixtures/collector.js';
import { badRequests, sqlLookingFilters, SQL_LOOKING } from '../fixtures/hostile-params.js';
import { seed, type SeededExecution } from '../fixtures/seed.js';

let cli: CliProcess;
let seeded: SeededExecution[];

beforeAll(async () => {
  cli = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', ':memory:']);
  seeded = await seed(cli.url, Array.from({ length: 12 }, (_, i) => ({ flow: i % 2 ? 'checkout' : 'refund', startMs: Date.now() - 60_000 + i * 1000 })));
});
afterAll(async () => {
  await cli?.stop();
});

describe('the query API under hostile parameters', () => {
  it('refuses bad cursors, limits, times, durations, statuses, attribute filters and ids with a coded 4xx', async () => {
    const wrong: string[] = [];
    for (const path of badRequests(seeded[0].traceId)) {
      const r = await api(cli.url, path, { signal: AbortSignal.timeout(10_000) }).catch((e: Error) => ({ status: 0, body: e.message, headers: new Headers() }));
      const coded = typeof r.body === 'object' && typeof r.body?.code === 'string' && typeof r.body?.message === 'string';
      if (r.status < 400 || r.status >= 500 || !coded) wrong.push(`${path.slice(0, 120)} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('takes SQL-looking filter values as data: 200 and nothing matches', async () => {
    const wrong: string[] = [];
    for (const path of sqlLookingFilters()) {
      const r = await api(cli.url, path);
      if (r.status !== 200 || r.body.executions.length !== 0) wrong.push(`${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    for (const value of SQL_LOOKING) {
      const r = await api(cli.url, '/api/sql', { method: 'POST', json: { sql: 'SELECT count(*) AS n FROM spans' } });
      expect(Number(r.body.rows[0][0]), value).toBe(48);
    }
  });

  it('refuses a route deleting a flow whose name is SQL, and still holds every execution', async () => {
    for (const value of SQL_LOOKING) {
      const r = await api(cli.url, `/api/flows/${encodeURIComponent(value)}/executions`, { method: 'DELETE' });
      expect(r.status, value).toBeGreaterThanOrEqual(400);
      expect(r.status, value).toBeLessThan(500);
    }
    const all = await api(cli.url, '/api/executions?limit=1000');
    expect(all.body.executions).toHaveLength(12);
  });

  it('pages through every execution with its own cursors, with the largest limit allowed', async () => {
    const ids = new Set<string>();
    let cursor: string | null = '';
    for (let page = 0; cursor !== null && page < 20; page++) {
      const r: { status: number; body: { executions: Array<{ traceId: string }>; nextCursor: string | null } } = await api(cli.url, `/api/executions?limit=5&cursor=${cursor}`);
      expect(r.status).toBe(200);
      for (const e of r.body.executions) ids.add(e.traceId);
      cursor = r.body.nextCursor;
    }
    expect(ids.size).toBe(12);
    expect((await api(cli.url, '/api/executions?limit=1000')).status).toBe(200);
  });

  it('sends a resync, then new events, to a client whose last event id is from before a restart', async () => {
    const controller = new AbortController();
    const response = await fetch(`${cli.url}/api/live`, { headers: { 'last-event-id': '9'.repeat(40) }, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 10_000;
      while (!text.includes(needle) && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value);
      return text.includes(needle);
    };
    expect(await readUntil('event: resync')).toBe(true);
    const [fresh] = await seed(cli.url, [{ flow: 'after-restart', startMs: Date.now() }]);
    expect(await readUntil(fresh.traceId)).toBe(true);
    controller.abort();
  });
});
