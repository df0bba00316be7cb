import { authedProcedure } from '../../trpc/procedures.ts';
import { router } from '../../trpc/init.ts';
import { notFound } from '../../core/domain-error.ts';
import { findCompany } from './company.repository.ts';
import { toCompany } from './company.service.ts';

export const companiesRouter = router({
  /** The caller's own company and who the caller is in it. */
  me: authedProcedure.query(async ({ ctx }) => {
    const row = await findCompany(ctx.deps.db, ctx.principal.companyId);
    if (!row) throw notFound('company');
    const { principal } = ctx;
    return {
      company: toCompany(row),
      principal: { kind: principal.kind, id: principal.id, scopes: [...principal.scopes].sort() },
    };
  }),
});
