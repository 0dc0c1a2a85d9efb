/** Wire types of the catalog (GET /api/services, GET /api/attributes): what filters and suggestions offer. */
import Type, { type Static } from 'typebox';
import { Nullable } from './schema-kit.js';

export const ServiceInfo = Type.Object({
  serviceName: Type.String(),
  spanCount: Type.Integer(),
  lastSeenAt: Nullable(Type.String()),
});
export type ServiceInfo = Static<typeof ServiceInfo>;

export const ServiceList = Type.Object({ services: Type.Array(ServiceInfo) });
export type ServiceList = Static<typeof ServiceList>;

export const AttributeKeyInfo = Type.Object({
  key: Type.String(),
  count: Type.Integer({ description: 'How many spans carry it (approximate for large stores)' }),
  topValues: Type.Array(Type.String(), { description: 'A few frequent values, for suggestions' }),
});
export type AttributeKeyInfo = Static<typeof AttributeKeyInfo>;

export const AttributeKeyList = Type.Object({ attributes: Type.Array(AttributeKeyInfo) });
export type AttributeKeyList = Static<typeof AttributeKeyList>;
