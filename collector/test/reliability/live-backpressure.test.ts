/**
 * Hostile review, item 13: live clients get backpressure and a limit. Clients that never read
 * are dropped once they fall behind, instead of queueing every event in the collector's
 * memory; a dropped client that comes back with Last-Event-ID catches up, or is told to
 * resync; each event is serialized once, whatever the number of clients.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { bulkyExecutionBody, connectLive, metric, type LiveClient } from '../fixtures/live-clients.js';
import { residentBytes } from '../fixtures/process-memory.js';
import { executionBody, postOtlp, sleep } from '../fixtures/traffic.js';

const STALLED = 4;
let cli: CliProcess | undefined;

afterAll(async () => {
  await cli?.stop();
});

/** Resolves true if the client is gone within `ms`. */
const closedWithin = (client: LiveClient, ms: number) => Promise.race([client.whenClosed.then(() => true), sleep(ms).then(() => false)]);

describe('live clients that never read', () => {
  it('drops each stalled client once it falls behind, keeps the reading one, and bounds memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-live-stall-'));
    cli = await startCli(['--port', '0', '--db', join(dir, 'live.duckdb'), '--memory-limit', '256MB', '--live-buffer-size', '1MiB']);
    const pid = cli.child.pid!;
    const before = residentBytes(pid).rss;
    const stalled: LiveClient[] = [];
    for (let i = 0; i < STALLED; i++) stalled.push(await connectLive(cli.url, { read: false }));
    const reader = await connectLive(cli.url);

    // The attack of the review: large requests while the stalled clients hold on.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await postOtlp(cli.url, bulkyExecutionBody(300, 60_000).body)).status);
    // Then many small spans, enough to push the stalled clients past the 1 MiB buffer.
    for (let i = 0; i < 40 && ((await metric(cli.url, 'flowtrace_live_clients_dropped_total')) ?? 0) < STALLED; i++) {
      statuses.push((await postOtlp(cli.url, executionBody('stall', 1999).body)).status);
    }
    const memory = residentBytes(pid);
    const subscribers = await metric(cli.url, 'flowtrace_live_subscribers');
    const droppedTotal = await metric(cli.url, 'flowtrace_live_clients_dropped_total');
    // The collector reset them; a paused socket sees that once it reads again.
    for (const c of stalled) c.resume();
    const dropped = await Promise.all(stalled.map((c) => closedWithin(c, 5_000)));
    const lastSeq = Math.max(...reader.frames.map((f) => f.id));
    console.log(`live-stalled: ${STALLED} clients that never read, ${statuses.length} requests (${statuses.filter((s) => s === 200).length}×200); `
      + `dropped ${dropped.filter(Boolean).length}/${STALLED}; RSS ${Math.round(before / 2 ** 20)} → ${Math.round(memory.rss / 2 ** 20)} MiB `
      + `(peak ${Math.round(memory.peak / 2 ** 20)} MiB); reader got ${reader.frames.length} events up to seq ${lastSeq}; subscribers now ${subscribers}`);

    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(dropped).toEqual(new Array(STALLED).fill(true));
    expect(droppedTotal).toBe(STALLED);
    expect(reader.closed()).toBe(false);
    expect(subscribers).toBe(1);
    // Every event reached the reading client, in order and once.
    expect(reader.frames.map((f) => f.id)).toEqual(Array.from({ length: reader.frames.length }, (_, i) => reader.frames[0].id + i));
    // Before the fix this run peaked at 1.6 GiB (each stalled client queued every whole span);
    // what is left is ingest's own (decoding and storing the 18 MB requests).
    expect(memory.peak).toBeLessThan(2 ** 30);

    // A dropped client comes back: from a recent id it gets exactly what followed it ...
    const back = await connectLive(cli.url, { headers: { 'last-event-id': String(lastSeq - 5) } });
    await sleep(500);
    expect(back.frames.map((f) => f.id)).toEqual([lastSeq - 4, lastSeq - 3, lastSeq - 2, lastSeq - 1, lastSeq]);
    // ... and from an id the 1 MiB buffer no longer holds, a resync first.
    const late = await connectLive(cli.url, { headers: { 'last-event-id': '1' } });
    await sleep(500);
    expect(late.frames[0]?.type).toBe('resync');
    for (const c of [back, late, reader]) c.close();
  }, 60_000);
});

describe('many live clients', () => {
  it('refuses the client past the cap with a coded 503 and Retry-After, serializes each event once, and prints ingest latency with and without them', async () => {
    await cli?.stop();
    const dir = mkdtempSync(join(tmpdir(), 'ft-live-many-'));
    cli = await startCli(['--port', '0', '--db', join(dir, 'live.duckdb'), '--memory-limit', '256MB']);
    const url = cli.url;
    const median = async (seconds: number) => {
      const times: number[] = [];
      const until = Date.now() + seconds * 1000;
      while (Date.now() < until) {
        const body = executionBody('latency', 199).body;
        const t0 = performance.now();
        expect((await postOtlp(url, body)).status).toBe(200);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return { median: times[Math.floor(times.length / 2)], requests: times.length };
    };
    const alone = await median(3);
    const publishedBefore = (await metric(url, 'flowtrace_live_events_total'))!;
    const serializedBefore = (await metric(url, 'flowtrace_live_events_serialized_total'))!;

    const clients: LiveClient[] = [];
    for (let i = 0; i < 100; i++) clients.push(await connectLive(url, { keepFrames: false }));
    const extra = await connectLive(url);
    const crowded = await median(3);
    const published = await metric(url, 'flowtrace_live_events_total');
    const serialized = await metric(url, 'flowtrace_live_events_serialized_total');
    console.log(`live-many: ingest median ${alone.median.toFixed(1)} ms (${alone.requests} requests of 200 spans) with no client, `
      + `${crowded.median.toFixed(1)} ms (${crowded.requests} requests) with 100 reading clients; client 101: ${extra.status} ${extra.errorBody}; `
      + `events published ${published! - publishedBefore}, serialized ${serialized! - serializedBefore} while they were connected; bytes read by one client ${clients[0].bytes}`);

    expect(clients.every((c) => c.status === 200 && !c.closed())).toBe(true);
    expect(extra.status).toBe(503);
    expect(Number(extra.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(extra.errorBody)).toMatchObject({ code: 'FT_LIVE_TOO_MANY_CLIENTS', statusCode: 503 });
    // Every event of the crowded phase reached 100 clients and was serialized once.
    expect(published! - publishedBefore).toBeGreaterThan(crowded.requests * 200);
    expect(serialized! - serializedBefore).toBe(published! - publishedBefore);
    expect(clients[0].bytes).toBeGreaterThan(crowded.requests * 200 * 100);
    // The latency is printed, not asserted: a timed check fails on a busy machine, and its cause
    // (an event serialized once per client) is what the count above checks. Before the fix the
    // median went 11.4 → 122 ms with 100 clients; RELIABILITY.md has the figures of this run.

    // A slot that frees up is taken again.
    clients[0].close();
    await sleep(200);
    const again = await connectLive(url);
    expect(again.status).toBe(200);
    for (const c of [...clients, again]) c.close();
  }, 60_000);
});
