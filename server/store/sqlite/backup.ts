import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFileName } from './db.ts';

/**
 * An online backup of the data directory's database to one file, consistent even while the server
 * writes (SQLite's backup API copies a snapshot page by page). The master key is not in it: it is
 * a separate secret, kept apart from the data it protects.
 */
export async function backupDatabase(
  dataDir: string,
  target: string,
): Promise<{ pages: number; bytes: number }> {
  const source = path.join(dataDir, databaseFileName);
  if (!fs.existsSync(source)) throw new Error(`no database in ${dataDir}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists; choose a new file name`);
  const db = new SQLite(source, { readonly: true });
  try {
    const meta = await db.backup(target);
    return { pages: meta.totalPages, bytes: fs.statSync(target).size };
  } finally {
    db.close();
  }
}

/** Restores a backup file into a data directory that has no database yet, after an integrity check. */
export function restoreDatabase(backupFile: string, dataDir: string): void {
  if (!fs.existsSync(backupFile)) throw new Error(`no backup file ${backupFile}`);
  const target = path.join(dataDir, databaseFileName);
  if (fs.existsSync(target))
    throw new Error(`${dataDir} already holds a database; restore into an empty data directory`);
  const check = new SQLite(backupFile, { readonly: true });
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok')
      throw new Error(`the backup fails SQLite's integrity check: ${String(result)}`);
  } finally {
    check.close();
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.copyFileSync(backupFile, target, fs.constants.COPYFILE_EXCL);
}
