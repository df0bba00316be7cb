import { closeCodes } from '../../shared/sync/close-codes.ts';
import type { AppDeps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { SyncRefusal, UpdateDenied, type SyncHooks } from '../sync/hooks.ts';
import type { Principal } from '../tenants/principal.ts';
import { verifyAccessToken } from '../tenants/tokens/token-verifier.ts';
import { docFromProjection } from './doc-from-projection.ts';
import { applyLiveEdit, describe, NeedsResync } from './live-edit.service.ts';
import { NotesSettler } from './notes-settler.ts';
import { participationStatus } from './opportunity.repository.ts';

type HookDeps = Pick<
  AppDeps,
  'db' | 'clock' | 'writes' | 'docs' | 'logger' | 'keyRing' | 'config' | 'tokenCache'
>;

/**
 * The deal rooms' policy, as sync hooks: a room is a deal, open to a valid token of a company that
 * has accepted the deal (read-only without `opportunities:write`); an edit is a live edit through
 * the one write path; notes typed reach the tables at most once per `notesEveryMs` per deal.
 */
export function dealRoomHooks(
  deps: HookDeps,
  options: { notesEveryMs: number },
): SyncHooks<Principal> {
  const notes = new NotesSettler(deps, options.notesEveryMs);
  return {
    async onAuthenticate({ documentName, token }) {
      const principal = await verify(deps, token);
      if (!principal.scopes.has('opportunities:read')) throw new SyncRefusal(closeCodes.forbidden);
      const status = await participationStatus(deps.db, {
        dealId: documentName,
        companyId: principal.companyId,
      });
      if (status !== 'accepted') throw new SyncRefusal(closeCodes.notParticipant);
      return {
        context: principal,
        companyId: principal.companyId,
        subjectId: principal.id,
        readOnly: !principal.scopes.has('opportunities:write'),
        expiresAtMs: principal.token.expiresAt * 1000,
      };
    },

    async onRecheck({ documentName, token, context }) {
      try {
        await verifyAccessToken(deps, token);
      } catch (error) {
        // Whatever went wrong, the token no longer holds for a socket already open.
        const expired = error instanceof DomainError && error.code === 'TokenExpired';
        throw new SyncRefusal(expired ? closeCodes.tokenExpired : closeCodes.badToken);
      }
      const status = await participationStatus(deps.db, {
        dealId: documentName,
        companyId: context.companyId,
      });
      if (status !== 'accepted') throw new SyncRefusal(closeCodes.removed);
    },

    onLoadDocument: docFromProjection,

    async onUpdate({ documentName, update, origin, context }) {
      try {
        const { refused } = await applyLiveEdit(deps, context, {
          dealId: documentName,
          update,
          origin,
          notes,
        });
        return refused.length > 0 ? { denied: `update refused: ${describe(refused)}` } : {};
      } catch (error) {
        if (error instanceof NeedsResync) throw new SyncRefusal(closeCodes.resync);
        if (error instanceof DomainError && error.code === 'ValidationFailed')
          throw new UpdateDenied(error.message);
        if (
          error instanceof DomainError &&
          (error.code === 'NotFound' || error.code === 'Forbidden')
        )
          throw new SyncRefusal(closeCodes.removed);
        throw error;
      }
    },

    onSettle: (olderThanMs) => notes.settleDue(olderThanMs),
    onDestroy: () => notes.flush(),
  };
}

/** The token's principal; an expired token may reconnect with a fresh one, a bad one may not. */
async function verify(deps: HookDeps, token: string): Promise<Principal> {
  try {
    return await verifyAccessToken(deps, token);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'TokenExpired')
      throw new SyncRefusal(closeCodes.tokenExpired);
    if (error instanceof DomainError) throw new SyncRefusal(closeCodes.badToken);
    throw error;
  }
}
