/** Services and attribute keys seen, for filters and suggestions. */
import type { AttributeKeyList, ServiceList } from '../api/catalog-types.js';
import { listAttributeKeys, listServices } from '../api/routes/reads.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import type { Storage } from '../storage/index.js';
import { isoOfNs } from './to-wire.js';

export async function catalogRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { catalog } = opts.storage;
  app.get('/api/services', { schema: listServices }, async (): Promise<ServiceList> => ({
    services: (await catalog.services()).map((s) => ({
      serviceName: s.serviceName,
      spanCount: s.spanCount,
      lastSeenAt: s.lastSeenNs === null ? null : isoOfNs(s.lastSeenNs),
    })),
  }));
  app.get('/api/attributes', { schema: listAttributeKeys }, async (): Promise<AttributeKeyList> => ({
    attributes: await catalog.attributeKeys(),
  }));
}
