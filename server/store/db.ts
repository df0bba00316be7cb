import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';

/** The database, whichever store holds it (SQLite embedded, or PostgreSQL). */
export type Db = Kysely<Database>;
/** What repositories take first: the database or an open transaction (a Transaction is a Kysely). */
export type Executor = Kysely<Database>;
