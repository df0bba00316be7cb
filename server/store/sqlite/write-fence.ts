import type { Kysely, KyselyPlugin, Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import { shareDirect, unbindDirect } from './direct-runner.ts';

/** A query on the transaction of a write that is over: refused, since it would land elsewhere. */
export class WriteFenced extends Error {
  override name = 'WriteFenced';
  constructor() {
    super('this write is over (committed, rolled back or timed out); its transaction is closed');
  }
}

const closed = new WeakSet<Kysely<Database>>();

/** Raises WriteFenced for a fenced transaction (prepared queries check here: they skip plugins). */
export function assertNotFenced(db: Kysely<Database>): void {
  if (closed.has(db)) throw new WriteFenced();
}

/**
 * One write's view of a shared transaction. Once `close` is called every query through it is
 * refused: a write that timed out may still wake later, and on SQLite's one connection its
 * queries would otherwise run inside someone else's transaction, or outside any.
 */
export function fenceWrite(trx: Transaction<Database>): {
  trx: Transaction<Database>;
  close(): void;
} {
  let open = true;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (!open) throw new WriteFenced();
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const fenced = trx.withPlugin(plugin);
  shareDirect(trx, fenced);
  return {
    trx: fenced,
    close() {
      open = false;
      closed.add(fenced);
      unbindDirect(fenced);
    },
  };
}
