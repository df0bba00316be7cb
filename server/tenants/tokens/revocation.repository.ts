import type { Executor } from '../../store/db.ts';
import type { CompanyScope } from '../principal.ts';

/** Idempotent: revoking a revoked jti again changes nothing. */
export async function insertRevocation(
  db: Executor,
  scope: CompanyScope,
  input: { issuer: string; jti: string; expiresAt: string; revokedAt: string },
): Promise<void> {
  await db
    .insertInto('revoked_tokens')
    .values({
      issuer: input.issuer,
      jti: input.jti,
      company_id: scope.companyId,
      expires_at: input.expiresAt,
      revoked_at: input.revokedAt,
    })
    .onConflict((oc) => oc.columns(['issuer', 'jti']).doNothing())
    .execute();
}

export async function isRevoked(
  db: Executor,
  input: { issuer: string; jti: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('revoked_tokens')
    .select('jti')
    .where('issuer', '=', input.issuer)
    .where('jti', '=', input.jti)
    .executeTakeFirst();
  return row !== undefined;
}

/** Entries whose tokens have expired can go: an expired token is refused anyway. */
export async function deleteExpiredRevocations(db: Executor, now: string): Promise<number> {
  const result = await db
    .deleteFrom('revoked_tokens')
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
