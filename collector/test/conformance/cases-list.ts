/**
 * The execution list: every filter (flow, service, status, user, trigger, time range, duration
 * range, attribute key = value, text), filters combined, and cursor pagination newest first
 * (and longest first). Expected pages come from the corpus's oracle (list-corpus.ts).
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { ExecutionFilter, ExecutionRecord, Storage } from '../../src/storage/contract.js';
import { sorted, write, type OpenStore } from './harness.js';
import { durationMsOf, listCorpus, MARKS, matching, type Corpus } from './list-corpus.js';
import type { Run } from './scenarios.js';

const ids = (runs: Run[]): string[] => sorted(runs.map((r) => r.traceId));

/** Asserts that a list gives exactly these runs, newest first. */
function expectNewestFirst(executions: ExecutionRecord[], runs: Run[]): void {
  expect(sorted(executions.map((e) => e.traceId))).toEqual(ids(runs));
  for (let i = 1; i < executions.length; i++) expect(executions[i].startNs <= executions[i - 1].startNs).toBe(true);
}

/** Every page of a filter, following the cursors; fails past `maxPages`. */
async function allPages(storage: Storage, filter: ExecutionFilter, maxPages = 20): Promise<{ pages: ExecutionRecord[][]; all: ExecutionRecord[] }> {
  const pages: ExecutionRecord[][] = [];
  let cursor: ExecutionFilter['cursor'];
  for (let n = 0; n < maxPages; n++) {
    const page = await storage.executions.list({ ...filter, cursor });
    pages.push(page.executions);
    expect(page.executions.length).toBeLessThanOrEqual(filter.limit);
    if (!page.hasMore) return { pages, all: pages.flat() };
    expect(page.executions).toHaveLength(filter.limit);
    const last = page.executions[page.executions.length - 1];
    cursor = filter.sort === 'duration'
      ? { startNs: last.startNs, traceId: last.traceId, durationNs: (last.endNs ?? last.startNs) - last.startNs }
      : { startNs: last.startNs, traceId: last.traceId };
  }
  throw new Error(`more than ${maxPages} pages`);
}

