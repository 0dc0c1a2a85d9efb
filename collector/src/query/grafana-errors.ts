/**
 * What an error thrown inside the Jaeger and Tempo routes answers: an HTTP status and a message
 * fit to show a Grafana user. Those APIs have error shapes of their own (Jaeger's envelope,
 * Tempo's plain text), so each route plugin renders this in its shape with its own error handler.
 * Internal failures are logged and answered with a generic message: no stack or SQL leaks out.
 */
import type { FastifyRequest } from 'fastify';
import { FlowtraceError } from '../errors.js';

/** Bad input a route found itself (a TraceQL error, a bad duration …): a 400 with this message. */
export class GrafanaInputError extends Error {}

export interface GrafanaFailure { statusCode: number; message: string }

export function failureOf(error: unknown, request: FastifyRequest): GrafanaFailure {
  if (error instanceof FlowtraceError) return { statusCode: error.statusCode, message: error.message };
  if (error instanceof GrafanaInputError) return { statusCode: 400, message: error.message };
  const e = error as { statusCode?: unknown; message?: unknown; validation?: unknown };
  if (e?.validation) return { statusCode: 400, message: String(e.message) };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return { statusCode: e.statusCode, message: String(e.message ?? 'bad request') };
  request.log.error({ err: error }, 'request failed');
  return { statusCode: 500, message: 'internal error' };
}

/** The gRPC code matching an HTTP status, for Jaeger's api_v3 error shape. */
export function grpcCodeOf(statusCode: number): number {
  switch (statusCode) {
    case 400: return 3; // INVALID_ARGUMENT
    case 401: return 16; // UNAUTHENTICATED
    case 403: return 7; // PERMISSION_DENIED
    case 404: return 5; // NOT_FOUND
    case 429: return 8; // RESOURCE_EXHAUSTED
    case 503: return 14; // UNAVAILABLE
    default: return statusCode >= 500 ? 13 : 2; // INTERNAL, UNKNOWN
  }
}

/** The hex trace id of a 1–32 digit id (Jaeger's 64-bit ids are the low half, zero-padded). */
export function paddedTraceId(id: string): string {
  return id.toLowerCase().padStart(32, '0');
}
