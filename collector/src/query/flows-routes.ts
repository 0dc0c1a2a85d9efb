/**
 * Flow statistics: every flow with count, rates and percentiles, and one flow over a
 * time range as a time series plus per-node figures.
 */
import type { FlowList, FlowStats, FlowStatsSeries, NodeStats } from '../api/flow-types.js';
import { flowStats, listFlows } from '../api/routes/statistics.js';
import type { TypeBoxApp } from '../api/typebox-app.js';
import { errors } from '../errors.js';
import type { StatsRow, Storage } from '../storage/index.js';
import { parseTime } from './params.js';
import { isoOfNs } from './to-wire.js';

const DAY_NS = 86_400_000_000_000n;

function range(query: { from?: string; to?: string }, defaultFromNs: bigint): { fromNs: bigint; toNs: bigint } {
  const toNs = parseTime(query.to, 'to') ?? BigInt(Date.now() + 60_000) * 1_000_000n;
  const fromNs = parseTime(query.from, 'from') ?? defaultFromNs;
  if (fromNs > toNs) throw errors.FT_BAD_FILTER('from is after to');
  return { fromNs, toNs };
}

/** Bucket width in seconds from "30s", "5m", "1h", "1d" or plain seconds; default picks ~60 buckets. */
export function bucketSeconds(value: string | undefined, fromNs: bigint, toNs: bigint): number {
  if (value) {
    const n = Number.parseInt(value, 10);
    const unit = value.replace(/^[0-9]+/, '') || 's';
    const seconds = n * ({ s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[unit];
    if (seconds < 1) throw errors.FT_BAD_FILTER('bucket must be at least 1s');
    if (Number(toNs - fromNs) / 1e9 / seconds > 10_000) throw errors.FT_BAD_FILTER('more than 10,000 buckets; use a wider bucket');
    return seconds;
  }
  const span = Number(toNs - fromNs) / 1e9;
  const nice = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 86400, 604800];
  return nice.find((s) => span / s <= 60) ?? 604800;
}

export function statsToWire(flowName: string, r: StatsRow): FlowStats {
  const finished = r.finishedCount;
  return {
    flowName,
    count: r.count,
    successCount: r.successCount,
    errorCount: r.errorCount,
    successRate: finished === 0 ? 0 : r.successCount / finished,
    errorRate: finished === 0 ? 0 : r.errorCount / finished,
    avgMs: r.avgMs,
    p50Ms: r.quantiles?.[0] ?? null,
    p95Ms: r.quantiles?.[1] ?? null,
    p99Ms: r.quantiles?.[2] ?? null,
    lastRunAt: r.lastStartNs === null ? null : isoOfNs(r.lastStartNs),
  };
}

export async function flowsRoutes(app: TypeBoxApp, opts: { storage: Storage }): Promise<void> {
  const { statistics } = opts.storage;

  app.get(
    '/api/flows',
    { schema: listFlows },
    async (request): Promise<FlowList> => {
      const rows = await statistics.flows(range(request.query, 0n));
      return { flows: rows.map((r) => statsToWire(String(r.key), r)) };
    },
  );

  app.get(
    '/api/flows/:name/stats',
    { schema: flowStats },
    async (request): Promise<FlowStatsSeries> => {
      const name = request.params.name;
      const r = range(request.query, BigInt(Date.now()) * 1_000_000n - DAY_NS);
      const summary = await statistics.flow(name, r);
      if (!summary) throw errors.FT_FLOW_NOT_FOUND(`${name} (in this time range)`);
      // Without a bucket asked for, the width fits the part of the range that holds runs (a range
      // from 1970, the viewer's "all time", gets buckets over the flow's history, not 56 years).
      const seconds = request.query.bucket
        ? bucketSeconds(request.query.bucket, r.fromNs, r.toNs)
        : bucketSeconds(undefined, summary.firstStartNs ?? r.fromNs, summary.lastStartNs ?? r.toNs);
      const [series, nodes] = await Promise.all([
        statistics.flowSeries(name, r, BigInt(seconds) * 1_000_000_000n),
        statistics.nodes(name, r),
      ]);
      return {
        flowName: name,
        from: isoOfNs(r.fromNs),
        to: isoOfNs(r.toNs),
        bucketSeconds: seconds,
        summary: statsToWire(name, summary),
        series: series.map((b) => {
          const { flowName: _ignored, successRate: _s, errorRate: _e, lastRunAt: _l, ...rest } = statsToWire(name, b);
          return { bucketStart: isoOfNs(BigInt(b.key)), ...rest };
        }),
        nodes: nodes.map(
          (n): NodeStats => ({
            nodeId: n.nodeId,
            nodeName: n.nodeName ?? n.nodeId,
            nodeType: n.nodeType,
            count: n.count,
            errorCount: n.errorCount,
            errorRate: n.count === 0 ? 0 : n.errorCount / n.count,
            avgMs: n.avgMs,
            p50Ms: n.quantiles?.[0] ?? null,
            p95Ms: n.quantiles?.[1] ?? null,
            p99Ms: n.quantiles?.[2] ?? null,
          }),
        ),
      };
    },
  );
}
