import { router } from '../../api/trpc/init.ts';
import { scopedProcedure } from '../../api/trpc/procedures.ts';
import {
  clientIdInput,
  createClient,
  createClientInput,
  listCompanyClients,
  revokeCompanyClient,
} from './api-client.service.ts';

const admin = scopedProcedure('company:admin');

export const clientsRouter = router({
  list: admin.query(({ ctx }) => listCompanyClients(ctx.deps, ctx.principal)),
  /** Returns the secret once; it is never shown again. */
  create: admin
    .input(createClientInput)
    .mutation(({ ctx, input }) => createClient(ctx.deps, ctx.principal, input)),
  revoke: admin
    .input(clientIdInput)
    .mutation(({ ctx, input }) => revokeCompanyClient(ctx.deps, ctx.principal, input)),
});
