/**
 * What every conformance case is given: a way to open a fresh store of the engine under test
 * (the engine's own options hidden behind the factory), and helpers that speak only the
 * contract. Options are engine-neutral: an engine's factory maps them onto its own.
 */
import { expect } from 'vitest';
import { FlowtraceError } from '../../src/errors.js';
import type { CommitNotice, Storage } from '../../src/storage/contract.js';
import { batchOf, type BatchSpec } from './batches.js';

/** What a case may ask of the store it opens; everything else is the engine's default. */
export interface ConformanceOptions {
  /** A running execution silent for longer than this is abandoned. */
  abandonAfterMs?: number;
  /** Retention's age limit; retention.runOnce() deletes what is older. */
  retentionMaxAgeMs?: number;
  /** The SQL console's row cap. */
  sqlMaxRows?: number;
  /** The change feed: called once per commit. */
  onCommit?: (notice: CommitNotice) => void;
  /** Keep the data when the store is closed (a file, a server database), so it can be reopened. */
  durable?: boolean;
  /** Open again the data a closed durable store left at this `Storage.location`. */
  reopen?: string;
}

/** Opens a store: fresh and empty, unless `reopen` names one closed before. */
export type OpenStore = (options?: ConformanceOptions) => Promise<Storage>;

/** Opens a fresh store, runs `body` on it and closes it, whatever happens. */
export async function withStore<T>(open: OpenStore, options: ConformanceOptions | undefined, body: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await open(options);
  try {
    return await body(storage);
  } finally {
    await storage.close();
  }
}

/** Writes what the spec describes as one batch; resolves once the engine says it is durable. */
export function write(storage: Storage, spec: BatchSpec): Promise<void> {
  return storage.writer.write(batchOf(spec));
}

/** A trace id as a SQL literal (ids are hex; anything else is dropped rather than spliced). */
const idLiteral = (id: string): string => `'${id.replace(/[^0-9a-f]/g, '')}'`;

/**
 * The number a one-value console statement answers. The console's views (spans, executions,
 * logs, metrics) are the ones every engine names alike; `count(*)` is the same in every dialect.
 */
export async function sqlNumber(storage: Storage, sql: string): Promise<number> {
  const result = await storage.sql.run(sql);
  expect(result.rows).toHaveLength(1);
  return Number(result.rows[0][0]);
}

/** Rows of one trace in a console view (spans, executions, logs). */
export function sqlRowsOfTrace(storage: Storage, view: 'spans' | 'executions' | 'logs', traceId: string): Promise<number> {
  return sqlNumber(storage, `SELECT count(*) AS n FROM ${view} WHERE trace_id = ${idLiteral(traceId)}`);
}

/** Asserts that a promise rejects with a FlowtraceError of this code (or matching this pattern). */
export async function expectCode(promise: Promise<unknown>, code: string | RegExp): Promise<FlowtraceError> {
  const error = await promise.then(
    () => { throw new Error(`expected a rejection with ${String(code)}, got a result`); },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowtraceError);
  const coded = error as FlowtraceError;
  if (typeof code === 'string') expect(coded.code).toBe(code);
  else expect(coded.code).toMatch(code);
  return coded;
}

/**
 * Waits until `ready()` holds, looking again after each short pause, at most `tries` times; for
 * what an engine may deliver after a write resolves (the change feed is polled on a shared
 * engine). It asserts nothing about time: a condition that never holds fails the case.
 */
export async function eventually(ready: () => boolean | Promise<boolean>, what: string, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** Waits until at least `ms` of wall-clock time have passed since `sinceMs` (Date.now() values). */
export async function pastWallClock(sinceMs: number, ms: number): Promise<void> {
  while (Date.now() <= sinceMs + ms) await new Promise((resolve) => setTimeout(resolve, Math.max(1, sinceMs + ms + 1 - Date.now())));
}

/** Sorted copies, for comparing sets of ids. */
export const sorted = <T>(items: Iterable<T>): T[] => [...items].sort();
