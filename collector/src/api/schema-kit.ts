/**
 * The few shapes TypeBox's builders do not give as this API needs them. Every schema here is
 * a plain JSON Schema that Fastify validates with (Ajv), serialises with (fast-json-stringify)
 * and @fastify/swagger publishes (OpenAPI 3.0), typed for TypeScript by TypeBox's Static.
 *
 * Why not TypeBox's own: a union (`anyOf`) makes fast-json-stringify try each branch per value,
 * so nullables and enums are written as `type: [t, 'null']` and `type: 'string', enum`, which
 * it serialises directly and @fastify/swagger turns into OpenAPI 3.0's `nullable`/`enum`; and
 * OpenAPI 3.0 knows neither tuples nor patternProperties.
 */
import Type, { type Static, type TSchema, type TUnsafe } from 'typebox';

/** `schema` (of one scalar type) or null: `type: [t, 'null']`; an enum gets null among its values. */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const { type, enum: values, ...rest } = schema as { type?: unknown; enum?: unknown[] };
  if (typeof type !== 'string') throw new TypeError('Nullable takes a schema of one scalar type');
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'], ...(values ? { enum: [...values, null] } : {}) });
}

/** One of the given strings (`type: 'string', enum`). */
export function StringEnum<const V extends readonly string[]>(values: V, options: { description?: string; default?: V[number] } = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}

/** Attributes (resource, span, event, link, log): any JSON under string keys. */
export const Attributes = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });

/** Any JSON value (a payload as captured, parsed when it is JSON). */
export const AnyJson = (description = 'Any JSON value'): TUnsafe<unknown> => Type.Unsafe<unknown>({ description });

/** An ISO 8601 time (millisecond precision). */
export const IsoTime = (options: { description?: string } = {}) => Type.String({ format: 'date-time', ...options });

/** Nanoseconds since the epoch as a decimal string (exact where a number is not). */
export const UnixNano = (options: { description?: string } = {}) => Type.String(options);

/** A trace id in a path or query: 32 hex digits. */
export const TraceId = Type.String({ pattern: '^[0-9a-fA-F]{32}$' });
/** A span id in a path or query: 16 hex digits. */
export const SpanId = Type.String({ pattern: '^[0-9a-fA-F]{16}$' });

/**
 * A list of positions of mixed types, documented as an array (OpenAPI 3.0 has no tuples) and
 * typed as the tuple `T`.
 */
export const TupleOf = <T extends unknown[]>(description: string): TUnsafe<T> =>
  Type.Unsafe<T>({ type: 'array', items: { type: ['string', 'number', 'null'] }, description });

declare const jsonOf: unique symbol;
/** JSON text of a `T`, rendered before the reply (mostly by storage) and sent as it is. */
export type JsonText<T> = string & { readonly [jsonOf]: T };

/** Marks `text` as the JSON of a `T`: whoever builds it vouches for the shape. */
export const jsonText = <T>(text: string): JsonText<T> => text as JsonText<T>;

/**
 * An answer that is sent as JSON text already rendered (a string payload is never serialised
 * again by Fastify): `schema` documents it in OpenAPI, the handler sends a JsonText of it.
 */
export const Prerendered = <T extends TSchema>(schema: T): TUnsafe<JsonText<Static<T>>> => Type.Unsafe<JsonText<Static<T>>>(schema);

/** A body that is not JSON (a file, a stream): documented per media type, any payload on the type side. */
export const Binary = (description: string): TUnsafe<unknown> => Type.Unsafe<unknown>({ type: 'string', format: 'binary', description });

/** An answer without a body (204): @fastify/swagger documents `type: 'null'` without content. */
export const NoContent = (description: string): TUnsafe<undefined> => Type.Unsafe<undefined>({ type: 'null', description });

/** An answer of one media type other than JSON (text, a stream of events, a file). */
export const MediaType = <M extends string, T extends TSchema>(media: M, schema: T, description: string) =>
  ({ description, content: { [media]: { schema } } as { [K in M]: { schema: T } } });

/**
 * A schema registered once (app.addSchema, under `id`): routes refer to it by `ref`, so the
 * OpenAPI description names it as a component and fast-json-stringify compiles it once.
 */
export function named<T extends TSchema>(id: string, schema: T): { id: string; schema: T & { $id: string }; ref: TUnsafe<Static<T>> } {
  return { id, schema: { ...schema, $id: id }, ref: Type.Unsafe<Static<T>>({ $ref: `${id}#` }) };
}
