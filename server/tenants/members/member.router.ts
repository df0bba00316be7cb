import { router } from '../../trpc/init.ts';
import { scopedProcedure } from '../../trpc/procedures.ts';
import {
  addMember,
  addMemberInput,
  disableMember,
  listCompanyMembers,
  memberIdInput,
  setMemberRole,
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
  disable: admin
    .input(memberIdInput)
    .mutation(({ ctx, input }) => disableMember(ctx.deps, ctx.principal, input)),
});
