/**
 * Where a flow's time goes per node, computed in JavaScript from the finished spans of its
 * finished runs: the same definitions as DuckDB's SQL (statistics/flow-time-sql.ts). Self time
 * is a span's duration minus the union of its children's intervals clipped to it; the critical
 * path is Jaeger's and Tempo's: from the root's end, descend into the child that finished last
 * before the time reached; a span with no such child holds the path from its start and hands back
 * to its parent. A pure function of the rows (ids as text, times as decimal ns strings).
 */
import type { FlowTimeRecord } from '../contract.js';
import type { Row } from './connection.js';

interface Iv {
  spanId: string;
  parent: string | null;
  nodeId: string | null;
  nodeName: string | null;
  start: bigint;
  end: bigint;
  cs: bigint;
  ce: bigint;
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** The clipped intervals of one trace's spans, by span id, and each parent's children. */
function intervals(spans: Row[]): { byId: Map<string, Iv>; children: Map<string, Iv[]> } {
  const raw = new Map(spans.map((r) => [String(r.span_id), r]));
  const byId = new Map<string, Iv>();
  for (const [spanId, r] of raw) {
    const start = BigInt(r.start_ns as string);
    const end = BigInt(r.end_ns as string);
    const parentId = r.parent_span_id === '' ? null : String(r.parent_span_id);
    const p = parentId !== null && parentId !== spanId ? raw.get(parentId) : undefined;
    let cs = start;
    let ce = end;
    if (p) {
      cs = max(start, BigInt(p.start_ns as string));
      ce = max(cs, min(end, BigInt(p.end_ns as string)));
    }
    byId.set(spanId, { spanId, parent: p ? parentId : null, nodeId: (r.node_id as string | null) ?? null, nodeName: (r.node_name as string | null) ?? null, start, end, cs, ce });
  }
  const children = new Map<string, Iv[]>();
  for (const iv of byId.values()) {
    if (iv.parent === null) continue;
    const list = children.get(iv.parent) ?? [];
    list.push(iv);
    children.set(iv.parent, list);
  }
  return { byId, children };
}

/** How much of a parent its children's clipped intervals cover (their union). */
function covered(children: Iv[] | undefined): bigint {
  if (!children) return 0n;
  const sorted = [...children].sort((a, b) => (a.cs < b.cs ? -1 : a.cs > b.cs ? 1 : a.ce < b.ce ? -1 : a.ce > b.ce ? 1 : 0));
  let reach: bigint | null = null;
  let sum = 0n;
  for (const c of sorted) {
    sum += max(0n, c.ce - max(c.cs, reach ?? c.cs));
    reach = reach === null ? c.ce : max(reach, c.ce);
  }
  return sum;
}

/** Critical-path nanoseconds per span of one trace, walking down from the root. */
function critical(rootId: string, byId: Map<string, Iv>, children: Map<string, Iv[]>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const root = byId.get(rootId);
  if (!root) return out;
  let span: Iv | undefined = root;
  let t = root.ce;
  for (let steps = 0; span && steps < 4 * byId.size + 4; steps++) {
    let next: Iv | undefined;
    for (const k of children.get(span.spanId) ?? []) {
      if (k.ce <= t && k.cs < t && (!next || k.ce > next.ce || (k.ce === next.ce && k.cs > next.cs))) next = k;
    }
    const until = next ? next.ce : span.cs;
    out.set(span.spanId, (out.get(span.spanId) ?? 0n) + (t - until));
    t = until;
    span = next ?? (span === root || span.parent === null ? undefined : byId.get(span.parent));
  }
  return out;
}

/** Runs: trace_id, root_span_id, start_ns, end_ns; spans: the finished spans of those traces. */
export function flowTimeOf(runs: Row[], spans: Row[]): FlowTimeRecord {
  const byTrace = new Map<string, Row[]>();
  for (const s of spans) {
    const list = byTrace.get(String(s.trace_id)) ?? [];
    list.push(s);
    byTrace.set(String(s.trace_id), list);
  }
  const nodes = new Map<string, { nodeName: string | null; nameAt: bigint; count: number; total: bigint; self: bigint; critical: bigint }>();
  let runNs = 0n;
  for (const run of runs) {
    runNs += BigInt(run.end_ns as string) - BigInt(run.start_ns as string);
    const { byId, children } = intervals(byTrace.get(String(run.trace_id)) ?? []);
    const path = critical(String(run.root_span_id), byId, children);
    for (const iv of byId.values()) {
      if (iv.nodeId === null) continue;
      const n = nodes.get(iv.nodeId) ?? { nodeName: null, nameAt: -1n, count: 0, total: 0n, self: 0n, critical: 0n };
      if (iv.start >= n.nameAt) {
        n.nodeName = iv.nodeName;
        n.nameAt = iv.start;
      }
      n.count += 1;
      n.total += iv.end - iv.start;
      n.self += max(0n, iv.end - iv.start - covered(children.get(iv.spanId)));
      n.critical += path.get(iv.spanId) ?? 0n;
      nodes.set(iv.nodeId, n);
    }
  }
  const ms = (ns: bigint): number => Number(ns) / 1e6;
  return {
    runs: runs.length,
    runMs: ms(runNs),
    nodes: [...nodes.entries()]
      .map(([nodeId, n]) => ({ nodeId, nodeName: n.nodeName, count: n.count, totalMs: ms(n.total), selfMs: ms(n.self), criticalMs: ms(n.critical) }))
      .sort((a, b) => b.criticalMs - a.criticalMs || b.selfMs - a.selfMs || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0)),
  };
}
