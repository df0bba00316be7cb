import type * as Y from 'yjs';
import type { Deps } from '../deps.ts';
import type { Executor } from '../store/db.ts';
import type { WriteHooks } from '../store/write-queue.ts';
import type { DocumentLoader } from './hooks.ts';

/** A committed change to a deal's document, and the connection it came from (if any). */
export interface DocChange {
  dealId: string;
  update: Uint8Array;
  origin: unknown;
}

/** One write's copies of the deal documents it touches (see DocSession). */
export interface WriteDocs {
  /** The write's copy of a deal's document, built from its tables if it has none yet. */
  doc(db: Executor, dealId: string): Promise<Y.Doc>;
  /** The write's copy if the deal has a document; none is made for it (see DocSession). */
  existingDoc(db: Executor, dealId: string): Promise<Y.Doc | undefined>;
  /** Says, once the write commits, that who takes part in the deal changed. */
  accessChanged(dealId: string): void;
  /** Stores what the copies captured since the last call, in the write's transaction. */
  persist(db: Executor, at: string): Promise<void>;
  /** For a write outside the write queue (no hooks): hand the changes on at once. */
  settleNow(): void;
}

/**
 * The deals' documents as the write path and the rooms see them: every write works on its own
 * copies, and a change reaches live documents and listeners only once its write commits. Kept
 * apart from DealDocs, which holds them in this process, so committed changes can be fanned out
 * to rooms on other instances.
 */
export interface DocRegistry {
  /** Registers what builds a deal's first document (the `onLoadDocument` hook). */
  loadWith(loader: DocumentLoader): void;
  /** Calls `fn` with every committed change. */
  onChange(fn: (change: DocChange) => void): () => void;
  /** Calls `fn` when a live document was dropped because a write that touched it failed. */
  onReset(fn: (dealId: string) => void): () => void;
  /** Calls `fn` after a commit that changed who takes part in a deal. */
  onAccessChange(fn: (dealId: string) => void): () => void;
  /** The write's copies: one per write (`hooks`), shared by every `writeDeals` inside it. */
  session(hooks: WriteHooks | undefined): WriteDocs;
  /** The deals whose documents rooms hold now. */
  liveDeals(): string[];
  /** The deal's document if a room holds it. */
  live(dealId: string): Y.Doc | undefined;
  /** Keeps the deal's document in memory for a room, loading (or first building) it if needed. */
  open(deps: Deps<'db' | 'writes' | 'clock'>, dealId: string): Promise<Y.Doc>;
  /** Drops a live document (its room is idle). */
  unload(dealId: string): void;
  /** Resolves once no write touching the deal is between its start and its commit. */
  settled(dealId: string): Promise<void>;
  /** Whether other instances write to the same store: writes then `catchUp` first. */
  readonly shared: boolean;
  /** Brings a live document up to the store (other instances' writes) and tells the listeners. */
  catchUp(db: Executor, dealId: string): Promise<void>;
  /** Tells the rooms that who takes part in the deal changed (another instance's commit). */
  accessChanged(dealId: string): void;
}
