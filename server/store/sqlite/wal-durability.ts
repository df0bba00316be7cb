import fs from 'node:fs';
import type { CompiledQuery } from 'kysely';
import {
  SelectQueryNode,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * SQLite commits made durable without a disk wait on the event loop. The connection runs with
 * `synchronous = NORMAL`, so a commit writes its WAL frames to the OS and returns; the driver then
 * flushes the WAL file with fdatasync on libuv's thread pool before it gives the connection back
 * (GatedSqliteDialect). The flush is the one FULL makes inside the commit; what changes is who
 * waits for it. The loop goes on meanwhile (parsing requests, verifying tokens, relaying), while
 * everything that needs the database waits for the one connection, as it waited for the blocking
 * commit before: no caller is answered, and no one reads a commit, before it is on disk.
 */
export class WalFlush {
  #fd: number | undefined;

  constructor(private readonly walFile: string) {}

  /** fdatasync of the WAL file on the thread pool; rejects if the disk refused it. */
  async flush(): Promise<void> {
    const fd = (this.#fd ??= fs.openSync(this.walFile, 'r+'));
    await new Promise<void>((resolve, reject) =>
      fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())),
    );
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/** SQLite through Kysely with every commit flushed by `WalFlush` before the connection is free. */
export class GatedSqliteDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly wal: WalFlush,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new FlushingDriver(super.createDriver(), this.wal);
  }
}

/** A statement that may have changed the database (a select cannot). */
function writes(query: CompiledQuery): boolean {
  if (SelectQueryNode.is(query.query)) return false;
  return !/^\s*(select|pragma data_version)\b/i.test(query.sql);
}

class FlushingDriver implements Driver {
  /** SQLite has one connection, so one transaction at a time. */
  #inTransaction = false;

  constructor(
    private readonly inner: Driver,
    private readonly wal: WalFlush,
  ) {}

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    // A statement outside a transaction commits on its own: flushed the same way.
    return {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const result = await connection.executeQuery<R>(query);
        if (!this.#inTransaction && writes(query)) await this.wal.flush();
        return result;
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    // Set first: `begin` itself goes through the connection above and must not flush.
    this.#inTransaction = true;
    try {
      await this.inner.beginTransaction(connection, settings);
    } catch (error) {
      this.#inTransaction = false;
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection) {
    try {
      await this.inner.commitTransaction(connection);
    } finally {
      this.#inTransaction = false;
    }
    await this.wal.flush();
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    try {
      await this.inner.rollbackTransaction(connection);
    } finally {
      this.#inTransaction = false;
    }
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection(connection);
  }

  destroy() {
    this.wal.close();
    return this.inner.destroy();
  }
}
