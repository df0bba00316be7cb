import { z } from 'zod';
import { memberSchema } from '../../../shared/tenancy/tenancy-view.schema.ts';
import { router } from '../../api/trpc/init.ts';
import { restRoute } from '../../api/trpc/meta.ts';
import { scopedProcedure } from '../../api/trpc/procedures.ts';
import {
  addMember,
  addMemberInput,
  disableMember,
  listCompanyMembers,
  memberIdInput,
  setMemberPassword,
  setMemberRole,
  setPasswordInput,
  setRoleInput,
} from './member.service.ts';

const admin = scopedProcedure('company:admin');
const tags = ['members'];
const one = '/members/{memberId}';

export const membersRouter = router({
  list: admin
    .meta(restRoute({ method: 'GET', path: '/members', tags, summary: "Your company's members" }))
    .input(z.strictObject({}).optional())
    .output(z.array(memberSchema))
    .query(({ ctx }) => listCompanyMembers(ctx.deps, ctx.principal)),
  add: admin
    .meta(
      restRoute(
        { method: 'POST', path: '/members', tags, summary: 'Add a member with a role' },
        { created: true },
      ),
    )
    .input(addMemberInput)
    .output(memberSchema)
    .mutation(({ ctx, input }) => addMember(ctx.deps, ctx.principal, input)),
  setRole: admin
    .meta(
      restRoute({ method: 'PUT', path: `${one}/role`, tags, summary: "Change a member's role" }),
    )
    .input(setRoleInput)
    .output(memberSchema)
    .mutation(({ ctx, input }) => setMemberRole(ctx.deps, ctx.principal, input)),
  /** An admin sets a member's web sign-in password (at least 12 characters). */
  setPassword: admin
    .meta(
      restRoute({
        method: 'PUT',
        path: `${one}/password`,
        tags,
        summary: "Set a member's web sign-in password (at least 12 characters)",
      }),
    )
    .input(setPasswordInput)
    .output(memberSchema)
    .mutation(({ ctx, input }) => setMemberPassword(ctx.deps, ctx.principal, input)),
  disable: admin
    .meta(
      restRoute({
        method: 'POST',
        path: `${one}/disable`,
        tags,
        summary: 'Disable a member: its tokens stop working',
      }),
    )
    .input(memberIdInput)
    .output(memberSchema)
    .mutation(({ ctx, input }) => disableMember(ctx.deps, ctx.principal, input)),
});
