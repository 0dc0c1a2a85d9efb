/**
 * Access is decided per route, however the path is spelled. Against a collector process with
 * both tokens: percent-encoded paths, absolute-form targets, doubled slashes, other cases and
 * trailing slashes either reach the route's own decision (401 without its token), no route at
 * all, or a viewer page — never data. (The collector answers the Host `any`, so the absolute-form
 * targets reach the token check; host-header.test.ts covers refusing them.) With the token, the encoded spellings reach the same routes as the plain ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { api } from '../fixtures/collector.js';
import { encodeTraceProtobuf } from '../fixtures/otlp.js';
import { rawRequest, type RawRequest } from '../fixtures/raw-http.js';
import { executionRequest } from '../fixtures/seed.js';

const INGEST = 'ingest-secret-5e1d0c9a';
const QUERY = 'query-secret-33b7a1f2';
const FLOW = 'guarded-flow-name';
let cli: CliProcess;
let traceId: string;

beforeAll(async () => {
  cli = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', ':memory:', '--ingest-token', INGEST, '--query-token', QUERY, '--allowed-hosts', 'any']);
  const { request, execution } = executionRequest({ flow: FLOW, startMs: Date.now() });
  traceId = execution.traceId;
  const r = await fetch(`${cli.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${INGEST}` }, body: encodeTraceProtobuf(request) as BodyInit });
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await cli?.stop();
});

/** Spellings of guarded routes, with the token each needs. */
function spellings(): Array<RawRequest & { token: string }> {
  const sql = JSON.stringify({ sql: 'SELECT count(*) AS n FROM spans' });
  const json = { 'content-type': 'application/json' };
  const query = (target: string, extra: Partial<RawRequest> = {}) => ({ target, token: QUERY, ...extra });
  const ingest = (target: string) => ({ target, token: INGEST, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
  return [
    query('/%61pi/executions'),
    query('/%61%70%69/executions'),
    query('/api/%65xecutions'),
    query('/%61pi/flows'),
    query(`/%61pi/executions/${traceId}`),
    query(`/api/executions/${traceId}/%6ftlp`),
    query('/%61pi/sql', { method: 'POST', headers: json, body: sql }),
    query('/api/s%71l', { method: 'POST', headers: json, body: sql }),
    query('/%61pi/live'),
    query('/%6detrics'),
    query('/%6D%45TRICS'),
    query('/%61pi/openapi.json'),
    query('/%61pi/attributes'),
    query('/%61pi/services'),
    query('http://any/api/sql', { method: 'POST', headers: json, body: sql }),
    query('http://any/api/executions'),
    query(`http://any/%61pi/executions/${traceId}`),
    query('HTTP://ANY:1/api/flows'),
    query('//api/executions'),
    query('/api//executions'),
    query('/API/executions'),
    query('/api/executions/'),
    query('/./api/executions'),
    query('/x/../api/executions'),
    query('/api/executions;x=1'),
    ingest('/%761/traces'),
    ingest('/v%31/traces'),
    ingest('/%76%31/logs'),
    ingest('http://any/v1/traces'),
  ];
}

describe('a collector with both tokens, asked by other spellings of its paths', () => {
  it('never answers with data without the token', async () => {
    const leaked: string[] = [];
    for (const request of spellings()) {
      const answer = await rawRequest(cli.url, request, 2_000);
      // A viewer page (the app's HTML, no data) is what a GET outside the API gets.
      const page = answer.status === 200 && /content-type: text\/html/i.test(answer.head);
      const ok = answer.status === 401 || answer.status === 404 || answer.status === 400 || page;
      if (!ok || answer.body.includes(traceId) || answer.body.includes(FLOW)) {
        leaked.push(`${request.method ?? 'GET'} ${request.target} → ${answer.status} ${answer.body.slice(0, 80)}`);
      }
    }
    expect(leaked).toEqual([]);
  });

  it('keeps the execution when DELETE comes by another spelling without the token', async () => {
    for (const target of [`/%61pi/executions/${traceId}`, `http://any/api/executions/${traceId}`, `/%61pi/flows/${FLOW}/executions`, `/api/flows/%67uarded-flow-name/executions`]) {
      const answer = await rawRequest(cli.url, { method: 'DELETE', target }, 2_000);
      expect([401, 404], `${target} → ${answer.status}`).toContain(answer.status);
    }
    const still = await api(cli.url, `/api/executions/${traceId}`, { headers: { authorization: `Bearer ${QUERY}` } });
    expect(still.status).toBe(200);
  });

  it('lets the right token reach the same route by an encoded spelling', async () => {
    const plain = await rawRequest(cli.url, { target: '/api/executions', headers: { authorization: `Bearer ${QUERY}` } });
    const encoded = await rawRequest(cli.url, { target: '/%61pi/executions', headers: { authorization: `Bearer ${QUERY}` } });
    expect(plain.status).toBe(200);
    expect(encoded.status).toBe(200);
    expect(encoded.body).toContain(traceId);
  });

  it('answers a route that does not exist as a guarded one without the token (401), and 404 with it', async () => {
    for (const [auth, status] of [[undefined, 401], [`Bearer ${QUERY}`, 404]] as const) {
      for (const target of ['/api/nothing-here', '/%61pi/nothing-here', 'http://any/api/nothing-here']) {
        const answer = await rawRequest(cli.url, { target, headers: auth ? { authorization: auth } : {} });
        expect(answer.status, `${target} with ${auth}`).toBe(status);
        expect(answer.body).not.toContain(traceId);
      }
    }
  });
});
