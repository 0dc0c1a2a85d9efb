/**
 * Schema 013 over a database an older flowtrace wrote: traces that had no root (shown running,
 * then abandoned) are rooted at their earliest span whose parent is not in the trace, and a root
 * that had a remote parent gets it as root_parent_span_id.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStorage } from '../../src/storage/index.js';
import { historyFiles } from '../fixtures/old-schema.js';
import { newSpanId, newTraceId } from '../fixtures/rows.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-remote-parents-'));
const schemaDir = new URL('../fixtures/schema-history/', import.meta.url);
const before = historyFiles().slice(0, historyFiles().indexOf('013_remote_parents.sql'));

interface OldSpan { traceId: string; spanId: string; parent: string | null; name: string; start: bigint; end: bigint; status?: number }

const t = BigInt(Date.now()) * 1_000_000n;
const orphanTrace = newTraceId();
const remoteTrace = newTraceId();
const gateway = newSpanId();
const [early, late, handler] = [newSpanId(), newSpanId(), newSpanId()];
const spans: OldSpan[] = [
  { traceId: orphanTrace, spanId: late, parent: newSpanId(), name: 'late', start: t + 50n, end: t + 60n },
  { traceId: orphanTrace, spanId: early, parent: newSpanId(), name: 'GET /early', start: t + 10n, end: t + 90n, status: 2 },
  { traceId: remoteTrace, spanId: handler, parent: gateway, name: 'POST /x', start: t, end: t + 5n },
];


it('roots older rootless traces and records remote parents when it upgrades a database', async () => {
  const path = join(dir, 'old.duckdb');
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  for (const file of before) await c.run(readFileSync(new URL(file, schemaDir), 'utf8'));
  await c.run(`INSERT INTO flowtrace_meta VALUES ('schema_version', '${before.length}')`);
  for (const s of spans) {
    await c.run(`INSERT INTO span_data (trace_id, span_id, parent_span_id, name, kind, service_name, start_ns, end_ns, status_code,
        attributes, resource_attributes, events, links, flags, dropped_attributes_count, dropped_events_count, dropped_links_count)
      VALUES ($t, $s, $p, $n, 2, 'old-svc', $b, $e, $c, '{}', '{}', '[]', '[]', 0, 0, 0, 0)`,
    { t: s.traceId, s: s.spanId, p: s.parent, n: s.name, b: s.start, e: s.end, c: s.status ?? 0 });
  }
  // As the older writer left them: the orphans' trace without a root, the handler as root (it carried flow.execution.kind).
  await c.run(`INSERT INTO execution_data (trace_id, root_span_id, root_name, root_finished, root_started, service_name, start_ns, end_ns,
      min_start_ns, max_start_ns, span_count, error_count, last_seen_ns)
    VALUES ($o, NULL, 'GET /early', false, false, 'old-svc', $t10, $t90, $t10, $t50, 2, 1, $t),
           ($r, $h, 'POST /x', true, true, 'old-svc', $t, $t5, $t, $t, 1, 0, $t)`,
  { o: orphanTrace, r: remoteTrace, h: handler, t, t5: t + 5n, t10: t + 10n, t50: t + 50n, t90: t + 90n });
  c.closeSync();
  instance.closeSync();

  const storage = await openStorage({ path });
  try {
    expect(await storage.executions.get(orphanTrace)).toMatchObject({
      rootSpanId: early, rootName: 'GET /early', rootFinished: true, status: 'error', startNs: t + 10n, endNs: t + 90n,
      rootParentSpanId: spans[1].parent,
    });
    expect(await storage.executions.get(remoteTrace)).toMatchObject({ rootSpanId: handler, rootParentSpanId: gateway, status: 'success' });
  } finally {
    await storage.close();
  }
});
