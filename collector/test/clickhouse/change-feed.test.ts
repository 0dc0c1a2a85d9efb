/**
 * The change feed across collectors on chDB: a commit's feed row names what it stored (trace ids,
 * span ids, line identities), never the spans — their names, attributes or payloads — and another
 * collector announces it with the spans and lines read from the tables, each once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CommitNotice } from '../../src/storage/contract.js';
import { openConnection } from '../../src/storage/clickhouse/connection.js';
import { batchOf } from '../conformance/batches.js';
import { flowRun } from '../conformance/scenarios.js';
import { freshDatabase, openChdbStore, removeChdbDir } from './chdb-store.js';

afterAll(() => removeChdbDir());

describe('the change feed', () => {
  it('stores ids in its rows, not the spans, and another collector announces the spans, lines and execution once', async () => {
    const database = freshDatabase('feed');
    const payload = 'PAYLOAD-'.repeat(200);
    const run = flowRun({
      flow: 'feed-size', startMs: Date.now() - 60_000, nodes: 3, lineText: 'a feed line',
      nodeAttributes: [{ 'order.input': payload }, { 'order.id': 'feed-order-1' }],
    });
    const seenByB: CommitNotice[] = [];
    const a = await openChdbStore({ database, changeFeedPollMs: 0 });
    const b = await openChdbStore({ database, changeFeedPollMs: 0, onCommit: (n) => seenByB.push(n) });
    try {
      await a.writer.write(batchOf({ spans: run.spans, lines: run.lines }));
      const conn = await openConnection(a.target);
      const [row] = await conn.query(
        `SELECT count() AS n, countIf(position(toString(tuple(*)), 'feed-size') > 0 OR position(toString(tuple(*)), 'PAYLOAD-') > 0
           OR position(toString(tuple(*)), 'feed-order-1') > 0 OR position(toString(tuple(*)), 'a feed line') > 0) AS with_content
         FROM \`${database}\`.change_feed`,
      );
      await conn.close();
      expect(Number(row.n)).toBe(1);
      expect(Number(row.with_content)).toBe(0);

      expect(await b.changes.pollOnce()).toBe(1);
      expect(await b.changes.pollOnce()).toBe(0);
      expect(await a.changes.pollOnce()).toBe(0); // its own commit, announced when it was made
      expect(seenByB).toHaveLength(1);
      const [notice] = seenByB;
      expect(notice.spans.map((s) => s.spanId).sort()).toEqual(run.spans.map((s) => s.spanId).sort());
      expect(notice.spans.find((s) => s.spanId === run.rootSpanId)).toMatchObject({ name: 'feed-size', endTimeUnixNano: run.root.endNs });
      expect(notice.logs.map((l) => l.body).sort()).toEqual(run.lines.map((l) => l.body).sort());
      expect(notice.logCount).toBe(run.lines.length);
      expect(notice.executions).toEqual([expect.objectContaining({ traceId: run.traceId, created: true, rootFinishedNow: true, spanCount: run.spans.length })]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('announces a running mark of another collector as running, even once its span has finished', async () => {
    const database = freshDatabase('feedrun');
    const run = flowRun({ flow: 'feed-running', startMs: Date.now() - 60_000, nodes: 1 });
    const seenByB: CommitNotice[] = [];
    const a = await openChdbStore({ database, changeFeedPollMs: 0 });
    const b = await openChdbStore({ database, changeFeedPollMs: 0, onCommit: (n) => seenByB.push(n) });
    try {
      await a.writer.write(batchOf({ spans: [{ ...run.root, endNs: null }] }));
      await a.writer.write(batchOf({ spans: run.spans }));
      expect(await b.changes.pollOnce()).toBe(2);
      expect(seenByB[0].starts).toEqual([expect.objectContaining({ spanId: run.rootSpanId, endTimeUnixNano: null })]);
      expect(seenByB[0].executions).toEqual([expect.objectContaining({ created: true, rootStartedNow: true, rootFinishedNow: false })]);
      expect(seenByB[1].spans.map((s) => s.spanId).sort()).toEqual(run.spans.map((s) => s.spanId).sort());
      expect(seenByB[1].executions).toEqual([expect.objectContaining({ created: false, rootFinishedNow: true, status: 'success' })]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
