/** Services and attribute keys seen, for filters and suggestions. */
import type { FastifyInstance } from 'fastify';
import type { AttributeKeyList, ServiceList } from '../api/wire-types.js';
import type { Storage } from '../storage/index.js';
import { isoOfNs } from './to-wire.js';

export async function catalogRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { reader } = opts.storage;
  app.get('/api/services', { schema: { summary: 'Services that sent spans' } }, async (): Promise<ServiceList> => ({
    services: (await reader.services()).map((s) => ({
      serviceName: s.serviceName,
      spanCount: s.spanCount,
      lastSeenAt: s.lastSeenNs === null ? null : isoOfNs(s.lastSeenNs),
    })),
  }));
  app.get('/api/attributes', { schema: { summary: 'Attribute keys of recent spans with frequent values' } }, async (): Promise<AttributeKeyList> => ({
    attributes: await reader.attributeKeys(),
  }));
}
