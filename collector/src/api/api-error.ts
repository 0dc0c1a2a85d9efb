/**
 * The body of every error answer, `{ code, message, statusCode }` (errors.ts holds the codes),
 * and the error answers a route declares: each status it can give, described, as that body.
 */
import Type, { type Static } from 'typebox';
import { named } from './schema-kit.js';

export const ApiErrorSchema = Type.Object({
  code: Type.String({ description: 'FT_…: what went wrong, stable for programs (errors.ts)' }),
  message: Type.String({ description: 'What went wrong, for people' }),
  statusCode: Type.Integer(),
});
/** The body of every error answer. */
export type ApiError = Static<typeof ApiErrorSchema>;

export const ApiErrorComponent = named('ApiError', ApiErrorSchema);

/** What each error status means on this API (the code in the body says exactly what). */
const MEANING = {
  400: 'Invalid request: a parameter, filter or body the route does not take (FT_BAD_REQUEST, FT_BAD_FILTER, …)',
  401: 'A valid bearer token is required (FT_UNAUTHORIZED)',
  403: 'Refused (FT_CONTROL_OFF: control is off; FT_HOST_NOT_ALLOWED)',
  404: 'Not found (FT_TRACE_NOT_FOUND, FT_SPAN_NOT_FOUND, FT_FLOW_NOT_FOUND, FT_METRIC_NOT_FOUND, …)',
  409: 'Conflicts with the state of the execution (FT_EXECUTION_FINISHED, FT_CONTROL_NOT_ALLOWED, FT_CONTROL_NOT_RUNNING)',
  413: 'The body is larger than the cap, after decompression (FT_BODY_TOO_LARGE)',
  415: 'Unsupported Content-Type or Content-Encoding (FT_UNSUPPORTED_MEDIA_TYPE, FT_UNSUPPORTED_ENCODING)',
  429: 'The write queue is full; retry after Retry-After (FT_QUEUE_FULL)',
  500: 'Internal error (FT_INTERNAL)',
  502: 'The service could not carry out the request (FT_CONTROL_FAILED)',
  503: 'Not now; retry after Retry-After (FT_SHUTTING_DOWN, FT_WRITE_FAILED, FT_LIVE_TOO_MANY_CLIENTS, FT_EXPORT_BUSY, FT_CONTROL_NO_INSTANCE, …)',
  504: 'The service did not answer in time (FT_CONTROL_NO_ANSWER)',
} as const;
export type ErrorStatus = keyof typeof MEANING;

const answer = (status: ErrorStatus) => Type.Unsafe<ApiError>({ description: MEANING[status], $ref: `${ApiErrorComponent.id}#` });

/**
 * The error answers of a route: the statuses it gives, each an ApiError body. Every route gets
 * 500; pass 401 for routes behind a token.
 */
export function errorAnswers<const S extends ErrorStatus>(...statuses: S[]): { [K in S | 500]: ReturnType<typeof answer> } {
  const out = {} as { [K in S | 500]: ReturnType<typeof answer> };
  for (const status of [...statuses, 500 as const]) (out as Record<number, unknown>)[status] = answer(status);
  return out;
}
