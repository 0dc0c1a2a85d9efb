/**
 * The error texts (storage/span-model/error-texts.ts, schema/tables/error_texts.sql): the status
 * message of every failed span, the message of every exception event and every error-level
 * console line, one small row each, written with them at commit. The execution list's text search
 * finds a failed run by them without reading a span (storage/executions/executions.ts), and the
 * rest of what it searches (names, attributes, payloads, every console line) still decides: each
 * page holds exactly the matching executions, newest first, whichever path found them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionFilter } from '../../src/storage/contract.js';
import { openDuckDbStorage, type DuckDbStorage } from '../../src/storage/duckdb-storage.js';
import { createOldDatabase } from '../fixtures/old-schema.js';
import { makeExecutionRows, makeLogRow, makeSpanRow, newSpanId, ns } from '../fixtures/rows.js';

const HOUR = 3_600_000;
const now = Date.now();
const exception = (message: string) => ({ name: 'exception', timeUnixNano: '1', attributes: { 'exception.type': 'Error', 'exception.message': message } });
/** Over 256 characters: a large attribute (a payload), searched by the span scan only. */
const payload = (text: string) => JSON.stringify({ order: 'ord-1', note: `${'x'.repeat(300)} ${text}` });

/** The rows of error_texts, as `trace|span|text`, sorted. */
async function errorRows(storage: DuckDbStorage): Promise<string[]> {
  return (await storage.writer.exclusive(async (c) => (await c.runAndReadAll(
    `SELECT trace_id || '|' || span_id || '|' || time_ns || '|' || text AS r FROM error_texts ORDER BY r`,
  )).getRowObjectsJS())).map((r) => String(r.r));
}

/** Every page of a text search, following the cursor: [trace ids of each page]. */
async function allPages(storage: DuckDbStorage, filter: Omit<ExecutionFilter, 'limit' | 'cursor'>, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: ExecutionFilter['cursor'];
  for (let n = 0; n < 20; n++) {
    const page = await storage.executions.list({ ...filter, limit, cursor });
    expect(page.executions.length).toBeLessThanOrEqual(limit);
    pages.push(page.executions.map((e) => e.traceId));
    if (!page.hasMore) return pages;
    const last = page.executions[page.executions.length - 1];
    cursor = { startNs: last.startNs, traceId: last.traceId };
  }
  throw new Error('more than 20 pages');
}

describe('the error texts a commit writes', () => {
  let storage: DuckDbStorage;
  beforeAll(async () => {
    storage = await openDuckDbStorage({ path: ':memory:' });
  });
  afterAll(() => storage?.close());

  it('hold failed spans\' status messages, every exception message and error-level lines, and go with their execution', async () => {
    const [node, root] = makeExecutionRows({ nodes: 1, startMs: now - 1000 });
    Object.assign(node, {
      statusCode: 2, statusMessage: 'Card declined', exceptionMessage: 'first',
      events: JSON.stringify([exception('first'), { name: 'retry', timeUnixNano: '2', attributes: {} }, exception('Card declined')]),
    });
    root.statusMessage = 'not an error: status ok'; // a message without the error status is not an error text
    const other = makeSpanRow({ statusCode: 1, events: JSON.stringify([exception('caught and handled')]) });
    const line = (severityNumber: number, body: string, traceId = node.traceId) =>
      makeLogRow({ traceId, spanId: node.spanId, severityNumber, body, timeUnixNano: ns(now - 900) });
    await storage.writer.write({
      spans: [node, root, other],
      starts: [],
      logs: [line(17, 'payment failed: card declined'), line(21, 'fatal'), line(13, 'only a warning'), line(9, 'info'), line(17, 'no trace', '')],
    });
    const end = (s: typeof node) => String(s.endTimeUnixNano);
    const t = String(ns(now - 900));
    expect(await errorRows(storage)).toEqual([
      `${node.traceId}|${node.spanId}|${end(node)}|Card declined`,
      `${node.traceId}|${node.spanId}|${end(node)}|first`,
      `${node.traceId}|${node.spanId}|${t}|fatal`,
      `${node.traceId}|${node.spanId}|${t}|payment failed: card declined`,
      `${other.traceId}|${other.spanId}|${end(other)}|caught and handled`,
    ].sort());
    // Written again (a retried request), nothing is added.
    await storage.writer.write({ spans: [node, root, other], starts: [], logs: [] });
    expect(await errorRows(storage)).toHaveLength(5);
    expect(await storage.deleteExecutions([node.traceId])).toBe(1);
    expect(await errorRows(storage)).toEqual([`${other.traceId}|${other.spanId}|${end(other)}|caught and handled`]);
  });

  it('are what the migration fills in for spans and lines stored before it', async () => {
    const written = await errorRows(storage);
    const [node, root] = makeExecutionRows({ nodes: 1, startMs: now - 500 });
    Object.assign(node, { statusCode: 2, statusMessage: 'quota exceeded', events: JSON.stringify([exception('quota exceeded'), exception('then "this"')]) });
    await storage.writer.write({ spans: [node, root], starts: [], logs: [makeLogRow({ traceId: node.traceId, severityNumber: 18, body: 'x\ny' })] });
    const all = await errorRows(storage);
    expect(all.length).toBe(written.length + 3);
    const file = readFileSync(new URL('../../src/storage/schema/migrations/018_error_texts.sql', import.meta.url), 'utf8');
    const backfill = file.slice(file.indexOf('INSERT INTO error_texts'));
    await storage.writer.exclusive(async (c) => {
      await c.run('DELETE FROM error_texts');
      await c.run(backfill);
    });
    expect(await errorRows(storage)).toEqual(all);
  });
});

