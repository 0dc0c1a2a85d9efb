/**
 * Flow executions of known shape for the conformance cases, as shape-neutral span specs
 * (batches.ts turns them into batches). Each run remembers what it was written with, so a case
 * computes its expected answers from the runs, never from an engine's output.
 *
 * A run is a root span and `nodes` leaf node spans laid one after another inside it, with gaps:
 * node i covers the (2i+1)-th of 2·nodes+1 equal slices of the run. Leaves that never overlap
 * make each node's self time its duration and put each node wholly on the critical path.
 */
import { randomBytes } from 'node:crypto';
import type { AttributeValue, LineSpec, SpanSpec } from './batches.js';

const NS_PER_MS = 1_000_000n;
export const nsOf = (ms: number): bigint => BigInt(Math.round(ms)) * NS_PER_MS;
export const msOf = (ns: bigint): number => Number(ns) / 1e6;
export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type FinishedStatus = 'success' | 'error' | 'cancelled' | 'timed_out';

export interface RunSpec {
  flow: string;
  startMs: number;
  /** Default 100. */
  durationMs?: number;
  /** Node spans (default 2). */
  nodes?: number;
  /** Default 'success'; 'running' sends the root and the last node as start marks. */
  status?: FinishedStatus | 'running';
  service?: string;
  user?: string;
  trigger?: string;
  /** Extra attributes of the root span. */
  rootAttributes?: Record<string, AttributeValue>;
  /** Extra attributes of node i. */
  nodeAttributes?: Array<Record<string, AttributeValue> | undefined>;
  /** Resource attributes besides service.name. */
  resource?: Record<string, string>;
  /** One console line per node span, with this text and the node's index appended. */
  lineText?: string;
}

export interface Run {
  traceId: string;
  rootSpanId: string;
  flow: string;
  service: string;
  user: string;
  trigger: string;
  status: FinishedStatus | 'running';
  startNs: bigint;
  /** null while the root runs. */
  endNs: bigint | null;
  durationMs: number;
  root: SpanSpec;
  nodes: SpanSpec[];
  /** Root first, then the nodes. */
  spans: SpanSpec[];
  lines: LineSpec[];
}

/** The OTLP status code and flow status a finished run's root carries. */
const ROOT_STATUS: Record<FinishedStatus, { code: number; flow: string }> = {
  success: { code: 1, flow: 'success' },
  error: { code: 2, flow: 'error' },
  cancelled: { code: 0, flow: 'cancelled' },
  timed_out: { code: 2, flow: 'timed_out' },
};

/** A flow execution written as spans (and lines, when asked). */
export function flowRun(spec: RunSpec): Run {
  const traceId = newTraceId();
  const rootSpanId = newSpanId();
  const service = spec.service ?? 'orders';
  const user = spec.user ?? 'alice';
  const trigger = spec.trigger ?? 'http';
  const status = spec.status ?? 'success';
  const durationMs = spec.durationMs ?? 100;
  const count = spec.nodes ?? 2;
  const startNs = nsOf(spec.startMs);
  const endNs = startNs + nsOf(durationMs);
  const slice = (endNs - startNs) / BigInt(2 * count + 1);
  const failing = status === 'error' ? count - 1 : -1;
  const nodes: SpanSpec[] = [];
  for (let i = 0; i < count; i++) {
    const running = status === 'running' && i === count - 1;
    const nodeStatus = i === failing ? 'error' : 'success';
    nodes.push({
      traceId, spanId: newSpanId(), parentSpanId: rootSpanId, name: `${spec.flow} step ${i}`, service,
      startNs: startNs + slice * BigInt(2 * i + 1),
      endNs: running ? null : startNs + slice * BigInt(2 * i + 2),
      statusCode: i === failing ? 2 : 1,
      exceptionMessage: i === failing ? `step ${i} failed` : undefined,
      resource: spec.resource,
      attributes: {
        'flow.node.id': `step-${i}`, 'flow.node.name': `Step ${i}`, 'flow.node.type': 'task', 'flow.node.index': i,
        ...(running ? {} : { 'flow.node.status': nodeStatus }),
        ...spec.nodeAttributes?.[i],
      },
    });
  }
  const finished = status === 'running' ? undefined : ROOT_STATUS[status];
  const root: SpanSpec = {
    traceId, spanId: rootSpanId, parentSpanId: null, name: spec.flow, service, kind: 2,
    startNs, endNs: finished ? endNs : null,
    statusCode: finished?.code ?? 0,
    statusMessage: status === 'error' ? 'flow failed' : undefined,
    resource: spec.resource,
    attributes: {
      'flow.execution.kind': 'flow', 'flow.name': spec.flow, 'flow.id': `${spec.flow}-id`, 'flow.trigger.type': trigger, 'enduser.id': user,
      ...(finished ? { 'flow.execution.status': finished.flow } : {}),
      ...(status === 'error' ? { 'flow.error.node_id': `step-${failing}` } : {}),
      ...spec.rootAttributes,
    },
  };
  const lines: LineSpec[] = spec.lineText === undefined ? [] : nodes.map((n, i) => ({
    traceId, spanId: n.spanId, timeNs: n.startNs + 1000n, body: `${spec.lineText} ${i}`, service,
  }));
  return {
    traceId, rootSpanId, flow: spec.flow, service, user, trigger, status, startNs, endNs: finished ? endNs : null, durationMs,
    root, nodes, spans: [root, ...nodes], lines,
  };
}

/** Spans an engine counts as errors on every reading of the contract: OTLP error and an error status. */
export function errorSpans(run: Run): number {
  return run.spans.filter((s) => s.statusCode === 2).length;
}

/** A span of its own (for root and ordering cases); `overrides` replace fields. */
export function plainSpan(overrides: Partial<SpanSpec> & Pick<SpanSpec, 'traceId' | 'startNs'>): SpanSpec {
  return { spanId: newSpanId(), parentSpanId: null, name: 'work', service: 'plain', endNs: overrides.startNs + nsOf(5), statusCode: 1, ...overrides };
}
