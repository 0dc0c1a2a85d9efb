/**
 * What the writer remembers between group commits so that most commits need no lookup in
 * DuckDB: which traces have an execution row at all (fingerprints, exact in one direction:
 * "never stored" is trusted, a hit may be a collision), the rows of the executions it wrote
 * recently (equal to what it wrote), and the keys of every running row in span_starts.
 *
 * A commit whose traces are all either never stored or cached, while the running keys are
 * known, skips the temp-table append and the lookups of executions and starts. Anything else
 * falls back to the database. Another writer of the tables (a delete, retention) must call
 * `forget()` afterwards: the cached rows and running keys may be stale, the fingerprints stay
 * (a deleted trace left behind costs one lookup).
 */
import type { ExecutionRecord } from '../records.js';

/** A 52-bit number from a trace id: a plain JS number, exact enough for a filter. */
function traceFingerprint(traceId: string): number {
  return Number.parseInt(traceId.slice(-13), 16);
}

export class WriterMemory {
  private readonly traces = new Set<number>();
  private readonly rows = new Map<string, ExecutionRecord>();
  private running: Set<string> | null = null;

  constructor(
    /** Execution rows kept at most (oldest written dropped first). */
    private readonly maxRows: number,
    /** Running keys tracked at most; past it the starts are looked up in the database. */
    private readonly maxRunning: number,
  ) {}

  /** Every stored trace id (to know what was never stored). */
  loadTraces(traceIds: Iterable<string>): void {
    for (const id of traceIds) this.traces.add(traceFingerprint(id));
  }

  /** Every running key (trace id + span id) in span_starts, or null when there were too many to track. */
  loadRunning(keys: string[] | null): void {
    this.running = keys === null || keys.length > this.maxRunning ? null : new Set(keys);
  }

  /** Whether running keys are known (else the starts must be looked up). */
  get knowsRunning(): boolean {
    return this.running !== null;
  }

  /** The running keys among these, when known. */
  runningAmong(keys: string[]): Set<string> {
    const found = new Set<string>();
    if (this.running === null) return found;
    for (const key of keys) if (this.running.has(key)) found.add(key);
    return found;
  }

  /**
   * The stored rows of these traces from memory: `known` holds the cached rows; `complete` is
   * false when some trace may be stored but is not cached (the database must be asked).
   */
  executionsOf(traceIds: Iterable<string>): { known: Map<string, ExecutionRecord>; complete: boolean } {
    const known = new Map<string, ExecutionRecord>();
    let complete = true;
    for (const id of traceIds) {
      const row = this.rows.get(id);
      if (row) known.set(id, row);
      else if (this.traces.has(traceFingerprint(id))) complete = false;
    }
    return { known, complete };
  }

  /** Records what a commit wrote. */
  committed(executions: ExecutionRecord[], startsAdded: string[], startsReplaced: string[]): void {
    for (const e of executions) {
      this.traces.add(traceFingerprint(e.traceId));
      this.rows.delete(e.traceId); // re-inserted last: the map's order is the order written
      this.rows.set(e.traceId, e);
    }
    while (this.rows.size > this.maxRows) this.rows.delete(this.rows.keys().next().value!);
    if (this.running !== null) {
      for (const key of startsReplaced) this.running.delete(key);
      for (const key of startsAdded) this.running.add(key);
      if (this.running.size > this.maxRunning) this.running = null;
    }
  }

  /** Drops what another writer may have changed: cached rows and running keys. */
  forget(): void {
    this.rows.clear();
    this.running = null;
  }
}
