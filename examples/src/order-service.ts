/**
 * Example: an order service over HTTP (Fastify). POST /orders runs the process-order flow as
 * an execution triggered by HTTP (its root is the flow); GET /orders/:id is traced by the
 * Fastify plugin as an http_handler execution. A client that disconnects cancels its order;
 * `timeoutMs` in the body bounds a run. GET /reports/:name?ms= builds a slow report in ten
 * parts; like every traced route it can be cancelled from the viewer (the plugin's `control`),
 * and it stops at the cancel (409) unless `ignoreCancel=1` makes it ignore its signal.
 */
import { currentSignal, flowtraceFastify, node, runFlow } from '@flowtrace/instrumentation';
import Fastify from 'fastify';
import { fileURLToPath } from 'node:url';
import { orderFlowSpec, processOrder, type OrderInput, type OrderOutput } from './order-flow.js';
import { main, portFromEnv, sleep, type Running } from './service-main.js';

/** Starts the service on 127.0.0.1 (port 0 = any). */
export async function startOrderService(port = 0, host = '127.0.0.1'): Promise<Running> {
  const app = Fastify();
  const orders = new Map<string, OrderOutput>();
  let seq = 0;
  await app.register(flowtraceFastify, { ignoreRoutes: ['/orders', '/healthz'], control: { cancel: true } });

  app.get('/healthz', async () => ({ ok: true }));

  app.post('/orders', async (request, reply) => {
    const body = (request.body ?? {}) as Partial<OrderInput> & { timeoutMs?: number };
    const input: OrderInput = {
      ...body,
      orderId: body.orderId ?? `ord-${Date.now().toString(36)}-${++seq}`,
      customerId: body.customerId ?? 'anonymous',
      items: body.items ?? [],
    };
    const controller = new AbortController();
    reply.raw.on('close', () => { if (!reply.raw.writableFinished) controller.abort(new Error('client went away')); });
    let traceId = '';
    try {
      const output = await runFlow(orderFlowSpec, input, (i, ctx) => {
        traceId = ctx.traceId;
        void reply.header('x-trace-id', traceId);
        return processOrder(i, ctx);
      }, {
        trigger: { type: 'http', data: { method: 'POST', path: '/orders', ip: request.ip } },
        userId: input.customerId,
        signal: controller.signal,
        timeoutMs: body.timeoutMs,
        attributes: { 'order.id': input.orderId },
      });
      orders.set(output.orderId, output);
      return { status: 'success', traceId, ...output };
    } catch (err) {
      const e = err as Error;
      const code = e.name === 'TimeoutError' ? 504 : e.name === 'RangeError' ? 400 : e.name === 'CancelledError' ? 409 : controller.signal.aborted ? 499 : 502;
      return reply.code(code).send({ status: 'error', error: e.message, traceId });
    }
  });

  app.get('/orders/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const found = await node({ id: 'load-order', type: 'db' }, async () => orders.get(id));
    if (!found) return reply.code(404).send({ error: `order ${id} not found` });
    return found;
  });

  app.get('/reports/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const query = request.query as { ms?: string; ignoreCancel?: string };
    const partMs = Math.min(Number(query.ms ?? 2_000), 600_000) / 10;
    const signal = query.ignoreCancel === '1' ? undefined : currentSignal();
    try {
      for (let i = 0; i < 10; i++) {
        await node({ id: `part-${i}`, name: 'report-part', type: 'db' }, (n) => sleep(partMs, signal ? n.signal : undefined));
      }
      return { report: name, parts: 10 };
    } catch (err) {
      if ((err as Error).name !== 'CancelledError') throw err;
      return reply.code(409).send({ error: (err as Error).message });
    }
  });

  await app.listen({ port, host });
  const address = app.server.address() as { port: number };
  return { url: `http://${host}:${address.port}`, close: () => app.close() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void main('order-service', () => startOrderService(portFromEnv(3001), process.env.HOST ?? '127.0.0.1'));
}
