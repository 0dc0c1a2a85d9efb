/**
 * The "why" routes: the critical path and the time statistics of one execution, two
 * executions compared, and where a flow's time goes over a range. The first three compute
 * from storage's trace outline (the read that opens 100,000 spans) with the pure modules
 * beside this one; a compared pair's payloads come from the span read; the flow's figures
 * are SQL in storage (statistics/flow-time-sql.ts).
 */
import * as routes from '../api/routes/statistics.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import type { CompareSide, CriticalPath, ExecutionComparison, FlowTime, TraceStats } from '../api/why-wire-types.js';
import type { Span } from '../api/wire-types.js';
import { errors } from '../errors.js';
import type { ExecutionRecord, Storage } from '../storage/index.js';
import { matchSpans } from './compare.js';
import { criticalPath } from './critical-path.js';
import { differingPaths, spanFacts } from './json-diff.js';
import { parseTime, parseTraceId } from './params.js';
import { depths, spanTreeFromOutline, type SpanTree } from './span-tree.js';
import { executionToWire, isoOfNs } from './to-wire.js';
import { traceStats } from './trace-stats.js';

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
const DAY_NS = 86_400_000_000_000n;

interface LoadedTrace {
  execution: ExecutionRecord;
  tree: SpanTree;
}

export async function whyRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { storage } = opts;

  /** The execution and its span tree, or 404. */
  const load = async (rawId: string): Promise<LoadedTrace> => {
    const traceId = parseTraceId(rawId);
    const outline = await storage.traces.outline(traceId);
    if (!outline) throw errors.FT_TRACE_NOT_FOUND(traceId);
    return { execution: outline.execution, tree: spanTreeFromOutline(outline.spansJson, outline.execution.rootSpanId) };
  };

  app.get(
    '/api/executions/:traceId/critical-path',
    { schema: routes.criticalPath },
    async (request): Promise<CriticalPath> => {
      const { execution, tree } = await load(request.params.traceId);
      const path = criticalPath(tree);
      return {
        traceId: execution.traceId,
        durationMs: tree.root < 0 ? 0 : round((tree.end[tree.root] - tree.start[tree.root]) / 1000),
        spanIds: path.spans.map((i) => tree.ids[i]),
        segments: path.segments.map((s) => ({ spanId: tree.ids[s.span], startMs: round(s.startUs / 1000), endMs: round(s.endUs / 1000) })),
        criticalMs: path.spans.map((i) => round(path.criticalUs[i] / 1000)),
      };
    },
  );

  app.get(
    '/api/executions/:traceId/stats',
    { schema: routes.traceStats },
    async (request): Promise<TraceStats> => {
      const { execution, tree } = await load(request.params.traceId);
      return traceStats(execution.traceId, tree, criticalPath(tree));
    },
  );

  app.get(
    '/api/executions/:a/compare/:b',
    { schema: routes.compareExecutions },
    async (request): Promise<ExecutionComparison> => {
      const [a, b] = await Promise.all([load(request.params.a), load(request.params.b)]);
      const { rows, truncated } = matchSpans(a.tree, b.tree, request.query.limit ?? 5000);
      const depthA = depths(a.tree);
      const depthB = depths(b.tree);
      const sideOf = (t: SpanTree, depth: Int32Array, i: number): CompareSide | null =>
        i < 0 ? null : {
          spanId: t.ids[i], name: t.names[i], serviceName: t.services[i], nodeId: t.nodeIds[i], nodeName: t.nodeNames[i],
          status: t.statuses[i], durationMs: t.running[i] ? null : round((t.end[i] - t.start[i]) / 1000), depth: depth[i],
        };
      const counts = { matched: 0, onlyA: 0, onlyB: 0, statusChanged: 0 };
      const wireRows = rows.map((r) => {
        const sa = sideOf(a.tree, depthA, r.a);
        const sb = sideOf(b.tree, depthB, r.b);
        const statusChanged = sa !== null && sb !== null && sa.status !== sb.status;
        if (r.match === 'only-a') counts.onlyA++;
        else if (r.match === 'only-b') counts.onlyB++;
        else counts.matched++;
        if (statusChanged) counts.statusChanged++;
        const deltaMs = sa?.durationMs != null && sb?.durationMs != null ? round(sb.durationMs - sa.durationMs) : null;
        return { match: r.match, a: sa, b: sb, deltaMs, statusChanged };
      });
      const aSpan = request.query.aSpan?.toLowerCase() ?? (a.tree.root >= 0 ? a.tree.ids[a.tree.root] : undefined);
      const bSpan = request.query.bSpan?.toLowerCase() ?? (b.tree.root >= 0 ? b.tree.ids[b.tree.root] : undefined);
      const [spanA, spanB] = await Promise.all([readSpan(storage, a.execution, aSpan), readSpan(storage, b.execution, bSpan)]);
      const fa = spanFacts(spanA);
      const fb = spanFacts(spanB);
      const compared = (x: unknown, y: unknown) => ({ a: x, b: y, differingPaths: differingPaths(x, y) });
      const summaryA = executionToWire(a.execution);
      const summaryB = executionToWire(b.execution);
      return {
        a: summaryA,
        b: summaryB,
        deltaMs: round(summaryB.durationMs - summaryA.durationMs),
        rows: wireRows,
        counts,
        truncated,
        detail: {
          aSpanId: spanA?.spanId ?? null,
          bSpanId: spanB?.spanId ?? null,
          input: compared(fa.input, fb.input),
          output: compared(fa.output, fb.output),
          error: compared(fa.error, fb.error),
        },
      };
    },
  );

  app.get(
    '/api/flows/:name/time',
    { schema: routes.flowTime },
    async (request): Promise<FlowTime> => {
      const toNs = parseTime(request.query.to, 'to') ?? BigInt(Date.now() + 60_000) * 1_000_000n;
      const fromNs = parseTime(request.query.from, 'from') ?? BigInt(Date.now()) * 1_000_000n - DAY_NS;
      if (fromNs > toNs) throw errors.FT_BAD_FILTER('from is after to');
      const flowName = request.params.name;
      const time = await storage.statistics.flowTime(flowName, fromNs, toNs);
      if (time.runs === 0) throw errors.FT_FLOW_NOT_FOUND(`${flowName} (no finished runs in this time range)`);
      return {
        flowName,
        from: isoOfNs(fromNs),
        to: isoOfNs(toNs),
        runs: time.runs,
        runMs: round(time.runMs),
        nodes: time.nodes.map((n) => ({
          nodeId: n.nodeId,
          nodeName: n.nodeName ?? n.nodeId,
          count: n.count,
          totalMs: round(n.totalMs),
          selfMs: round(n.selfMs),
          avgSelfMs: round(n.selfMs / n.count),
          criticalMs: round(n.criticalMs),
          criticalPercent: time.runMs > 0 ? round((n.criticalMs / time.runMs) * 100) : 0,
        })),
      };
    },
  );
}

/** A span of an execution as the span route answers it; null when the trace has no such span (or none is asked). */
async function readSpan(storage: Storage, execution: ExecutionRecord, spanId: string | undefined): Promise<Span | null> {
  if (!spanId) return null;
  const found = await storage.traces.span(execution, spanId);
  if (!found) throw errors.FT_SPAN_NOT_FOUND(`${spanId} in ${execution.traceId}`);
  return JSON.parse(found.spanJson) as Span;
}
