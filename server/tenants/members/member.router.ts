import { router } from '../../api/trpc/init.ts';
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

export const membersRouter = router({
  list: admin.query(({ ctx }) => listCompanyMembers(ctx.deps, ctx.principal)),
  add: admin
    .input(addMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.deps, ctx.principal, input)),
  setRole: admin
    .input(setRoleInput)
    .mutation(({ ctx, input }) => setMemberRole(ctx.deps, ctx.principal, input)),
  /** An admin sets a member's web sign-in password (at least 12 characters). */
  setPassword: admin
    .input(setPasswordInput)
    .mutation(({ ctx, input }) => setMemberPassword(ctx.deps, ctx.principal, input)),
  disable: admin
    .input(memberIdInput)
    .mutation(({ ctx, input }) => disableMember(ctx.deps, ctx.principal, input)),
});
