/**
 * GET /api/live: Server-Sent Events of the live feed, for everything or one traceId.
 * Each event has `id:` (its sequence number), `event:` (its type) and `data:` (JSON).
 * A client that reconnects sends Last-Event-ID (EventSource does) or `since` and gets what
 * it missed from the feed's buffer; if that is gone it gets a `resync` event first.
 */
import type { FastifyInstance } from 'fastify';
import type { LiveEvent } from '../api/wire-types.js';
import type { LiveFeed } from './live-feed.js';
import { parseTraceId } from './params.js';

const HEARTBEAT_MS = 15_000;

function frame(event: LiveEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export async function liveRoutes(app: FastifyInstance, opts: { feed: LiveFeed }): Promise<void> {
  const { feed } = opts;
  const open = new Set<import('node:http').ServerResponse>();
  // Streams never end by themselves; end them before the server waits for its connections.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });
  app.get<{ Querystring: { traceId?: string; since?: number; access_token?: string } }>(
    '/api/live',
    {
      schema: {
        summary: 'Server-Sent Events: execution.started/completed/failed, span.started/completed/failed',
        querystring: {
          type: 'object',
          properties: {
            traceId: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
            since: { type: 'integer', minimum: 0 },
            access_token: { type: 'string', maxLength: 500 },
          },
          additionalProperties: false,
        },
      },
    },
    (request, reply) => {
      const traceId = request.query.traceId ? parseTraceId(request.query.traceId) : undefined;
      const lastEventId = Number.parseInt(String(request.headers['last-event-id'] ?? ''), 10);
      let since = Number.isFinite(lastEventId) ? lastEventId : request.query.since;
      // An id past the newest event comes from before a restart (the sequence started again):
      // taken as is, every new event would look already seen. Such a client resyncs instead.
      const fromEarlierRun = since !== undefined && since > feed.lastSeq;
      if (fromEarlierRun) since = undefined;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      open.add(raw);
      raw.write(`retry: 2000\n: connected, last seq ${feed.lastSeq}\n\n`);
      if (fromEarlierRun) raw.write(`event: resync\ndata: {"oldestSeq":${feed.oldestSeq}}\n\n`);
      const filter = { traceId };
      // Subscribe before replaying so nothing falls between the two; skip what replay sent.
      let replayedUpTo = since ?? feed.lastSeq;
      const pending: LiveEvent[] = [];
      let replaying = true;
      const unsubscribe = feed.subscribe(filter, (event) => {
        if (replaying) pending.push(event);
        else if (event.seq > replayedUpTo) raw.write(frame(event));
      });
      if (since !== undefined) {
        const { events, complete } = feed.replay(since, filter);
        if (!complete) raw.write(`event: resync\ndata: {"oldestSeq":${feed.oldestSeq}}\n\n`);
        for (const event of events) raw.write(frame(event));
        if (events.length > 0) replayedUpTo = events[events.length - 1].seq;
      }
      replaying = false;
      for (const event of pending) if (event.seq > replayedUpTo) raw.write(frame(event));
      const heartbeat = setInterval(() => raw.write(`: heartbeat ${feed.lastSeq}\n\n`), HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(raw);
      };
      request.raw.on('close', close);
      raw.on('error', close);
    },
  );
}
