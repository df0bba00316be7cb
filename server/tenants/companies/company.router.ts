import { authedProcedure } from '../../api/trpc/procedures.ts';
import { router } from '../../api/trpc/init.ts';
import { notFound } from '../../core/domain-error.ts';
import { findMember } from '../members/member.repository.ts';
import { findCompany } from './company.repository.ts';
import { toCompany } from './company.service.ts';

export const companiesRouter = router({
  /** The caller's own company and who the caller is in it. */
  me: authedProcedure.query(async ({ ctx }) => {
    const row = await findCompany(ctx.deps.db, ctx.principal.companyId);
    if (!row) throw notFound('company');
    const { principal } = ctx;
    // A member's own name and email, so that the web app can say who is signed in.
    const member =
      principal.kind === 'member'
        ? await findMember(ctx.deps.db, principal, principal.id)
        : undefined;
    return {
      company: toCompany(row),
      principal: {
        kind: principal.kind,
        id: principal.id,
        scopes: [...principal.scopes].sort(),
        name: member?.name ?? null,
        email: member?.email ?? null,
      },
    };
  }),
});
