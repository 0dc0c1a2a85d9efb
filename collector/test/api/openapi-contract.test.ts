/**
 * The API's contract is what the collector serves as OpenAPI: every route it registers is
 * described in /api/openapi.json with its parameters, the schema of its answer and its error
 * answers (the ApiError body) — or is hidden on purpose: the document itself, and Grafana's
 * Jaeger and Tempo data-source APIs, which keep those projects' own contracts (GRAFANA-API.md).
 * Routes are seen as Fastify registers them (its `fastify.initialization` diagnostics channel
 * hands over the app before any route), so a route cannot escape by being left out of the document.
 */
import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { api, startTestCollector } from '../fixtures/collector.js';

interface Registered { method: string; url: string; hide: boolean; access: string | undefined }
interface Operation { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown; responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }> }
interface Schema { $ref?: string; type?: string; properties?: Record<string, unknown>; required?: string[] }
interface Document { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

const registered: Array<{ route: RouteOptions }> = [];
const initialization = channel('fastify.initialization');
const watch = (message: unknown): void => {
  const { fastify } = message as { fastify: FastifyInstance };
  fastify.addHook('onRoute', (route) => {
    registered.push({ route });
  });
};

let server: RunningServer;
let doc: Document;
beforeAll(async () => {
  initialization.subscribe(watch);
  try {
    server = await startTestCollector({ controlToken: 'control-secret' });
  } finally {
    initialization.unsubscribe(watch);
  }
  doc = (await api<Document>(server.url, '/api/openapi.json')).body;
});
afterAll(async () => {
  await server?.close();
});

/** The routes as registered (the access class stamped by auth.ts is read now, after every hook ran). */
function routes(): Registered[] {
  return registered.flatMap(({ route }) => (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
    method: method.toUpperCase(),
    url: route.url,
    hide: (route.schema as { hide?: boolean } | undefined)?.hide === true,
    access: (route.config as { access?: string } | undefined)?.access,
  }))).filter((r) => r.method !== 'HEAD');
}

const openapiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const operationOf = (r: Registered): Operation | undefined => doc.paths[openapiPath(r.url)]?.[r.method.toLowerCase()];

/** A schema with its $ref to a component followed. */
function resolve(schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref?.match(/^#\/components\/schemas\/(.+)$/);
  return ref ? doc.components.schemas[ref[1]] : schema;
}

describe('the OpenAPI description', () => {
  it('sees the routes the app registers', () => {
    expect(routes().length).toBeGreaterThan(40);
  });

  it('hides only the document itself and the Grafana data-source APIs', () => {
    const hidden = routes().filter((r) => r.hide).map((r) => `${r.method} ${r.url}`);
    expect(hidden.filter((r) => !/^GET (\/jaeger\/|\/tempo\/|\/api\/openapi\.json$)/.test(r))).toEqual([]);
  });

  it('describes every other registered route', () => {
    const missing = routes().filter((r) => !r.hide && operationOf(r) === undefined).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('gives every route the schema of its answer', () => {
    const without: string[] = [];
    for (const r of routes().filter((x) => !x.hide)) {
      const responses = operationOf(r)?.responses ?? {};
      const success = Object.entries(responses).filter(([status]) => /^2/.test(status));
      // An answer without a body (204, Zipkin's 202) is declared as such: it has a description of its own.
      const described = success.length > 0 && success.every(([, response]) =>
        Object.values(response.content ?? {}).some((c) => c.schema !== undefined)
        || (response.content === undefined && response.description !== undefined && response.description !== 'Default Response'));
      if (!described) without.push(`${r.method} ${r.url} (${Object.keys(responses).join(', ')})`);
    }
    expect(without).toEqual([]);
  });

  it('gives every route its error answers as the ApiError body, 401 on every route behind a token', () => {
    const wrong: string[] = [];
    for (const r of routes().filter((x) => !x.hide)) {
      const responses = operationOf(r)?.responses ?? {};
      const errors = Object.entries(responses).filter(([status]) => /^[45]/.test(status));
      if (errors.length === 0) wrong.push(`${r.method} ${r.url}: no error answers`);
      if (r.access !== 'public' && responses['401'] === undefined) wrong.push(`${r.method} ${r.url}: no 401`);
      for (const [status, response] of errors) {
        const body = resolve(response.content?.['application/json']?.schema);
        if (!body || JSON.stringify(Object.keys(body.properties ?? {}).sort()) !== '["code","message","statusCode"]' || body.required?.length !== 3) {
          wrong.push(`${r.method} ${r.url} ${status}: not an ApiError body`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('declares the parameters of every path', () => {
    const undeclared: string[] = [];
    for (const r of routes().filter((x) => !x.hide)) {
      const declared = new Set((operationOf(r)?.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
      for (const [, name] of r.url.matchAll(/:([A-Za-z0-9_]+)/g)) {
        if (!declared.has(name)) undeclared.push(`${r.method} ${r.url}: ${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('names the shared bodies as components', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ApiError', 'ExecutionSummary', 'FlowStats']));
  });
});
