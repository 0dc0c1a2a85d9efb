/** Contracts of the collector's own routes (app.ts): liveness, its counters, and this description. */
import Type from 'typebox';
import { errorAnswers } from '../api-error.js';
import { MediaType } from '../schema-kit.js';

export const health = {
  summary: 'Liveness',
  response: {
    200: Type.Object({ status: Type.Literal('ok'), queuedRows: Type.Integer({ description: 'Rows waiting in the write queue' }) }),
    ...errorAnswers(),
  },
};

export const prometheusMetrics = {
  summary: 'Prometheus metrics',
  response: {
    200: MediaType('text/plain', Type.String(), "The collector's own counters (received, rejected, dropped, ingest latency) in Prometheus text format 0.0.4"),
    ...errorAnswers(401),
  },
};

/** This description itself: not an operation of the API it describes. */
export const openapiDocument = { hide: true };
