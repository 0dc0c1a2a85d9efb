import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import Fastify from 'fastify';
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as C from '../src/conventions.js';
import { flowtraceFastify, installConsoleCapture, node, runNode, setInput, traceHttpHandler, uninstallConsoleCapture } from '../src/index.js';
import { close, eventually, listen } from './fixtures/net.js';
import { parentOf, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
beforeAll(() => installConsoleCapture());
afterAll(() => uninstallConsoleCapture());
beforeEach(() => t.reset());

const rootOf = (kind: string) => eventually(() => t.spans().find((s) => s.attributes[C.ATTR_EXECUTION_KIND] === kind), 3_000, `${kind} root span`);

describe('the plain (req, res) wrapper', () => {
  const handler = traceHttpHandler(async (req, res) => {
    if (req.url?.startsWith('/boom')) throw new Error('handler exploded');
    const body = await new Promise<string>((resolve) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => resolve(b)); });
    setInput(JSON.parse(body || '{}'));
    const total = await runNode({ id: 'price' }, body, () => 42);
    res.statusCode = req.url?.startsWith('/fail') ? 503 : 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ total, token: 'secret-value' }));
  });
  // The wrapper passes the handler's rejection through; this server answers it with a 500.
  const server = createServer((req, res) => {
    void (handler(req, res) as Promise<void>).catch(() => { res.statusCode = 500; res.end(); });
  });
  server.on('error', () => undefined);
  let base = '';
  beforeAll(async () => { base = `http://127.0.0.1:${await listen(server)}`; });
  afterAll(() => close(server));

  it('makes each request an http_handler execution with method, path, status, input, output and nodes', async () => {
    const res = await fetch(`${base}/orders?x=1`, { method: 'POST', body: '{"item":"book","password":"p"}', headers: { 'user-agent': 'test-agent' } });
    expect(await res.json()).toEqual({ total: 42, token: 'secret-value' });
    const root = await rootOf('http_handler');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.attributes).toMatchObject({
      [C.ATTR_FLOW_NAME]: 'POST /orders',
      [C.ATTR_TRIGGER_TYPE]: 'http',
      [C.ATTR_HTTP_REQUEST_METHOD]: 'POST',
      [C.ATTR_URL_PATH]: '/orders',
      [C.ATTR_URL_QUERY]: 'x=1',
      [C.ATTR_USER_AGENT]: 'test-agent',
      [C.ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
      [C.ATTR_EXECUTION_STATUS]: 'success',
      [C.ATTR_FLOW_INPUT]: `{"item":"book","password":"${C.REDACTED_VALUE}"}`,
      [C.ATTR_FLOW_OUTPUT]: `{"statusCode":200,"body":{"total":42,"token":"${C.REDACTED_VALUE}"}}`,
    });
    expect(parentOf(t.span('price'))).toBe(root.spanContext().spanId);
  });

  it('marks a 5xx response as an error without inventing an exception', async () => {
    await fetch(`${base}/fail`, { method: 'POST' });
    const root = await rootOf('http_handler');
    expect(root.status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
    expect(root.events).toHaveLength(0);
  });

  it('records a rejected handler as an error with its exception and passes the rejection on', async () => {
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    const root = await rootOf('http_handler');
    expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('error');
    expect(root.events[0].attributes?.[C.ATTR_EXCEPTION_MESSAGE]).toBe('handler exploded');
  });
});

describe('the Fastify plugin', () => {
  const app = Fastify();
  let base = '';
  beforeAll(async () => {
    await app.register(flowtraceFastify, { userId: (req) => req.headers['x-user'] as string | undefined, ignoreRoutes: ['/healthz'] });
    app.get('/healthz', async () => 'ok');
    app.post('/orders/:id', async (request) => {
      console.log('handling order');
      const priced = await node({ id: 'price', type: 'code' }, async () => ({ amount: 10 }));
      return { id: (request.params as { id: string }).id, ...priced };
    });
    app.get('/broken', async () => { throw new Error('route failed'); });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('names the execution by route pattern and nests nodes and console lines of the handler under it', async () => {
    const res = await fetch(`${base}/orders/7?expand=1`, {
      method: 'POST', body: JSON.stringify({ qty: 2 }), headers: { 'content-type': 'application/json', 'x-user': 'ann' },
    });
    expect(await res.json()).toEqual({ id: '7', amount: 10 });
    const root = await rootOf('http_handler');
    expect(root.name).toBe('POST /orders/:id');
    expect(root.attributes).toMatchObject({
      [C.ATTR_HTTP_ROUTE]: '/orders/:id',
      [C.ATTR_URL_PATH]: '/orders/7',
      [C.ATTR_ENDUSER_ID]: 'ann',
      [C.ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
      [C.ATTR_FLOW_INPUT]: '{"params":{"id":"7"},"query":{"expand":"1"},"body":{"qty":2}}',
      [C.ATTR_FLOW_OUTPUT]: '{"statusCode":200,"body":{"id":"7","amount":10}}',
      [C.ATTR_EXECUTION_STATUS]: 'success',
    });
    const price = t.span('price');
    expect(parentOf(price)).toBe(root.spanContext().spanId);
    expect(t.lines().map((l) => [l.body, l.spanContext?.spanId])).toEqual([['handling order', root.spanContext().spanId]]);
  });

  it('records a thrown route error as the execution error', async () => {
    expect((await fetch(`${base}/broken`)).status).toBe(500);
    const root = await rootOf('http_handler');
    expect(root.attributes[C.ATTR_EXECUTION_STATUS]).toBe('error');
    expect(root.events.find((e) => e.name === 'exception')?.attributes?.[C.ATTR_EXCEPTION_MESSAGE]).toBe('route failed');
  });

  it('leaves ignored routes untraced', async () => {
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
    await new Promise((r) => setTimeout(r, 50));
    expect(t.spans()).toHaveLength(0);
  });
});
