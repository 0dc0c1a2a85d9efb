/**
 * A few read connections handed out one statement at a time: DuckDB interrupts a running
 * statement when a second one starts on the same connection, so concurrent API requests
 * each borrow their own.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export class ConnectionPool {
  private readonly free: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiters: Array<(c: DuckDBConnection) => void> = [];

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

  /** Runs `work` with a connection of its own and returns it to the pool afterwards. */
  async use<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = this.free.pop() ?? (await new Promise<DuckDBConnection>((r) => this.waiters.push(r)));
    try {
      return await work(connection);
    } finally {
      const waiter = this.waiters.shift();
      if (waiter) waiter(connection);
      else this.free.push(connection);
    }
  }

  closeAll(): void {
    for (const connection of this.all) connection.closeSync();
  }
}
