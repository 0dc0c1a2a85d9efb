/**
 * The SQL console: read-only, no file, URL or remote access, caps in rows — in the engine's own
 * dialect. Reads go to the views every engine names alike (spans, executions, logs); the
 * statements that must be refused are written per dialect, for what each engine could do if it
 * were let.
 */
import { describe, expect, it } from 'vitest';
import type { StorageEngine } from '../../src/storage/contract.js';
import { EXECUTION_STATUSES, NODE_STATUSES } from '@flowtrace/instrumentation/conventions';
import type { SpanSpec } from './batches.js';
import { expectCode, pastWallClock, sqlNumber, withStore, write, type OpenStore } from './harness.js';
import { flowRun, newSpanId, nsOf, type FinishedStatus } from './scenarios.js';

/** Statements each dialect would run if the console let it: a table made, a view dropped, a file and a URL read. */
const REFUSED: Record<StorageEngine, { create: string; drop: string; file: string; url: string }> = {
  duckdb: {
    create: 'CREATE TABLE conformance_evil AS SELECT 1 AS x',
    drop: 'DROP VIEW spans',
    file: "SELECT * FROM read_csv('/etc/passwd')",
    url: "SELECT * FROM read_csv('http://127.0.0.1:9/conformance.csv')",
  },
  clickhouse: {
    create: 'CREATE TABLE conformance_evil (x UInt8) ENGINE = Memory',
    drop: 'DROP VIEW spans',
    file: "SELECT * FROM file('/etc/passwd', 'LineAsString')",
    url: "SELECT * FROM url('http://127.0.0.1:9/conformance.csv', 'LineAsString')",
  },
};

export function sqlCases(open: OpenStore): void {
  describe('SQL console', () => {
    it("answers a read over the console's views in the engine's dialect", () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'sql-read', startMs: Date.now() - 60_000, nodes: 3, lineText: 'sql line' });
      await write(storage, { spans: run.spans, lines: run.lines });
      expect(storage.sql.dialect).toBe(storage.engine);
      const result = await storage.sql.run('SELECT count(*) AS n FROM spans');
      expect(result.columns.map((c) => c.name)).toEqual(['n']);
      expect(Number(result.rows[0][0])).toBe(run.spans.length);
      expect(result.truncated).toBe(false);
      expect(await sqlNumber(storage, 'SELECT count(*) AS n FROM executions')).toBe(1);
      expect(await sqlNumber(storage, 'SELECT count(*) AS n FROM logs')).toBe(run.lines.length);
    }));

    it('refuses statements that write, and the data stays as it was', () => withStore(open, undefined, async (storage) => {
      const run = flowRun({ flow: 'sql-write', startMs: Date.now() - 60_000 });
      await write(storage, { spans: run.spans });
      const refused = REFUSED[storage.sql.dialect];
      await expectCode(storage.sql.run(refused.create), 'FT_SQL_REFUSED');
      await expectCode(storage.sql.run(refused.drop), 'FT_SQL_REFUSED');
      expect(await sqlNumber(storage, 'SELECT count(*) AS n FROM spans')).toBe(run.spans.length);
      await expectCode(storage.sql.run('SELECT count(*) AS n FROM conformance_evil'), /^FT_SQL_/);
    }));

    it('refuses reading a file', () => withStore(open, undefined, async (storage) => {
      await expectCode(storage.sql.run(REFUSED[storage.sql.dialect].file), 'FT_SQL_REFUSED');
    }));

    it('refuses reading a URL', () => withStore(open, undefined, async (storage) => {
      await expectCode(storage.sql.run(REFUSED[storage.sql.dialect].url), 'FT_SQL_REFUSED');
    }));

    it('cuts an answer at the row cap and says that it did', () => withStore(open, { sqlMaxRows: 5 }, async (storage) => {
      const run = flowRun({ flow: 'sql-cap', startMs: Date.now() - 60_000, nodes: 7 });
      await write(storage, { spans: run.spans });
      const cut = await storage.sql.run('SELECT span_id FROM spans');
      expect(cut.rows).toHaveLength(5);
      expect(cut.truncated).toBe(true);
      const whole = await storage.sql.run(`SELECT span_id FROM spans WHERE span_id IN ('${run.nodes[0].spanId}', '${run.nodes[1].spanId}')`);
      expect(whole.rows.map((r) => String(r[0])).sort()).toEqual([run.nodes[0].spanId, run.nodes[1].spanId].sort());
      expect(whole.truncated).toBe(false);
    }));

    it('gives spans and executions the same status in the console as in the reads', () => withStore(open, { abandonAfterMs: 50 }, async (storage) => {
      const finished: FinishedStatus[] = ['success', 'error', 'cancelled', 'timed_out'];
      const runs = [...finished.map((status) => flowRun({ flow: `sql-${status}`, status, startMs: Date.now() - 60_000 })),
        flowRun({ flow: 'sql-silent', status: 'running', startMs: Date.now() - 60_000 }),
        // A root whose flow status the conventions do not know: the status still comes from the list.
        flowRun({ flow: 'sql-unknown', status: 'error', startMs: Date.now() - 60_000, rootAttributes: { 'flow.execution.status': 'paused' } })];
      const root = runs[0];
      // Every node status the conventions list that a span carries, and one they do not know (the OTel status decides then).
      const carried = [...NODE_STATUSES, 'paused'];
      const nodes: SpanSpec[] = carried.map((status, i) => ({
        traceId: root.traceId, spanId: newSpanId(), parentSpanId: root.rootSpanId, name: `carries ${status}`, service: root.service,
        startNs: root.startNs + nsOf(1 + i), endNs: root.startNs + nsOf(2 + i), statusCode: 2, attributes: { 'flow.node.status': status },
      }));
      await write(storage, { spans: [...runs.flatMap((r) => r.spans), ...nodes] });
      await pastWallClock(Date.now(), 60);
      for (const run of runs) {
        const execution = (await storage.executions.get(run.traceId))!;
        const console = await storage.sql.run(`SELECT status FROM executions WHERE trace_id = '${run.traceId}'`);
        expect(console.rows.map((r) => r[0]), `execution ${run.flow}`).toEqual([execution.status]);
        expect(EXECUTION_STATUSES, `execution ${run.flow}`).toContain(execution.status);
        const json = JSON.parse(`[${(await storage.traces.jsonOf(execution)).spansJson}]`) as Array<{ spanId: string; status: string }>;
        const rows = (await storage.sql.run(`SELECT span_id, status FROM spans WHERE trace_id = '${run.traceId}'`)).rows;
        expect(new Map(rows.map((r) => [String(r[0]), String(r[1])])), `spans of ${run.flow}`).toEqual(new Map(json.map((s) => [s.spanId, s.status])));
        for (const span of json) expect(NODE_STATUSES, `span ${span.spanId} of ${run.flow}`).toContain(span.status);
      }
    }));

    it('answers a statement it cannot parse with FT_SQL_ERROR', () => withStore(open, undefined, async (storage) => {
      await expectCode(storage.sql.run('SELEC count(*) FROM spans'), 'FT_SQL_ERROR');
    }));
  });
}
