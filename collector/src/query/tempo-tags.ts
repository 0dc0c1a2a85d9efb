/**
 * Tempo's tag suggestions, which feed Grafana's TraceQL query builder: tag names by scope
 * (resource, span, intrinsic — empty scopes left out, Grafana filters each one's list) and a
 * tag's values with their TraceQL types; plus the v1 shapes (unscoped names, values as text).
 * Keys and values come from a sample of recent spans (storage/grafana-reads.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Storage, TypedValue } from '../storage/index.js';
import { GrafanaInputError } from './grafana-errors.js';
import { SECONDS, windowOf } from './tempo-params.js';
import { KIND_KEYWORDS, parseTraceQLField, STATUS_KEYWORDS, TraceQLError, type TraceQLField } from './traceql.js';

/** The intrinsics this collector's TraceQL takes. */
export const TEMPO_INTRINSICS = ['duration', 'kind', 'name', 'status', 'statusMessage'];

const TEMPO_TYPES: Record<string, string> = { VARCHAR: 'string', BIGINT: 'int', UBIGINT: 'int', DOUBLE: 'float', BOOLEAN: 'bool' };

interface TagValue { type: string; value: string }

const TAG_QUERY = {
  type: 'object',
  properties: { scope: { type: 'string', maxLength: 20 }, q: { type: 'string', maxLength: 10_000 }, start: SECONDS, end: SECONDS, limit: { type: 'string', pattern: '^[0-9]{0,6}$' } },
} as const;
const TAG_PARAMS = { type: 'object', properties: { tag: { type: 'string', minLength: 1, maxLength: 1000 } }, required: ['tag'] } as const;

type TagQuery = { scope?: string; q?: string; start?: string; end?: string; limit?: string };

const typed = (values: TypedValue[]): TagValue[] =>
  values.map((v) => ({ type: TEMPO_TYPES[v.jsonType] ?? 'string', value: v.value }));

function dedupe(values: TagValue[], limit: number): TagValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = `${v.type}\u0000${v.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, limit);
}

export async function tempoTagRoutes(app: FastifyInstance, opts: { storage: Storage }): Promise<void> {
  const { grafana } = opts.storage;

  const valuesOf = async (field: TraceQLField, window: { fromNs?: bigint; toNs?: bigint }): Promise<TagValue[]> => {
    if (field.kind === 'intrinsic') {
      switch (field.name) {
        case 'status': return STATUS_KEYWORDS.map((value) => ({ type: 'keyword', value }));
        case 'kind': return KIND_KEYWORDS.map((value) => ({ type: 'keyword', value }));
        case 'duration': return [];
        default: return (await grafana.columnValues(field.name, window)).map((value) => ({ type: 'string', value }));
      }
    }
    const out: TagValue[] = [];
    if (field.scope !== 'resource') out.push(...typed(await grafana.attributeValues('span', field.key, window)));
    if (field.scope !== 'span') {
      out.push(...(field.key === 'service.name'
        ? (await grafana.columnValues('service', window)).map((value) => ({ type: 'string', value }))
        : typed(await grafana.attributeValues('resource', field.key, window))));
    }
    return out;
  };

  const limitOf = (text: string | undefined): number => (text ? Math.max(1, Math.min(Number(text), 10_000)) : 1_000);

  app.get<{ Querystring: TagQuery }>('/api/v2/search/tags', { schema: { hide: true, querystring: TAG_QUERY } }, async (request) => {
    const scope = request.query.scope ?? 'all';
    if (!['', 'all', 'resource', 'span', 'intrinsic'].includes(scope)) throw new GrafanaInputError('scope must be resource, span, intrinsic or all');
    const window = windowOf(request.query.start, request.query.end);
    const limit = limitOf(request.query.limit);
    const wanted = (name: string): boolean => scope === '' || scope === 'all' || scope === name;
    const scopes = [
      { name: 'resource', tags: wanted('resource') ? await grafana.attributeKeys('resource', window) : [] },
      { name: 'span', tags: wanted('span') ? await grafana.attributeKeys('span', window) : [] },
      { name: 'intrinsic', tags: wanted('intrinsic') ? TEMPO_INTRINSICS : [] },
    ];
    return { scopes: scopes.filter((s) => s.tags.length > 0).map((s) => ({ name: s.name, tags: s.tags.slice(0, limit) })) };
  });

  app.get<{ Params: { tag: string }; Querystring: TagQuery }>(
    '/api/v2/search/tag/:tag/values',
    { schema: { hide: true, params: TAG_PARAMS, querystring: TAG_QUERY } },
    async (request) => {
      let field: TraceQLField;
      try {
        field = parseTraceQLField(request.params.tag);
      } catch (error) {
        if (error instanceof TraceQLError) throw new GrafanaInputError(`unknown tag "${request.params.tag.slice(0, 100)}": use name, status, kind, duration, statusMessage, span.<key>, resource.<key> or .<key>`);
        throw error;
      }
      const values = await valuesOf(field, windowOf(request.query.start, request.query.end));
      return { tagValues: dedupe(values, limitOf(request.query.limit)) };
    },
  );

  // v1: names without scopes, values as text.
  app.get<{ Querystring: TagQuery }>('/api/search/tags', { schema: { hide: true, querystring: TAG_QUERY } }, async (request) => {
    const window = windowOf(request.query.start, request.query.end);
    const names = new Set([...await grafana.attributeKeys('span', window), ...await grafana.attributeKeys('resource', window)]);
    return { tagNames: [...names].sort().slice(0, limitOf(request.query.limit)) };
  });

  app.get<{ Params: { tag: string }; Querystring: TagQuery }>(
    '/api/search/tag/:tag/values',
    { schema: { hide: true, params: TAG_PARAMS, querystring: TAG_QUERY } },
    async (request) => {
      const values = await valuesOf({ kind: 'attribute', scope: 'any', key: request.params.tag }, windowOf(request.query.start, request.query.end));
      return { tagValues: [...new Set(values.map((v) => v.value))].slice(0, limitOf(request.query.limit)) };
    },
  );
}
