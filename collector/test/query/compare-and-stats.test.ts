/**
 * Two executions matched span by span (flow nodes by id and order, then service + name and
 * order, plain OTel spans by position), the JSON paths where their payloads differ, and the
 * time statistics of one execution (groups and the self-time flame graph).
 */
import { describe, expect, it } from 'vitest';
import { matchSpans } from '../../src/query/compare.js';
import { criticalPath } from '../../src/query/critical-path.js';
import { differingPaths } from '../../src/query/json-diff.js';
import { traceStats } from '../../src/query/trace-stats.js';
import { makeTree, type TreeSpan } from '../fixtures/span-trees.js';

/** A flow run: a root and nodes one after another, each `[nodeId, name, durationUs]`. */
function run(prefix: string, nodes: Array<[string | null, string, number]>, service = 'svc'): ReturnType<typeof makeTree> {
  const spans: TreeSpan[] = [];
  let t = 0;
  nodes.forEach(([nodeId, name, d], k) => {
    spans.push({ id: `${prefix}${k}`, parent: `${prefix}root`, name, nodeId, service, start: t, end: t + d });
    t += d;
  });
  spans.unshift({ id: `${prefix}root`, name: 'flow', service, start: 0, end: t });
  return makeTree(spans);
}

const describeRows = (a: ReturnType<typeof makeTree>, b: ReturnType<typeof makeTree>) =>
  matchSpans(a, b, 1000).rows.map((r) => `${r.match}:${r.a >= 0 ? a.names[r.a] : '-'}|${r.b >= 0 ? b.names[r.b] : '-'}`);

describe('matching two executions', () => {
  it('pairs nodes by id and order, the k-th run of a repeated node with the k-th', () => {
    const a = run('a', [['load', 'Load', 10], ['item', 'Item', 5], ['item', 'Item', 5], ['item', 'Item', 5], ['save', 'Save', 10]]);
    const b = run('b', [['load', 'Load', 12], ['item', 'Item', 5], ['item', 'Item', 6], ['save', 'Save', 30]]);
    expect(describeRows(a, b)).toEqual([
      'position:flow|flow', 'node:Load|Load', 'node:Item|Item', 'node:Item|Item', 'only-a:Item|-', 'node:Save|Save',
    ]);
  });

  it('matches a renamed node id of another flow version by name, and puts nodes of one side where that side has them', () => {
    const a = run('a', [['n1', 'Fetch', 10], ['n2', 'Parse', 10], ['n3', 'Notify', 5]]);
    const b = run('b', [['v2-fetch', 'Fetch', 10], ['n2', 'Parse', 10], ['n9', 'Validate', 3], ['n3', 'Notify', 5]]);
    expect(describeRows(a, b)).toEqual([
      'position:flow|flow', 'name:Fetch|Fetch', 'node:Parse|Parse', 'only-b:-|Validate', 'node:Notify|Notify',
    ]);
  });

  it('matches plain OTel spans by service, name and position, and a span of one side with everything under it', () => {
    const a = makeTree([
      { id: 'r', name: 'GET /x', service: 'api', start: 0, end: 100 },
      { id: 'q1', parent: 'r', name: 'SELECT', service: 'db', start: 0, end: 10 },
      { id: 'q2', parent: 'r', name: 'SELECT', service: 'db', start: 10, end: 20 },
      { id: 'c', parent: 'r', name: 'cache', service: 'api', start: 20, end: 30 },
      { id: 'c1', parent: 'c', name: 'redis GET', service: 'redis', start: 21, end: 29 },
    ]);
    const b = makeTree([
      { id: 'R', name: 'GET /x', service: 'api', start: 0, end: 50 },
      { id: 'Q1', parent: 'R', name: 'SELECT', service: 'db', start: 0, end: 30 },
    ]);
    expect(describeRows(a, b)).toEqual([
      'position:GET /x|GET /x', 'position:SELECT|SELECT', 'only-a:SELECT|-', 'only-a:cache|-', 'only-a:redis GET|-',
    ]);
  });

  it('stops at the row limit and says so', () => {
    const a = run('a', Array.from({ length: 50 }, (_, k) => [`n${k}`, `N${k}`, 1] as [string, string, number]));
    const { rows, truncated } = matchSpans(a, a, 10);
    expect(rows).toHaveLength(10);
    expect(truncated).toBe(true);
  });
});

describe('differing JSON paths', () => {
  it('names the deepest places where two payloads differ, missing keys and array items included', () => {
    expect(differingPaths(
      { user: { id: 7, plan: 'gold', tags: ['a', 'b'] }, 'total sum': 10, same: true },
      { user: { id: 7, plan: 'free', tags: ['a'] }, 'total sum': 12, same: true, extra: null },
    )).toEqual(['$.user.plan', '$.user.tags[1]', '$["total sum"]', '$.extra']);
    expect(differingPaths({ a: 1 }, { a: 1 })).toEqual([]);
    expect(differingPaths('text', { a: 1 })).toEqual(['$']);
  });
});

describe('time statistics of one execution', () => {
  const tree = makeTree([
    { id: 'root', name: 'flow', service: 'api', start: 0, end: 100 },
    { id: 'q1', parent: 'root', name: 'SELECT', service: 'db', nodeId: 'load', start: 0, end: 20 },
    { id: 'q2', parent: 'root', name: 'SELECT', service: 'db', nodeId: 'load', start: 20, end: 50 },
    { id: 'w', parent: 'root', name: 'render', service: 'api', nodeId: 'render', start: 50, end: 90 },
    { id: 'w1', parent: 'w', name: 'SELECT', service: 'db', start: 60, end: 70 },
  ]);
  const stats = traceStats('t', tree, criticalPath(tree));

  it('sums count, total and self time per service, node and name, self time adding up to the run', () => {
    const byService = Object.fromEntries(stats.byService.map((g) => [g.key, [g.count, g.totalMs, g.selfMs]]));
    expect(byService).toEqual({ api: [2, 0.14, 0.04], db: [3, 0.06, 0.06] });
    expect(stats.byService.reduce((s, g) => s + g.selfPercent, 0)).toBeCloseTo(100);
    expect(stats.byNode.map((g) => [g.key, g.count, g.criticalMs])).toEqual([['load', 2, 0.05], ['render', 1, 0.03]]);
    expect(stats.bySpanName.find((g) => g.key === 'SELECT')).toMatchObject({ count: 3, minMs: 0.01, maxMs: 0.03 });
  });

  it('merges spans with the same stack into one flame frame whose value holds its children', () => {
    const frames = stats.frames.map((f) => [f.depth, f.name, f.count, f.selfMs, f.valueMs]);
    expect(frames).toEqual([
      [0, 'flow', 1, 0.01, 0.1],
      [1, 'SELECT', 2, 0.05, 0.05],
      [1, 'render', 1, 0.03, 0.04],
      [2, 'SELECT', 1, 0.01, 0.01],
    ]);
    expect(stats.frames[3].parent).toBe(2);
  });

  it('cuts the smallest frames past the cap, keeping every kept frame\'s parent', () => {
    const cut = traceStats('t', tree, criticalPath(tree), 2);
    expect(cut.framesTruncated).toBe(true);
    expect(cut.frames.map((f) => f.name)).toEqual(['flow', 'SELECT']);
  });
});
