import { z } from 'zod';
import {
  apiClientSchema,
  createdClientSchema,
} from '../../../shared/tenancy/tenancy-view.schema.ts';
import { router } from '../../api/trpc/init.ts';
import { restRoute } from '../../api/trpc/meta.ts';
import { scopedProcedure } from '../../api/trpc/procedures.ts';
import {
  clientIdInput,
  createClient,
  createClientInput,
  listCompanyClients,
  revokeCompanyClient,
} from './api-client.service.ts';

const admin = scopedProcedure('company:admin');
const tags = ['api clients'];

export const clientsRouter = router({
  list: admin
    .meta(restRoute({ method: 'GET', path: '/clients', tags, summary: 'Your API clients' }))
    .input(z.strictObject({}).optional())
    .output(z.array(apiClientSchema))
    .query(({ ctx }) => listCompanyClients(ctx.deps, ctx.principal)),
  /** Returns the secret once; it is never shown again. */
  create: admin
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/clients',
          tags,
          summary: 'Create an API client with scopes; the answer holds its secret, once',
        },
        { created: true },
      ),
    )
    .input(createClientInput)
    .output(createdClientSchema)
    .mutation(({ ctx, input }) => createClient(ctx.deps, ctx.principal, input)),
  revoke: admin
    .meta(
      restRoute({
        method: 'POST',
        path: '/clients/{clientId}/revoke',
        tags,
        summary: 'Revoke an API client: its secret and tokens stop working',
      }),
    )
    .input(clientIdInput)
    .output(apiClientSchema)
    .mutation(({ ctx, input }) => revokeCompanyClient(ctx.deps, ctx.principal, input)),
});
