import type * as Y from 'yjs';
import type { CloseReason } from '../../shared/sync/close-codes.ts';
import type { Executor } from '../store/db.ts';

/**
 * A hook's veto that ends the connection: the socket is refused (at admission) or closed with
 * `close`. Every hook vetoes this way, by throwing; any other error is the server's own failure.
 */
export class SyncRefusal extends Error {
  constructor(readonly close: CloseReason) {
    super(close.reason);
    this.name = 'SyncRefusal';
  }
}

/**
 * An `onUpdate` veto that keeps the connection: nothing of the update was kept, and the sender is
 * told why in a "permission denied" frame.
 */
export class UpdateDenied extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpdateDenied';
  }
}

/** Who a socket is, as `onAuthenticate` admitted it. `C` is the hooks' own, opaque to sync. */
export interface Admission<C> {
  context: C;
  /** Sockets are counted per company, and writes budgeted per company and subject. */
  companyId: string;
  subjectId: string;
  /** The socket may read and be present, not edit. */
  readOnly: boolean;
  /** When the credential lapses (ms since the epoch): the socket is closed then, to reconnect. */
  expiresAtMs: number;
}

/** What a hook knows of an admitted socket. */
export interface Connected<C> {
  documentName: string;
  token: string;
  context: C;
}

/** Fills `document` (which writes as the server) from the tables; left empty if there is nothing. */
export type DocumentLoader = (load: {
  db: Executor;
  documentName: string;
  document: Y.Doc;
}) => Promise<void>;

/**
 * What sync asks of the domain that owns the documents. Sync owns sockets, rooms, the codec and
 * the stored updates; what a document means, who may open it and what an edit may change are the
 * hooks'. Registered by the composition root.
 */
export interface SyncHooks<C> {
  /** Admits a socket to a document, or throws SyncRefusal. */
  onAuthenticate(request: { documentName: string; token: string }): Promise<Admission<C>>;
  /**
   * Asks again, when tokens or access to the document changed, whether an admitted socket may
   * stay; throws SyncRefusal if not.
   */
  onRecheck(connection: Connected<C>): Promise<void>;
  /** Builds a document that has no stored updates yet, inside the write that stores it. */
  onLoadDocument: DocumentLoader;
  /**
   * Applies a client's update through the domain's write path: checked, stored and made durable
   * before anyone else sees it (the rooms hear of it from the commit). Returns what was refused of
   * it, if anything (undone, the rest kept); throws UpdateDenied to keep none of it, SyncRefusal to
   * close the socket. `origin` is the sender, for the document's update events.
   */
  onUpdate(change: Connected<C> & { update: Uint8Array; origin: unknown }): Promise<{
    denied?: string;
  }>;
  /** Settles what edits left to do later (at least `olderThanMs` ago, if given): what a crash left. */
  onSettle?(olderThanMs?: number): Promise<void>;
  /** The rooms are closed: settle the rest and defer nothing more. Before the database closes. */
  onDestroy?(): Promise<void>;
}
