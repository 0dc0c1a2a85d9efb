/**
 * Stateless collectors over one ClickHouse: two Storage objects of this process on one chDB
 * database (one engine per process), with one trace's spans, running marks, retries and lines
 * split across them, answer every read as one writer given all of it does; and each announces,
 * through its change feed, what the other stored.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CommitNotice, Storage } from '../../src/storage/contract.js';
import { batchOf, type BatchSpec, type SpanSpec } from '../conformance/batches.js';
import { flowRun, newSpanId, nsOf } from '../conformance/scenarios.js';
import { freshDatabase, openChdbStore, removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());

/** What every read model says about a trace and the whole store, JSON-comparable. */
async function answers(storage: Storage, traceId: string, fromNs: bigint, toNs: bigint) {
  const execution = await storage.executions.get(traceId);
  const json = await storage.traces.getJson(traceId);
  const outline = await storage.traces.outline(traceId);
  const strip = <T extends { lastSeenNs: bigint }>(e: T | undefined) => (e === undefined ? undefined : { ...e, lastSeenNs: 0n });
  const flows = await storage.statistics.flows({ fromNs, toNs });
  return JSON.parse(JSON.stringify({
    execution: strip(execution),
    list: (await storage.executions.list({ limit: 50 })).executions.map((e) => strip(e)),
    spans: json === undefined ? undefined : JSON.parse(`[${json.spansJson}]`),
    logs: json?.logs,
    outline: outline === undefined ? undefined : { ...outline, execution: strip(outline.execution) },
    flows,
    nodes: await storage.statistics.nodes('split', { fromNs, toNs }),
    services: (await storage.catalog.services()),
    matching: execution ? await storage.traces.spanIdsMatching(execution, { text: 'STEP 1' }) : undefined,
  }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

describe('two writers over one chDB database', () => {
  it('answer like one writer when one trace is split across them, retries and running marks included', async () => {
    const run = flowRun({ flow: 'split', startMs: Date.now() - 120_000, nodes: 6, lineText: 'split line' });
    const running: SpanSpec = { ...run.nodes[5], endNs: null };
    const extra: SpanSpec = { ...run.nodes[0], spanId: newSpanId(), parentSpanId: run.nodes[0].spanId, name: 'split child', startNs: run.nodes[0].startNs + nsOf(1) };
    // Writer A: the running mark of node 5, nodes 0–2, half the lines; writer B: the rest, the
    // finished node 5, and a retry of node 1 (and of a line) that A stored already.
    const toA: BatchSpec[] = [{ spans: [running] }, { spans: run.nodes.slice(0, 3), lines: run.lines.slice(0, 3) }];
    const toB: BatchSpec[] = [
      { spans: [run.root, ...run.nodes.slice(3), extra], lines: run.lines.slice(3) },
      { spans: [run.nodes[1]], lines: run.lines.slice(0, 1) },
    ];
    const database = freshDatabase('shared');
    const seenByB: CommitNotice[] = [];
    const a = await openChdbStore({ database, changeFeedPollMs: 0 });
    const b = await openChdbStore({ database, changeFeedPollMs: 0, onCommit: (n) => seenByB.push(n) });
    const one = await openChdbStore();
    try {
      // Interleaved, one after the other, so that B's retry comes after A stored it.
      await a.writer.write(batchOf(toA[0]));
      await b.writer.write(batchOf(toB[0]));
      await a.writer.write(batchOf(toA[1]));
      await b.writer.write(batchOf(toB[1]));
      for (const spec of [...toA, ...toB]) await one.writer.write(batchOf(spec));

      const fromNs = run.startNs - nsOf(60_000);
      const toNs = run.startNs + nsOf(60_000);
      const single = await answers(one, run.traceId, fromNs, toNs);
      expect(single.execution).toMatchObject({ status: 'success', spanCount: 8, rootSpanId: run.rootSpanId });
      expect(single.spans).toHaveLength(8);
      expect(await answers(a, run.traceId, fromNs, toNs)).toEqual(single);
      expect(await answers(b, run.traceId, fromNs, toNs)).toEqual(single);

      // B announces what A stored (its own commits it announced directly).
      await b.changes.pollOnce();
      const announced = new Set(seenByB.flatMap((n) => [...n.spans, ...n.starts].map((s) => s.spanId)));
      for (const s of [...run.spans, extra]) expect(announced.has(s.spanId), s.name).toBe(true);
      expect(seenByB.flatMap((n) => n.logs).map((l) => l.body).sort()).toEqual(run.lines.map((l) => l.body).sort());
    } finally {
      await a.close();
      await b.close();
      await one.close();
    }
  });
});
