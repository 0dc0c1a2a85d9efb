/**
 * The one writer of a DuckDB database: the engines' batch queue (../batch-queue.ts: group
 * commit, bounded, a failed group retried in halves) committing each group as one transaction
 * (commit.ts: idempotent, durable at COMMIT). Other writes to the database (deletes, retention,
 * the control log) run through `exclusive`, between group commits, on the writer's connection,
 * so they never interleave with one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BatchQueue, type BatchQueueOptions } from '../batch-queue.js';
import { GroupCommit, type GroupCommitOptions } from './commit.js';

export interface WriterOptions extends GroupCommitOptions, BatchQueueOptions {}

export class GroupCommitWriter extends BatchQueue {
  private readonly committer: GroupCommit;

  constructor(private readonly connection: DuckDBConnection, options: WriterOptions = {}) {
    let committer: GroupCommit | undefined;
    super((batches) => committer!.commit(batches), options);
    committer = new GroupCommit(connection, this.stats, options);
    this.committer = committer;
  }

  /** Loads what the commits remember (recent span keys, stored traces, running rows); call once before writing. */
  init(): Promise<void> {
    return this.committer.load();
  }

  /** Runs a write job (delete, retention, control log) between group commits, on the writer's connection. */
  exclusive<T>(job: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.between(async () => {
      try {
        return await job(this.connection);
      } finally {
        // The job may have deleted executions and starts the commits remember.
        this.committer.forget();
      }
    });
  }
}
