// Where a collector's CPU goes (lib/thread-cpu.mjs): /proc stat lines, which bucket a thread's
// time goes to, and the split between two snapshots.
import { describe, expect, it } from 'vitest';
import { cpuSnapshot, cpuSplit, parseStat, threadKind } from '../src/lib/thread-cpu.mjs';

describe('thread CPU from /proc', () => {
  it('reads user + system time and a name holding spaces and parentheses', () => {
    const line = '4321 (V8 (Default) x) S 1 4321 4321 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 12 0 100 0 0';
    expect(parseStat(line)).toEqual({ comm: 'V8 (Default) x', cpuSeconds: 2 });
  });

  it('puts the main thread, Node\'s threads and the threads ClickHouse named in their buckets', () => {
    expect(threadKind('100', 100, 'node')).toBe('main');
    expect(threadKind('101', 100, 'node')).toBe('node');
    expect(threadKind('102', 100, 'V8 DefaultWorke')).toBe('node');
    expect(threadKind('103', 100, 'ThreadPool')).toBe('engine');
    expect(threadKind('104', 100, 'MergeMutate')).toBe('engine');
  });

  it('splits the time between two snapshots and keeps what ended threads spent apart', () => {
    const before = { total: 1, threads: { 100: { comm: 'node', cpuSeconds: 1 } } };
    const after = { total: 4, threads: { 100: { comm: 'node', cpuSeconds: 2 }, 101: { comm: 'ThreadPool', cpuSeconds: 1.5 }, 102: { comm: 'node', cpuSeconds: 0.2 } } };
    const split = cpuSplit(before, after, 100);
    expect(split.total).toBe(3);
    expect(split.main).toBe(1);
    expect(split.engine).toBe(1.5);
    expect(split.node).toBeCloseTo(0.2, 9);
    expect(split.ended).toBeCloseTo(0.3, 9);
  });

  it('snapshots a live process: this one, with its main thread', () => {
    let x = 0;
    for (let i = 0; i < 3e7; i++) x += i;
    const snap = cpuSnapshot(process.pid);
    expect(x).toBeGreaterThan(0);
    expect(snap.total).toBeGreaterThan(0);
    expect(snap.threads[String(process.pid)]).toBeDefined();
  });
});
