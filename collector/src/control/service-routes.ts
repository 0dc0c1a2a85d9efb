/**
 * The services' side of control, under /v1/ and so behind the ingest token (the token a
 * service already sends with its spans). The protocol is the instrumentation's
 * (instrumentation/src/control/client.ts):
 *
 * - `POST /v1/control/connect` `{ service, instanceId, flows }` → a Server-Sent Events stream
 *   that stays open: `event: request` per control request, `: ping` every 15 s. The instance
 *   is connected while the stream is; when it closes, its unanswered requests are lost.
 * - `POST /v1/control/report` `{ instanceId, flows?, replies? }` → 204: answers requests and
 *   announces flows defined later; 404 FT_CONTROL_NOT_CONNECTED when the instance has no stream.
 *   A report for an instance whose stream another collector holds (a load balancer's choice) is
 *   forwarded to that collector through the router (router.ts) and answered 204 once sent on.
 *
 * With control off (no --control-token) both answer 403 FT_CONTROL_OFF, and the instrumentation
 * waits long before asking again.
 */
import type { AnnouncedFlowBody } from '../api/control-types.js';
import { connectForControl, reportToControl } from '../api/routes/control.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import { errors } from '../errors.js';
import type { AnnouncedFlow, ControlHub, EventSink } from './hub.js';
import type { ControlRouter } from './router.js';

const PING_MS = 15_000;

const toFlows = (flows: AnnouncedFlowBody[] | undefined): AnnouncedFlow[] =>
  (flows ?? []).map((f) => ({ id: f.id, name: f.name ?? f.id, version: f.version, cancel: f.cancel === true, replay: f.replay === true }));

export async function serviceRoutes(app: TypeBoxApp, opts: { hub: ControlHub; router: ControlRouter; enabled: boolean }): Promise<void> {
  const { hub, router, enabled } = opts;
  const ping = setInterval(() => hub.ping(), PING_MS);
  ping.unref();
  // Streams never end by themselves: end them (settling their requests) before the server waits for its connections.
  app.addHook('preClose', async () => {
    clearInterval(ping);
    hub.closeAll();
  });

  app.post('/v1/control/connect', {
    schema: connectForControl,
  }, (request, reply) => {
    if (!enabled) throw errors.FT_CONTROL_OFF();
    const { service, instanceId, flows } = request.body;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(': connected\n\n');
    const sink: EventSink = {
      write: (text) => {
        if (raw.destroyed || raw.writableEnded) throw new Error('stream closed');
        raw.write(text);
      },
      end: () => raw.end(),
    };
    hub.connect({ service, instanceId, connectedAt: Date.now(), flows: toFlows(flows) }, sink);
    raw.on('close', () => hub.disconnect(instanceId, sink));
  });

  app.post(
    '/v1/control/report',
    { schema: reportToControl },
    async (request, reply) => {
      if (!enabled) throw errors.FT_CONTROL_OFF();
      const { instanceId, flows, replies } = request.body;
      const report = {
        ...(flows !== undefined ? { flows: toFlows(flows) } : {}),
        ...(replies !== undefined ? { replies: replies.map((r) => ({ id: r.id, outcome: r.outcome, message: r.message, traceId: r.traceId })) } : {}),
      };
      if (!(await router.report(instanceId, report))) throw errors.FT_CONTROL_NOT_CONNECTED(instanceId.slice(0, 200));
      return reply.code(204).send();
    },
  );
}
