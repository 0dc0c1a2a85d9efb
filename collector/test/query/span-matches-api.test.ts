/**
 * GET /api/executions/:traceId/span-matches: the spans of one trace whose attribute values
 * hold a text (span and resource attributes, payloads, events, moved hot attributes), or that
 * carry attribute key = value — what the trace view's search and span filters need beyond the
 * outline. The rendered SQL is pinned in test/storage/golden/span-match/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { buildSpanMatchQuery, type SpanMatch } from '../../src/storage/traces/span-match-sql.js';
import { api, startTestCollector } from '../fixtures/collector.js';
import { makeSpanRow, newSpanId, newTraceId, ns } from '../fixtures/rows.js';

let server: RunningServer;
const traceId = newTraceId();
const ids = { root: newSpanId(), charge: newSpanId(), ship: newSpanId(), payload: newSpanId() };
const t0 = Date.now() - 60_000;

beforeAll(async () => {
  server = await startTestCollector();
  const span = (spanId: string, overrides: Parameters<typeof makeSpanRow>[0]) =>
    makeSpanRow({ traceId, spanId, parentSpanId: spanId === ids.root ? null : ids.root, startTimeUnixNano: ns(t0 + 10), ...overrides });
  await server.storage.writer.write({
    spans: [
      span(ids.root, { name: 'checkout', flowName: 'checkout', startTimeUnixNano: ns(t0), attributes: JSON.stringify({ 'http.route': '/checkout' }) }),
      span(ids.charge, { name: 'charge', serviceName: 'payments', attributes: JSON.stringify({ 'order.id': 'ORD-777', 'payment.provider': 'acme' }) }),
      span(ids.ship, { name: 'ship', serviceName: 'shipping', attributes: JSON.stringify({ 'order.id': 'ORD-778', carrier: 'ACME Freight' }) }),
      span(ids.payload, { name: 'notify', attributes: '{}', events: JSON.stringify([{ name: 'sent', attributes: { 'mail.to': 'ops@example.test' } }]) }),
    ],
    starts: [],
    logs: [],
  });
});
afterAll(async () => {
  await server?.close();
});

const matches = async (query: string) => api(server.url, `/api/executions/${traceId}/span-matches?${query}`);

describe('span matches of one trace', () => {
  it('finds the spans whose attribute values hold a text, whatever its case', async () => {
    const res = await matches('q=acme');
    expect(res.status).toBe(200);
    expect(res.body.spanIds).toEqual([ids.charge, ids.ship].sort());
  });

  it('finds a text in span events', async () => {
    expect((await matches('q=ops%40example')).body.spanIds).toEqual([ids.payload]);
  });

  it('filters by attribute key = value, every pair holding', async () => {
    expect((await matches('attr=order.id%3DORD-777')).body.spanIds).toEqual([ids.charge]);
    expect((await matches('attr=order.id%3DORD-777&attr=payment.provider%3Dacme')).body.spanIds).toEqual([ids.charge]);
    expect((await matches('attr=order.id%3DORD-777&attr=carrier%3DACME%20Freight')).body.spanIds).toEqual([]);
  });

  it('answers 404 for an unknown trace and 400 without a question', async () => {
    expect((await api(server.url, `/api/executions/${newTraceId()}/span-matches?q=x`)).status).toBe(404);
    const none = await matches('');
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('FT_BAD_FILTER');
  });
});

describe('span match SQL', () => {
  const goldenDir = new URL('../storage/golden/span-match/', import.meta.url);
  const cases: Record<string, SpanMatch> = {
    text: { text: 'ACME' },
    attributes: { attributes: [{ key: 'order.id', value: 'o-1' }, { key: 'flow.node.id', value: 'n "2"' }] },
    both: { text: 'x', attributes: [{ key: 'k', value: 'v' }] },
  };
  it.each(Object.keys(cases))('renders the pinned SQL for %s, with user text only in parameters', (name) => {
    const { sql, params } = buildSpanMatchQuery(cases[name]);
    const actual = `${sql}\n${Object.entries(params).map(([k, v]) => `-- $${k} = ${JSON.stringify(v)}`).join('\n')}\n`;
    const file = new URL(`${name}.sql`, goldenDir);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
    expect(sql).not.toMatch(/ACME|o-1|n "2"/);
  });
});
