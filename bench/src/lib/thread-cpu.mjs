// Where a collector process's CPU time goes, from /proc: the main thread (JavaScript: HTTP,
// OTLP decode, row conversion, the engine client's serialization), the threads the storage
// engine named (ClickHouse names every thread of its pools: chDB's engine work in-process), and
// Node's other threads (GC, the libuv pool; DuckDB's threads are unnamed and land here too).
// Snapshots are taken before and after a measurement; the split is their difference. A thread
// that ended in between lost its time from /proc/PID/task but not from /proc/PID/stat: that
// remainder is reported apart ("ended"), never guessed into a bucket.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports thread times in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** Names Node gives (or leaves on) its own threads; any other name is the engine's. */
const NODE_THREAD_NAMES = ['node', 'V8 DefaultWorke', 'V8 DefaultWorker', 'libuv-worker', 'WorkerThread', 'SignalInspector', 'inspector'];

/** { comm, cpuSeconds } of one /proc stat line (the name may hold spaces and parentheses). */
export function parseStat(line) {
  const comm = line.slice(line.indexOf('(') + 1, line.lastIndexOf(')'));
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (stat field 3): utime and stime are stat fields 14 and 15.
  return { comm, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

/** Which bucket a thread's time goes to. */
export function threadKind(tid, pid, comm) {
  if (Number(tid) === Number(pid)) return 'main';
  return NODE_THREAD_NAMES.includes(comm) || comm.startsWith('node') ? 'node' : 'engine';
}

/** CPU seconds of the process and of each of its threads right now ({ total, threads: { tid: { comm, cpuSeconds } } }). */
export function cpuSnapshot(pid) {
  const threads = {};
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { total: 0, threads };
  }
  for (const tid of tids) {
    try {
      threads[tid] = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  let total = 0;
  try {
    total = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuSeconds;
  } catch {
    // the process ended
  }
  return { total, threads };
}

/**
 * CPU seconds spent between two snapshots, by kind: { total, main, engine, node, ended }.
 * ended = what the process spent beyond its live threads' sum (threads that exited meanwhile).
 */
export function cpuSplit(before, after, pid) {
  const split = { total: after.total - before.total, main: 0, engine: 0, node: 0, ended: 0 };
  for (const [tid, t] of Object.entries(after.threads)) {
    split[threadKind(tid, pid, t.comm)] += t.cpuSeconds - (before.threads[tid]?.cpuSeconds ?? 0);
  }
  split.ended = Math.max(0, split.total - split.main - split.engine - split.node);
  return split;
}
