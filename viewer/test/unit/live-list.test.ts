// The bounded live list: pages and live arrivals, cut at a page's end so "load older" carries on.
import { describe, expect, it } from 'vitest';
import { appendPage, firstPage, hasOlder, prependNewer, updateRow } from '../../src/lib/model/live-list.js';
import type { Execution } from '../../src/lib/model/types.js';

let n = 0;
function exec(startMs: number, overrides: Partial<Execution> = {}): Execution {
  n += 1;
  return {
    traceId: `t${String(n).padStart(31, '0')}`, flowName: 'f', flowId: null, flowVersion: null, kind: 'flow', serviceName: 's',
    status: 'success', displayStatus: 'success', startMs, endMs: startMs + 1, durationMs: 1, spanCount: 1, errorCount: 0,
    triggerType: null, userId: null, errorNodeId: null, errorMessage: null, hasRoot: true, continuesRemoteTrace: false,
    remoteParentSpanId: null, lastSeenMs: startMs, ...overrides,
  };
}
const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => exec(from - i));

describe('the live list', () => {
  it('puts new executions on top, newest first, without duplicates', () => {
    const list = firstPage(page(100, 3), 'c1');
    const fresh = [exec(200), exec(300)];
    const next = prependNewer(list, [...fresh, list.items[0]]);
    expect(next.items.map((e) => e.startMs)).toEqual([300, 200, 100, 99, 98]);
    expect(next.nextCursor).toBe('c1');
  });

  it('stays within its bound, cut at the end of a page so the next page follows from its cursor', () => {
    let list = firstPage(page(1000, 4), 'c1');
    list = appendPage(list, page(996, 4), 'c2');
    const next = prependNewer(list, page(2000, 6), 10);
    expect(next.items).toHaveLength(10);
    expect(next.items.at(-1)!.startMs).toBe(997); // the end of the first page
    expect(next.nextCursor).toBe('c1');
    expect(hasOlder(next)).toBe(true);
  });

  it('falls back to asking by time when no page ends within the bound', () => {
    const list = firstPage(page(100, 2), 'c1');
    const next = prependNewer(list, page(5000, 12), 10);
    expect(next.items).toHaveLength(10);
    expect(next.nextCursor).toBeNull();
    expect(next.olderThanMs).toBe(4991);
    expect(hasOlder(next)).toBe(true);
  });

  it('updates a row in place, never with an older version of it', () => {
    const items = page(100, 3);
    const newer = { ...items[1], status: 'error' as const, lastSeenMs: items[1].lastSeenMs + 5 };
    expect(updateRow(items, newer)![1].status).toBe('error');
    expect(updateRow(items, { ...items[1], lastSeenMs: 0 })).toBe(items);
    expect(updateRow(items, exec(1))).toBeUndefined();
  });
});
