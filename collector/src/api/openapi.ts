/**
 * The OpenAPI description's frame (app.ts registers @fastify/swagger with it): the document's
 * info, the bearer scheme, the schemas routes share by name, and the security of each operation
 * from its access class (auth.ts). Operations themselves come from the routes' contracts.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { ApiErrorComponent } from './api-error.js';
import { FlowStatsComponent } from './flow-types.js';
import { ExecutionSummaryComponent } from './wire-types.js';

/** Schemas registered once (app.addSchema): routes refer to them, the description names them. */
export const SHARED_SCHEMAS = [ApiErrorComponent.schema, ExecutionSummaryComponent.schema, FlowStatsComponent.schema];

/** @fastify/swagger's options: dynamic mode, components named by their $id. */
export const OPENAPI_OPTIONS: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: { title: 'flowtrace collector API', version: '0.1.0', description: 'OTLP/HTTP ingest, execution history, statistics, SQL and live events' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  },
  refResolver: {
    buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
  },
  /** Routes behind a token (every one but the public) say so. */
  transform: ({ schema, url, route }) => {
    const access = (route.config as { access?: string } | undefined)?.access;
    if (!schema || access === 'public') return { schema, url };
    return { schema: { ...schema, security: [{ bearer: [] }] }, url };
  },
};
