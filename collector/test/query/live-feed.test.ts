/** The live feed's buffer: span summaries only, a byte cap, consecutive sequence numbers, one frame per event. */
import { describe, expect, it } from 'vitest';
import { LiveFeed } from '../../src/query/live-feed.js';
import type { CommitNotice } from '../../src/storage/index.js';
import { makeSpanRow, newSpanId, newTraceId } from '../fixtures/rows.js';

/** A commit of `count` finished spans of one trace, each with a large attribute. */
function commit(count: number, traceId = newTraceId()): CommitNotice {
  const spans = Array.from({ length: count }, (_, i) =>
    makeSpanRow({ traceId, spanId: newSpanId(), name: `span ${i}`, nodeId: `n${i}`, largeAttributes: JSON.stringify({ 'flow.node.input': 'x'.repeat(50_000) }) }));
  return { spans, starts: [], logCount: 0, executions: [] };
}

const framesOf = (chunk: Buffer | null) => (chunk ? chunk.toString('utf8').split('\n\n').filter(Boolean) : []);

describe('LiveFeed', () => {
  it('sends span summaries without attributes, whatever the span carried', () => {
    const feed = new LiveFeed();
    feed.publishCommit(commit(1));
    const [frame] = framesOf(feed.read(0, {}, 1 << 20).chunk);
    const event = JSON.parse(frame.slice(frame.indexOf('data: ') + 6));
    expect(event.span).toMatchObject({ name: 'span 0', nodeId: 'n0', status: expect.any(String) });
    expect(event.span).not.toHaveProperty('attributes');
    expect(frame.length).toBeLessThan(1_000);
  });

  it('keeps to its byte cap, dropping the oldest events but never those of the newest commit', () => {
    const feed = new LiveFeed({ maxBytes: 20_000 });
    for (let i = 0; i < 50; i++) feed.publishCommit(commit(10));
    expect(feed.stats.bufferBytes).toBeLessThanOrEqual(20_000);
    expect(feed.lastSeq).toBe(500);
    expect(feed.oldestSeq).toBeGreaterThan(400);
    feed.publishCommit(commit(200));
    expect(feed.oldestSeq).toBe(501);
    expect(feed.stats.bufferEvents).toBe(200);
  });

  it('says a reader missed events once the buffer has moved past it, and hands it what remains', () => {
    const feed = new LiveFeed({ maxBytes: 20_000 });
    for (let i = 0; i < 50; i++) feed.publishCommit(commit(10));
    const oldest = feed.oldestSeq;
    const read = feed.read(3, {}, 1 << 20);
    expect(read.missed).toBe(true);
    expect(framesOf(read.chunk)[0]).toContain(`id: ${oldest}\n`);
    expect(read.upTo).toBe(500);
  });

  it('serializes each event once and gives readers at the same place the same chunk', () => {
    const feed = new LiveFeed();
    const traceId = newTraceId();
    feed.publishCommit(commit(5, traceId));
    feed.publishCommit(commit(5));
    const a = feed.read(0, {}, 1 << 20);
    expect(feed.read(0, {}, 1 << 20).chunk).toBe(a.chunk);
    expect(framesOf(feed.read(0, { traceId }, 1 << 20).chunk)).toHaveLength(5);
    expect(feed.stats.serialized).toBe(10);
  });

  it('cuts a read at about the bytes asked for, so one write stays bounded', () => {
    const feed = new LiveFeed();
    feed.publishCommit(commit(100));
    const read = feed.read(0, {}, 5_000);
    expect(read.chunk!.length).toBeLessThan(6_000);
    expect(read.upTo).toBe(framesOf(read.chunk).length);
  });
});
