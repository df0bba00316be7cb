import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.ts';
import { openPostgres, redactedUrl } from '../store/postgres/open.ts';
import { databaseFileName, openDatabase } from '../store/sqlite/db.ts';

/** Where a store lives: a PostgreSQL database, or the SQLite file of a data directory. */
export type StoreAddress = { url: string } | { dataDir: string };

/**
 * Opens the database alone, without the app (which would make a master.key where none is): for
 * operator tools that move rows, not serve them. One connection is all they need.
 */
export function openStoreAt(address: StoreAddress): Db {
  return 'url' in address ? openPostgres(address.url, 1) : openDatabase(address.dataDir);
}

/** Whether the address already holds a database file (PostgreSQL databases always exist). */
export function storeExists(address: StoreAddress): boolean {
  return 'url' in address || fs.existsSync(path.join(address.dataDir, databaseFileName));
}

/** The address for messages: the URL without its password, or the SQLite file. */
export function describeStore(address: StoreAddress): string {
  return 'url' in address
    ? redactedUrl(address.url)
    : path.join(path.resolve(address.dataDir), databaseFileName);
}