export function listCases(open: OpenStore): void {
  describe('execution list', () => {
    // One store for the read-only list cases: they share the corpus and change nothing.
    let storage: Storage;
    let corpus: Corpus;
    const list = async (filter: Omit<ExecutionFilter, 'limit'>): Promise<ExecutionRecord[]> => {
      const page = await storage.executions.list({ limit: 100, ...filter });
      expect(page.hasMore).toBe(false);
      return page.executions;
    };
    beforeAll(async () => {
      storage = await open();
      corpus = listCorpus(Date.now());
      await write(storage, { spans: corpus.spans, lines: corpus.lines });
    });
    afterAll(() => storage?.close());

    it('lists every execution newest first', async () => {
      expectNewestFirst(await list({}), corpus.runs);
    });

    it('filters by flow, service, user and trigger, one value or several', async () => {
      for (const filter of [
        { flow: ['refund'] }, { flow: ['refund', 'report'] }, { service: ['shop'] }, { user: ['bob'] },
        { user: ['alice', 'carol'] }, { trigger: ['cron'] }, { trigger: ['queue', 'cron'] },
      ] satisfies Array<Omit<ExecutionFilter, 'limit'>>) {
        const expected = matching(corpus.runs, { ...filter, limit: 100 });
        expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
        expectNewestFirst(await list(filter), expected);
      }
    });

    it('filters by status, one or several', async () => {
      for (const status of [['success'], ['error'], ['cancelled'], ['timed_out'], ['running'], ['error', 'timed_out']]) {
        const expected = matching(corpus.runs, { status, limit: 100 });
        expect(expected.length, status.join()).toBeGreaterThan(0);
        expectNewestFirst(await list({ status }), expected);
      }
    });

    it('filters by a start time range that includes both bounds', async () => {
      const [, second, , , fifth] = [...corpus.runs].sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
      const range = { fromNs: second.startNs, toNs: fifth.startNs };
      const expected = matching(corpus.runs, { ...range, limit: 100 });
      expect(expected.map((r) => r.traceId)).toEqual(expect.arrayContaining([second.traceId, fifth.traceId]));
      expectNewestFirst(await list(range), expected);
      expectNewestFirst(await list({ fromNs: fifth.startNs + 1n }), matching(corpus.runs, { fromNs: fifth.startNs + 1n, limit: 100 }));
      expectNewestFirst(await list({ toNs: second.startNs - 1n }), matching(corpus.runs, { toNs: second.startNs - 1n, limit: 100 }));
    });

    it('filters finished executions by a duration range that includes both bounds', async () => {
      const finished = corpus.runs.filter((r) => r.endNs !== null);
      const finishedIds = new Set(finished.map((r) => r.traceId));
      for (const range of [{ minDurationMs: 300 }, { maxDurationMs: 200 }, { minDurationMs: 120, maxDurationMs: 1_000 }]) {
        const expected = matching(finished, { ...range, limit: 100 });
        expect(expected.some((r) => durationMsOf(r) === (range.minDurationMs ?? range.maxDurationMs))).toBe(true);
        const got = (await list(range)).filter((e) => finishedIds.has(e.traceId));
        expectNewestFirst(got, expected);
      }
    });

    it('filters by attribute key = value on any span, resource attributes and numbers included', async () => {
      const staging = corpus.runs.filter((r) => r.root.resource?.['deployment.environment.name'] === MARKS.environment);
      expect(staging.length).toBe(2);
      expectNewestFirst(await list({ attributes: [{ key: 'order.id', value: MARKS.orderId }] }), [corpus.withOrderId]);
      expectNewestFirst(await list({ attributes: [{ key: 'deployment.environment.name', value: MARKS.environment }] }), staging);
      expectNewestFirst(await list({ attributes: [{ key: 'retry.count', value: String(MARKS.retries) }] }), [corpus.withRetries]);
      expectNewestFirst(await list({
        attributes: [{ key: 'order.id', value: MARKS.orderId }, { key: 'deployment.environment.name', value: MARKS.environment }],
      }), [corpus.withOrderId]);
      expectNewestFirst(await list({ attributes: [{ key: 'order.id', value: 'A-18' }] }), []);
    });

    it('finds text case-insensitively in console lines, attribute values, names and status messages, and by trace id', async () => {
      expectNewestFirst(await list({ text: MARKS.lineText.toUpperCase() }), [corpus.withLine]);
      expectNewestFirst(await list({ text: MARKS.attributeText.toLowerCase() }), [corpus.withAttributeText]);
      expectNewestFirst(await list({ text: 'REPORT STEP' }), corpus.runs.filter((r) => r.flow === 'report'));
      expectNewestFirst(await list({ text: 'flow failed' }), corpus.runs.filter((r) => r.status === 'error'));
      const target = corpus.runs[2];
      expectNewestFirst(await list({ text: target.traceId }), [target]);
      expectNewestFirst(await list({ text: 'appears nowhere at all' }), []);
    });

    it('combines filters: every one must hold', async () => {
      const filter = { flow: ['checkout', 'refund'], user: ['bob'], status: ['error'] };
      const expected = matching(corpus.runs, { ...filter, limit: 100 });
      expect(expected.length).toBe(2);
      expectNewestFirst(await list(filter), expected);
      expectNewestFirst(await list({ ...filter, text: MARKS.orderId }), [corpus.withOrderId]);
    });

    it('pages newest first by cursor, each execution once, ties on the start included', async () => {
      const { pages, all } = await allPages(storage, { limit: 4 });
      expect(pages.length).toBe(Math.ceil(corpus.runs.length / 4));
      expect(new Set(all.map((e) => e.traceId)).size).toBe(all.length);
      expectNewestFirst(all, corpus.runs);
      const filtered = await allPages(storage, { limit: 2, service: ['shop'] });
      expectNewestFirst(filtered.all, matching(corpus.runs, { service: ['shop'], limit: 100 }));
      for (const limit of [1, 5, 12]) expectNewestFirst((await allPages(storage, { limit })).all, corpus.runs);
    });

    it('pages longest first when sorted by duration', async () => {
      const status = ['success', 'error', 'cancelled', 'timed_out'];
      const { all } = await allPages(storage, { limit: 3, sort: 'duration', status });
      const expected = matching(corpus.runs, { status, limit: 100 });
      expect(sorted(all.map((e) => e.traceId))).toEqual(ids(expected));
      const durations = all.map((e) => (e.endNs ?? e.startNs) - e.startNs);
      for (let i = 1; i < durations.length; i++) expect(durations[i] <= durations[i - 1]).toBe(true);
    });
  });
}