describe('the text search of the execution list, with error texts', () => {
  let storage: DuckDbStorage;
  /** Newest first: the executions that hold "card declined", and where. */
  const ids = { attribute: '', status: '', payload: '' };
  let plain: string[] = [];

  beforeAll(async () => {
    storage = await openDuckDbStorage({ path: ':memory:' });
    const run = (startMs: number, change: (node: ReturnType<typeof makeSpanRow>) => void = () => undefined, flowName = 'order-flow') => {
      const rows = makeExecutionRows({ nodes: 2, startMs, flowName });
      change(rows[0]);
      return rows;
    };
    const attribute = run(now - 10_000, (n) => (n.attributes = ['note', JSON.stringify('user said: Card declined again')]));
    const status = run(now - 2 * HOUR, (n) => Object.assign(n, { statusCode: 2, statusMessage: 'Card DECLINED by issuer' }));
    const inPayload = run(now - 5 * HOUR, (n) => (n.attributes = ['flow.node.id', '"n0"', 'input', JSON.stringify(payload('card declined'))]), 'refund-flow');
    const others = [now - 60_000, now - HOUR, now - 3 * HOUR, now - 4 * HOUR, now - 6 * HOUR].map((t) => run(t));
    for (const rows of [attribute, status, inPayload, ...others]) await storage.writer.write({ spans: rows, starts: [], logs: [] });
    ids.attribute = attribute[0].traceId;
    ids.status = status[0].traceId;
    ids.payload = inPayload[0].traceId;
    plain = others.map((rows) => rows[0].traceId);
  });
  afterAll(() => storage?.close());

  it('stops a partial page at the newest error texts found, and the next page goes on from there', async () => {
    // The run whose error says it is found without waiting for a scan of older history; the
    // newer run that holds the text in an attribute comes first, the older payload on page 2.
    const first = await storage.executions.list({ text: 'card declined', limit: 10, partial: true });
    expect(first.executions.map((e) => e.traceId)).toEqual([ids.attribute, ids.status]);
    expect(first.hasMore).toBe(true);
    expect(await allPages(storage, { text: 'card declined', partial: true }, 10)).toEqual([[ids.attribute, ids.status], [ids.payload]]);
  });

  it('gives the same executions in the same order whatever the page size, partial or not', async () => {
    const expected = [ids.attribute, ids.status, ids.payload];
    for (const limit of [1, 2, 3, 50]) {
      expect((await allPages(storage, { text: 'CARD declined' }, limit)).flat()).toEqual(expected);
      expect((await allPages(storage, { text: 'CARD declined', partial: true }, limit)).flat()).toEqual(expected);
    }
    // Without partial pages a page is full unless it is the last.
    expect(await allPages(storage, { text: 'card declined' }, 2)).toEqual([[ids.attribute, ids.status], [ids.payload]]);
    expect(await allPages(storage, { text: 'card declined' }, 50)).toEqual([expected]);
  });

  it('keeps to the other filters and the time range', async () => {
    const fromNs = ns(now - 3 * HOUR);
    // A partial page says more may follow until the range is searched to its start: the last page may be empty.
    expect(await allPages(storage, { text: 'card declined', fromNs, partial: true }, 10)).toEqual([[ids.attribute, ids.status], []]);
    expect(await allPages(storage, { text: 'card declined', fromNs }, 10)).toEqual([[ids.attribute, ids.status]]);
    expect(await allPages(storage, { text: 'card declined', flow: ['order-flow'], partial: true }, 10)).toEqual([[ids.attribute, ids.status], []]);
    expect(await allPages(storage, { text: 'card declined', flow: ['refund-flow'], partial: true }, 10)).toEqual([[ids.payload]]);
    expect(await allPages(storage, { text: 'no such words', partial: true }, 10)).toEqual([[]]);
    // The runs without the text are in the database, on both sides of the ones with it.
    expect((await storage.executions.list({ limit: 20 })).executions.map((e) => e.traceId)).toEqual(expect.arrayContaining(plain));
  });

  it('finds an exception message that only a later event of the span holds, quotes and all', async () => {
    const [node, root] = makeExecutionRows({ nodes: 1, startMs: now - 7 * HOUR });
    Object.assign(node, {
      statusCode: 2, exceptionMessage: 'first failure',
      events: JSON.stringify([exception('first failure'), exception('refused: "card" not valid')]),
    });
    await storage.writer.write({ spans: [node, root], starts: [], logs: [] });
    const page = await storage.executions.list({ text: 'REFUSED: "card" not', limit: 10 });
    expect(page.executions.map((e) => e.traceId)).toEqual([node.traceId]);
  });
});

