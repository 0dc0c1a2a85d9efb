/**
 * Control of runs (issue 20): one Fastify plugin with the services' side (service-routes.ts,
 * under /v1/, the ingest token) and the callers' side (action-routes.ts: cancel and replay
 * need the control token). Control is off unless the collector has a control token. With control
 * on and a storage shared by many collectors, the router (router.ts) reaches instances connected
 * to the other collectors through the storage's relay, from the app's start to its close.
 */
import type { FastifyInstance } from 'fastify';
import type { Storage } from '../storage/index.js';
import { actionRoutes } from './action-routes.js';
import type { ControlHub } from './hub.js';
import { ControlRouter } from './router.js';
import { serviceRoutes } from './service-routes.js';

export async function controlRoutes(app: FastifyInstance, opts: { storage: Storage; hub: ControlHub; enabled: boolean }): Promise<void> {
  const relay = opts.enabled ? opts.storage.controlRelay : undefined;
  const router = new ControlRouter(opts.hub, relay, (error) => app.log.warn({ err: error }, 'control relay step failed; retrying'));
  router.start();
  // Before the server waits for its connections: the streams end, the relay withdraws them and settles what waits on it.
  app.addHook('preClose', () => router.stop());
  await app.register(serviceRoutes, { hub: opts.hub, router, enabled: opts.enabled });
  await app.register(actionRoutes, { ...opts, router });
}
