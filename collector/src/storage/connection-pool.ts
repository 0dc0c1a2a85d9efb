/**
 * A few read connections handed out one statement at a time: DuckDB interrupts a running
 * statement when a second one starts on the same connection, so concurrent API requests
 * each borrow their own.
 *
 * A read whose caller has gone (its HTTP request closed) is stopped: `use` takes an
 * AbortSignal; aborted while waiting, the work never starts; aborted while running, the
 * connection is interrupted (DuckDB checks between chunks, and clears the flag when the next
 * statement starts, so an interrupt never reaches the connection's next user).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A result row as plain JS values, by column name. */
export type Row = Record<string, unknown>;

/** Bound parameters of a read: values only, never SQL text. */
export type Params = Record<string, string | number | bigint | boolean>;

export class ConnectionPool {
  private readonly free: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiters: Array<{ resolve: (c: DuckDBConnection) => void; reject: (error: Error) => void }> = [];
  private closing = false;
  /** Resolves when the last lent connection comes back (set while close() waits). */
  private drained: (() => void) | undefined;
  /** Reads stopped because their signal aborted (waiting or running). */
  stopped = 0;

  private constructor() {}

  /** `setup` runs once on each new connection (session settings, before the configuration is locked). */
  static async create(instance: DuckDBInstance, size: number, setup?: (c: DuckDBConnection) => Promise<unknown>): Promise<ConnectionPool> {
    const pool = new ConnectionPool();
    for (let i = 0; i < size; i++) {
      const connection = await instance.connect();
      await setup?.(connection);
      pool.all.push(connection);
      pool.free.push(connection);
    }
    return pool;
  }

  /**
   * Runs `work` with a connection of its own and returns it to the pool afterwards. When
   * `signal` aborts, the work is not started or its connection is interrupted, and the call
   * rejects with the signal's reason.
   */
  async use<T>(work: (connection: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const connection = await this.take(signal);
    const stop = () => {
      this.stopped += 1;
      connection.interrupt();
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      if (signal?.aborted) throw signal.reason;
      return await work(connection);
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', stop);
      this.release(connection);
    }
  }

  /** The rows of one parameterised statement, on a connection of its own (stopped by `signal`, see use). */
  rows(sql: string, params: Params = {}, signal?: AbortSignal): Promise<Row[]> {
    return this.use(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[], signal);
  }

  /** A free connection, else the next one released; rejects (leaving the queue) when `signal` aborts first. */
  private take(signal?: AbortSignal): Promise<DuckDBConnection> {
    if (this.closing) return Promise.reject(new Error('the database is closing'));
    if (signal?.aborted) {
      this.stopped += 1;
      return Promise.reject(signal.reason);
    }
    const free = this.free.pop();
    if (free) return Promise.resolve(free);
    return new Promise<DuckDBConnection>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        this.stopped += 1;
        reject(signal!.reason);
      };
      const waiter = {
        resolve: (c: DuckDBConnection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(c);
        },
        reject: (error: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(connection: DuckDBConnection): void {
    const waiter = this.closing ? undefined : this.waiters.shift();
    if (waiter) waiter.resolve(connection);
    else this.free.push(connection);
    if (this.busy === 0) this.drained?.();
  }

  /**
   * Closes the pool: waiting reads are refused, running ones interrupted and waited for (at most
   * `graceMs`), then the connections that came back are closed. A connection whose statement
   * still runs (DuckDB does not see interrupts while it folds constants, for one) is left open:
   * closing it would block the event loop until the statement ends. Resolves false then.
   */
  async close(graceMs = 2_000): Promise<boolean> {
    this.closing = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the database is closing'));
    if (this.busy > 0) {
      for (const connection of this.all) if (!this.free.includes(connection)) connection.interrupt();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const connection of this.free) connection.closeSync();
    return this.busy === 0;
  }

  /** Connections lent out right now. */
  get busy(): number {
    return this.all.length - this.free.length;
  }
}
