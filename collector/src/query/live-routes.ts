/**
 * GET /api/live: Server-Sent Events of the live feed, for everything or one traceId.
 * Each event has `id:` (its sequence number), `event:` (its type) and `data:` (JSON).
 * A client that reconnects sends Last-Event-ID (EventSource does) or `since` and gets what
 * it missed from the feed's buffer; if that is gone it gets a `resync` event first.
 * At most `feed.maxClients` streams are open; past that a client gets 503
 * FT_LIVE_TOO_MANY_CLIENTS with Retry-After (EventSource gives up; the viewer retries later).
 * A stream of one trace also gets `log` events: its console lines as they are stored.
 * Writing and backpressure are live-connection.ts's.
 */
import { liveStream } from '../api/routes/reads.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import { errors } from '../errors.js';
import type { LiveFeed } from './live-feed.js';
import { LiveConnection } from './live-connection.js';
import { parseTraceId } from './params.js';

export async function liveRoutes(app: TypeBoxApp, opts: { feed: LiveFeed }): Promise<void> {
  const { feed } = opts;
  const counts = feed.clientCounts;
  const open = new Set<LiveConnection>();
  // Streams never end by themselves; end them before the server waits for its connections.
  app.addHook('preClose', async () => {
    for (const connection of open) connection.end();
  });
  app.get(
    '/api/live',
    { schema: liveStream },
    (request, reply) => {
      if (counts.open >= feed.maxClients) {
        counts.refused += 1;
        throw errors.FT_LIVE_TOO_MANY_CLIENTS(`${feed.maxClients} streams are open`);
      }
      const traceId = request.query.traceId ? parseTraceId(request.query.traceId) : undefined;
      const lastEventId = Number.parseInt(String(request.headers['last-event-id'] ?? ''), 10);
      let since = Number.isFinite(lastEventId) && lastEventId >= 0 ? lastEventId : request.query.since;
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
      raw.write(`retry: 2000\n: connected, last seq ${feed.lastSeq}\n\n`);
      // What the buffer no longer holds cannot be replayed: the client must refetch, then
      // gets what the buffer still has.
      const missed = since !== undefined && since + 1 < feed.oldestSeq;
      if (fromEarlierRun || missed) raw.write(`event: resync\ndata: {"oldestSeq":${feed.oldestSeq}}\n\n`);
      const cursor = since === undefined ? feed.lastSeq : Math.max(since, feed.oldestSeq - 1);
      counts.open += 1;
      // A stream of one trace also gets its console lines (live-feed.ts watch).
      const unwatch = traceId === undefined ? () => {} : feed.watch(traceId);
      const connection = new LiveConnection(raw, feed, { traceId }, cursor, (dropped) => {
        unwatch();
        counts.open -= 1;
        if (dropped) counts.dropped += 1;
        open.delete(connection);
      });
      open.add(connection);
      connection.start();
    },
  );
}
