/**
 * Searches of the span rows (text, attribute values the index cannot answer) run inside time
 * windows first, each bounded to the spans of its executions (storage/executions/executions.ts). These tests
 * page through executions spread over days — some with a span that started hours before its
 * root (clock skew), which a window on the spans' own start times would miss — and hold every
 * page to what the rows written say.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type ExecutionFilter, type Storage } from '../../src/storage/index.js';
import { attributeList, makeExecutionRows, ns } from '../fixtures/rows.js';

const HOUR = 3_600_000;
const LONG_NOTE = `${'x'.repeat(150)} Needle`; // over 128 characters: not in the attribute value index

describe('span searches through time windows', () => {
  let storage: Storage;
  const now = Date.now();
  /** Newest first, as the list orders them: [trace id, has "needle" in a span, has the long note]. */
  const written: Array<{ traceId: string; text: boolean; note: boolean }> = [];

  beforeEach(async () => {
    storage = await openStorage({ path: ':memory:' });
    written.length = 0;
    // 40 executions: a burst in the last minute, then minutes and hours apart, then days ago.
    const offsetsMs = [...Array.from({ length: 12 }, (_, i) => i * 1_000), ...Array.from({ length: 14 }, (_, i) => 120_000 + i * 600_000),
      ...Array.from({ length: 14 }, (_, i) => 2 * 86_400_000 + i * HOUR)];
    for (const [i, offset] of offsetsMs.entries()) {
      const rows = makeExecutionRows({ nodes: 2, startMs: now - offset });
      const text = i % 3 === 0;
      const note = i % 5 === 0;
      if (text) rows[0].name = 'node-NEEDLE';
      if (note) rows[1].attributes = attributeList({ 'flow.node.id': 'n1', note: LONG_NOTE });
      // A child that started two hours before its root: outside the window its root is in.
      if (i % 7 === 0) rows[0].startTimeUnixNano -= ns(2 * HOUR);
      await storage.writer.write({ spans: rows, starts: [], logs: [] });
      written.push({ traceId: rows[0].traceId, text: text || note, note });
    }
  });
  afterEach(async () => {
    await storage.close();
  });

  /** Every page of a filter, `limit` rows each, following the cursor. */
  async function allPages(filter: Omit<ExecutionFilter, 'limit' | 'cursor'>, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: ExecutionFilter['cursor'];
    for (;;) {
      const page = await storage.executions.list({ ...filter, limit, cursor });
      pages.push(page.executions.map((e) => e.traceId));
      if (!page.hasMore) return pages;
      const last = page.executions[page.executions.length - 1];
      cursor = { startNs: last.startNs, traceId: last.traceId };
    }
  }

  const inPages = (ids: string[], limit: number): string[][] =>
    Array.from({ length: Math.max(1, Math.ceil(ids.length / limit)) }, (_, i) => ids.slice(i * limit, (i + 1) * limit));

  it('finds text in span names and attributes, page by page, as the rows say', async () => {
    const expected = written.filter((w) => w.text).map((w) => w.traceId);
    expect(expected.length).toBeGreaterThan(12);
    for (const limit of [1, 4, 50]) expect(await allPages({ text: 'needle' }, limit)).toEqual(inPages(expected, limit));
  });

  it('finds an attribute value too long for the index, page by page', async () => {
    const expected = written.filter((w) => w.note).map((w) => w.traceId);
    expect(expected.length).toBe(8);
    const filter = { attributes: [{ key: 'note', value: LONG_NOTE }] };
    for (const limit of [1, 3, 50]) expect(await allPages(filter, limit)).toEqual(inPages(expected, limit));
  });

  it('keeps to a time range the search is given', async () => {
    const fromNs = ns(now - 3 * HOUR); // the first 26 executions started since (the rest days ago)
    const inRange = written.filter((w, i) => w.text && i < 26);
    const page = await storage.executions.list({ text: 'needle', fromNs, limit: 50 });
    expect(page.executions.map((e) => e.traceId)).toEqual(inRange.map((w) => w.traceId));
    expect(page.hasMore).toBe(false);
  });

  it('finds, on a page after the cursor, a span that started after the cursor\'s execution (a long run)', async () => {
    const fresh = await openStorage({ path: ':memory:' });
    try {
      // A: its root at -3 h, the matching node only at -30 min; B, newer (-1 h), matches at once.
      const a = makeExecutionRows({ nodes: 1, startMs: now - 3 * HOUR });
      a[0].name = 'late-NEEDLE';
      a[0].startTimeUnixNano = ns(now - HOUR / 2);
      a[0].endTimeUnixNano = ns(now - HOUR / 2 + 10);
      a[1].endTimeUnixNano = ns(now - HOUR / 4);
      const b = makeExecutionRows({ nodes: 1, startMs: now - HOUR });
      b[0].name = 'node-NEEDLE';
      const c = makeExecutionRows({ nodes: 1, startMs: now - 4 * HOUR }); // older, no match
      for (const rows of [a, b, c]) await fresh.writer.write({ spans: rows, starts: [], logs: [] });
      const first = await fresh.executions.list({ text: 'needle', limit: 1 });
      expect(first.executions.map((e) => e.traceId)).toEqual([b[0].traceId]);
      const last = first.executions[0];
      const second = await fresh.executions.list({ text: 'needle', limit: 1, cursor: { startNs: last.startNs, traceId: last.traceId } });
      expect(second.executions.map((e) => e.traceId)).toEqual([a[0].traceId]);
    } finally {
      await fresh.close();
    }
  });

  it('finds an execution by the node that is still running in it', async () => {
    const [node, root] = makeExecutionRows({ nodes: 1, startMs: now - 5 * HOUR });
    const runningNode = { ...node, name: 'Waiting-For-Approval', nodeName: 'Waiting-For-Approval', endTimeUnixNano: null };
    // The root runs too, so the execution's own names (flow, root) do not hold the text.
    await storage.writer.write({ spans: [], starts: [{ ...root, endTimeUnixNano: null }, runningNode], logs: [] });
    const page = await storage.executions.list({ text: 'waiting-for', limit: 10 });
    expect(page.executions.map((e) => e.traceId)).toEqual([root.traceId]);
  });

  it('matches text in any case, digits and signs exactly (the cheap first test of text with them)', async () => {
    const [node, root] = makeExecutionRows({ nodes: 1, startMs: now - 30_000 });
    node.attributes = attributeList({ 'flow.node.id': 'n0', note: 'Ünïcode ORD-77/β shipped' });
    await storage.writer.write({ spans: [node, root], starts: [], logs: [] });
    const found = async (text: string) => (await storage.executions.list({ text, limit: 50 })).executions.some((e) => e.traceId === node.traceId);
    expect(await found('ünïcode ord-77/β')).toBe(true);
    expect(await found('ÜNÏCODE Ord-77/Β SHIPPED')).toBe(true);
    expect(await found('ord-77/b')).toBe(false);
    expect(await found('ord-78')).toBe(false);
    expect(await found('77/β')).toBe(true);
  });

  it('finds nothing, without error, in an empty database or a range without executions', async () => {
    const empty = await openStorage({ path: ':memory:' });
    expect(await empty.executions.list({ text: 'needle', limit: 10 })).toEqual({ executions: [], hasMore: false });
    await empty.close();
    const future = await storage.executions.list({ text: 'needle', fromNs: ns(now + HOUR), limit: 10 });
    expect(future).toEqual({ executions: [], hasMore: false });
  });
});
