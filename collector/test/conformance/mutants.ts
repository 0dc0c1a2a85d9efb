/**
 * Stores broken on purpose, one promise at a time: the suite run against each must fail, and
 * the cases that fail show which case guards that promise. A mutant whose run passes names a
 * promise no case checks. Engine-neutral: each wraps whatever store the engine's factory opens.
 * Run with mutants-check.mjs (not part of the normal test run: it is the suite 24 times).
 */
import type { CommitNotice, IngestBatch, Storage } from '../../src/storage/contract.js';
import type { ConformanceOptions, OpenStore } from './harness.js';

/** `target` with some members replaced; the others still called on the target (class instances keep their prototype). */
function over<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(t, key) {
      if (key in replaced) return (replaced as Record<PropertyKey, unknown>)[key];
      const v = (t as Record<PropertyKey, unknown>)[key];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

const keyOf = (s: { traceId: string; spanId: string }): string => s.traceId + s.spanId;
const withWrite = (s: Storage, write: Storage['writer']['write']): Storage => over(s, { writer: over(s.writer, { write }) });
const withExecutions = (s: Storage, r: Partial<Storage['executions']>): Storage => over(s, { executions: over(s.executions, r) });
const withTraces = (s: Storage, r: Partial<Storage['traces']>): Storage => over(s, { traces: over(s.traces, r) });
const withSql = (s: Storage, run: Storage['sql']['run']): Storage => over(s, { sql: over(s.sql, { run }) });

/** Writes that give a span another id when a retry carries another start (an engine keying spans by start time). */
function keyedByStart(s: Storage): Storage {
  const seen = new Map<string, bigint>();
  const rekey = (rows: IngestBatch['spans']) => rows.map((r) => {
    const first = seen.get(keyOf(r));
    if (first === undefined) seen.set(keyOf(r), r.startTimeUnixNano);
    return first === undefined || first === r.startTimeUnixNano ? r : { ...r, spanId: Math.random().toString(16).slice(2, 10).padEnd(16, '0') };
  });
  return withWrite(s, (b) => s.writer.write({ ...b, spans: rekey(b.spans), starts: rekey(b.starts) }));
}

/** Writes grouped per tick whose group fails whole when one batch fails (a group commit that does not split). */
function groupFailsWhole(s: Storage): Storage {
  let group: Array<{ b: IngestBatch; resolve: () => void; reject: (e: unknown) => void }> = [];
  const flush = async () => {
    const g = group;
    group = [];
    const results = await Promise.allSettled(g.map((p) => s.writer.write(p.b)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const p of g) if (failed) p.reject(failed.reason); else p.resolve();
  };
  return withWrite(s, (b) => new Promise<void>((resolve, reject) => {
    if (group.length === 0) setTimeout(() => void flush(), 0);
    group.push({ b, resolve, reject });
  }));
}

/** Each mutant: a store broken one way, from the engine's own. */
export const MUTANTS: Record<string, (s: Storage) => Storage> = {
  'write resolves before it is stored': (s) => withWrite(s, (b) => {
    void s.writer.write(b).catch(() => undefined);
    return Promise.resolve();
  }),
  'a span is keyed by its start time too': keyedByStart,
  'a bad record fails every batch committed with it': groupFailsWhole,
  'not found throws': (s) => withExecutions(s, { get: async (id) => (await s.executions.get(id)) ?? Promise.reject(new Error('not found')) }),
  'list ignores the user filter': (s) => withExecutions(s, { list: (f, signal) => s.executions.list({ ...f, user: undefined }, signal) }),
  'list time range is exclusive': (s) => withExecutions(s, {
    list: (f, signal) => s.executions.list({ ...f, fromNs: f.fromNs === undefined ? undefined : f.fromNs + 1n, toNs: f.toNs === undefined ? undefined : f.toNs - 1n }, signal),
  }),
  'cursor skips ties': (s) => withExecutions(s, {
    list: async (f, signal) => {
      const page = await s.executions.list(f, signal);
      return f.cursor ? { ...page, executions: page.executions.filter((e) => e.startNs !== f.cursor!.startNs) } : page;
    },
  }),
  'list searches everywhere when asked for errors only': (s) => withExecutions(s, { list: (f, signal) => s.executions.list({ ...f, textScope: undefined }, signal) }),
  'list oldest first': (s) => withExecutions(s, { list: async (f, signal) => { const p = await s.executions.list(f, signal); return { ...p, executions: [...p.executions].reverse() }; } }),
  'list ignores the signal': (s) => withExecutions(s, { list: (f) => s.executions.list(f) }),
  'abandoned shown as running': (s) => withExecutions(s, { get: async (id) => { const e = await s.executions.get(id); return e?.status === 'abandoned' ? { ...e, status: 'running' } : e; } }),
  'remote parent forgotten': (s) => withExecutions(s, { get: async (id) => { const e = await s.executions.get(id); return e && { ...e, rootParentSpanId: null }; } }),
  'trace JSON drops running spans': (s) => withTraces(s, {
    getJson: async (id) => {
      const j = await s.traces.getJson(id);
      if (!j) return j;
      const spans = (JSON.parse(`[${j.spansJson}]`) as Array<{ endTimeUnixNano: unknown }>).filter((x) => x.endTimeUnixNano !== null);
      return { ...j, spansJson: spans.map((x) => JSON.stringify(x)).join(','), spanCount: spans.length };
    },
  }),
  'skipped node shown as success in one span': (s) => withTraces(s, {
    span: async (e, id) => { const j = await s.traces.span(e, id); return j && { ...j, spanJson: j.spanJson.replace('"status":"skipped"', '"status":"success"') }; },
  }),
  'span match is case-sensitive': (s) => withTraces(s, {
    spanIdsMatching: async (e, m, signal) => (m.text !== undefined && m.text !== m.text.toLowerCase() ? [] : s.traces.spanIdsMatching(e, m, signal)),
  }),
  'statistics range is exclusive': (s) => over(s, { statistics: over(s.statistics, { flow: (f, r) => s.statistics.flow(f, { fromNs: r.fromNs + 1n, toNs: r.toNs - 1n }) }) }),
  'per-flow averages count running runs as zero': (s) => over(s, {
    statistics: over(s.statistics, { flows: async (r) => (await s.statistics.flows(r)).map((row) => ({ ...row, avgMs: row.avgMs === null ? null : (row.avgMs * row.finishedCount) / row.count })) }),
  }),
  'deletion stops after the first trace': (s) => over(s, { deleteExecutions: (ids) => s.deleteExecutions(ids.slice(0, 1)) }),
  'retention reports no orphan lines': (s) => over(s, { retention: over(s.retention, { runOnce: async () => ({ ...(await s.retention.runOnce()), deletedOrphanLogs: 0 }) }) }),
  'sql reads files': (s) => withSql(s, (q) => (q.includes('/etc/passwd') ? Promise.resolve({ columns: [], rows: [], truncated: false, elapsedMs: 0 }) : s.sql.run(q))),
  'sql never says truncated': (s) => withSql(s, async (q) => ({ ...(await s.sql.run(q)), truncated: false })),
  'services miscount their spans': (s) => over(s, { catalog: over(s.catalog, { services: async () => (await s.catalog.services()).map((x) => ({ ...x, spanCount: x.spanCount + 1 })) }) }),
};

/** Mutants of the factory: what the engine is opened with, or what it announces. */
export const FACTORY_MUTANTS: Record<string, (open: OpenStore) => OpenStore> = {
  'reopen opens an empty store': (open) => (o = {}) => open(o.reopen ? { ...o, reopen: undefined } : o),
  'every commit announced twice': (open) => (o = {}) => open(o.onCommit ? { ...o, onCommit: (n) => { o.onCommit!(n); o.onCommit!(n); } } : o),
  'a retry announced again': (open) => async (o: ConformanceOptions = {}) => {
    const seen = new Set<string>();
    const s = await open(o);
    return withWrite(s, async (b) => {
      await s.writer.write(b);
      const repeat = b.spans.length > 0 && b.spans.every((x) => seen.has(keyOf(x)));
      for (const x of b.spans) seen.add(keyOf(x));
      const notice: CommitNotice = { spans: b.spans as CommitNotice['spans'], starts: [], logs: [], logCount: 0, executions: [] };
      if (repeat) o.onCommit?.(notice);
    });
  },
};

/** Every mutant of an engine's factory, by name. */
export function mutantFactories(open: OpenStore): Record<string, OpenStore> {
  const out: Record<string, OpenStore> = {};
  for (const [name, mutate] of Object.entries(MUTANTS)) out[name] = async (o) => mutate(await open(o));
  for (const [name, mutate] of Object.entries(FACTORY_MUTANTS)) out[name] = mutate(open);
  return out;
}
