/**
 * Control of runs (issue 20): one Fastify plugin with the services' side (service-routes.ts,
 * under /v1/, the ingest token) and the callers' side (action-routes.ts: cancel and replay
 * need the control token). Control is off unless the collector has a control token.
 */
import type { FastifyInstance } from 'fastify';
import type { Storage } from '../storage/index.js';
import { actionRoutes } from './action-routes.js';
import type { ControlHub } from './hub.js';
import { serviceRoutes } from './service-routes.js';

export async function controlRoutes(app: FastifyInstance, opts: { storage: Storage; hub: ControlHub; enabled: boolean }): Promise<void> {
  await app.register(serviceRoutes, { hub: opts.hub, enabled: opts.enabled });
  await app.register(actionRoutes, opts);
}
