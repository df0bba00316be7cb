import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deferrableInsertTables } from '../../server/ledger/deferrable-tables.ts';

/**
 * A store may hold back inserts into deferrableInsertTables and send them later, so an error from
 * one reaches no `catch` beside it. Any server file that catches a unique violation must insert
 * into none of those tables, and every listed table must exist in the schema.
 */
const root = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The tables a source inserts into, by name, through Kysely or a prepared insert. */
function insertedTables(code: string): string[] {
  return [...code.matchAll(/(?:insertInto|preparedInsert)\(\s*'([a-z_]+)'/g)].map((m) => m[1]!);
}

describe('deferrable insert tables', () => {
  it('include no table whose insert some file catches a unique violation from', () => {
    const catching = sources(path.join(root, 'server')).filter((file) =>
      fs.readFileSync(file, 'utf8').includes('isUniqueViolation('),
    );
    expect(catching.length).toBeGreaterThan(0);
    const offending = catching.flatMap((file) =>
      insertedTables(fs.readFileSync(file, 'utf8'))
        .filter((table) => deferrableInsertTables.has(table))
        .map((table) => `${path.relative(root, file)} inserts into ${table}`),
    );
    expect(offending).toEqual([]);
  });

  it('name tables the schema has', () => {
    const schema = fs.readFileSync(path.join(root, 'schema/database.ts'), 'utf8');
    for (const table of deferrableInsertTables) expect(schema).toContain(`${table}: `);
  });
});
