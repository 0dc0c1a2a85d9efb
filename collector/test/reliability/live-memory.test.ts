/**
 * Hostile review, item 12: the live feed's replay buffer must not pin span payloads. Large
 * requests (18 MB: 300 spans with a 60 KB captured input each) stream past a connected live
 * client in a collector process with a small V8 heap; the process must take them all, its
 * live buffer must stay under its byte cap, and the events must be summaries (no attributes).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../fixtures/cli-process.js';
import { bulkyExecutionBody, connectLive, metric } from '../fixtures/live-clients.js';
import { residentBytes } from '../fixtures/process-memory.js';
import { postOtlp } from '../fixtures/traffic.js';

const REQUESTS = 10;
const SPANS = 300;
const PAYLOAD_BYTES = 60_000;
const HEAP_MIB = 256;
let cli: CliProcess | undefined;

/** The process is still there (its exit event may not have been seen yet). */
const alive = (pid: number): boolean => existsSync(`/proc/${pid}/status`) && cli?.child.exitCode === null;

afterAll(async () => {
  await cli?.stop();
});

describe('large requests while a live client is connected', () => {
  it('keeps summaries within the byte cap of the live buffer, so a small heap takes request after request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-live-memory-'));
    cli = await startCli(['--port', '0', '--db', join(dir, 'live.duckdb'), '--memory-limit', '256MB', '--live-buffer-size', '4MiB'],
      { NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB}` });
    const pid = cli.child.pid!;
    const reader = await connectLive(cli.url);
    expect(reader.status).toBe(200);

    const statuses: number[] = [];
    let bodyBytes = 0;
    const started = Date.now();
    for (let i = 0; i < REQUESTS; i++) {
      const { body } = bulkyExecutionBody(SPANS, PAYLOAD_BYTES);
      bodyBytes = body.length;
      statuses.push((await postOtlp(cli.url, body)).status);
      if (!alive(pid)) break;
    }
    const memory = alive(pid) ? residentBytes(pid) : { rss: 0, peak: 0 };
    const bufferBytes = alive(pid) ? await metric(cli.url, 'flowtrace_live_buffer_bytes').catch(() => undefined) : undefined;
    const spanFrames = reader.frames.filter((f) => f.type.startsWith('span.'));
    const largest = Math.max(0, ...reader.frames.map((f) => f.data.length));
    console.log(`live-memory: ${statuses.length}×${(bodyBytes / 1e6).toFixed(1)} MB requests in ${((Date.now() - started) / 1000).toFixed(1)} s `
      + `at --max-old-space-size=${HEAP_MIB}: answers ${JSON.stringify(statuses)}; alive ${alive(pid)}${alive(pid) ? '' : ` (${/FATAL ERROR[^\n]*/.exec(cli.output())?.[0] ?? 'exited'})`}; RSS ${Math.round(memory.rss / 2 ** 20)} MiB `
      + `(peak ${Math.round(memory.peak / 2 ** 20)} MiB); live buffer ${bufferBytes} bytes; ${spanFrames.length} span events, largest frame ${largest} bytes`);

    expect(statuses).toEqual(new Array(REQUESTS).fill(200));
    expect(alive(pid)).toBe(true);
    expect(bufferBytes).toBeLessThanOrEqual(4 * 2 ** 20);
    // Each span event is a summary the waterfall draws; its payload is fetched on demand.
    expect(spanFrames.length).toBeGreaterThan(0);
    expect(largest).toBeLessThan(2_000);
    const span = JSON.parse(spanFrames[spanFrames.length - 1].data).span;
    expect(span).not.toHaveProperty('attributes');
    expect(span).toMatchObject({ nodeId: expect.stringMatching(/^node-/), nodeType: 'task', serviceName: 'bulky' });
    reader.close();
  }, 60_000);
});