describe('a database written before the error texts', () => {
  it('finds a failed run by the error it stored, through the error texts, after the upgrade', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ft-error-texts-')), 'v16.duckdb');
    const old = { trace: 'a'.repeat(32), span: newSpanId(), plainTrace: 'b'.repeat(32) };
    const t = ns(now - HOUR);
    await createOldDatabase(path, 16, async (c) => {
      await c.run(`INSERT INTO span_data (trace_id, span_id, name, kind, service_name, start_ns, end_ns, status_code, status_message,
          attributes, resource_attributes, events, links, flags, dropped_attributes_count, dropped_events_count, dropped_links_count)
        VALUES ($t, $s, 'charge', 1, 'shop', $b, $e, 2, 'Card declined by issuer', '{}', '{}', '[]', '[]', 0, 0, 0, 0)`,
      { t: old.trace, s: old.span, b: t, e: t + 1000n });
      for (const [trace, start] of [[old.trace, t], [old.plainTrace, t - ns(HOUR)]] as const) {
        await c.run(`INSERT INTO execution_data (trace_id, root_span_id, root_name, root_finished, root_started, root_status_code,
            service_name, start_ns, end_ns, min_start_ns, max_start_ns, span_count, error_count, last_seen_ns)
          VALUES ($t, $s, 'charge', true, true, 2, 'shop', $b, $e, $b, $b, 1, 1, $b)`, { t: trace, s: newSpanId(), b: start, e: start + 1000n });
      }
    });
    const storage = await openDuckDbStorage({ path });
    try {
      expect(await errorRows(storage)).toEqual([`${old.trace}|${old.span}|${t + 1000n}|Card declined by issuer`]);
      const page = await storage.executions.list({ text: 'card declined', limit: 10, partial: true });
      expect(page.executions.map((e) => e.traceId)).toEqual([old.trace]);
      expect(page.hasMore).toBe(true); // found by its error text, before the older run was looked at
      expect(await allPages(storage, { text: 'card declined', partial: true }, 10)).toEqual([[old.trace], []]);
    } finally {
      await storage.close();
    }
  });
});
