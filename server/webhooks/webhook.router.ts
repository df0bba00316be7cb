import { z } from 'zod';
import {
  createEndpointInput,
  deliveriesInput,
  endpointIdInput,
  replayInput,
  updateEndpointInput,
} from '../../shared/webhooks/webhook-input.ts';
import {
  deliveryPageSchema,
  endpointViewSchema,
} from '../../shared/webhooks/webhook-view.schema.ts';
import { DomainError } from '../core/domain-error.ts';
import { restRoute } from '../api/trpc/meta.ts';
import { router } from '../api/trpc/init.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import {
  createEndpoint,
  endpointDeliveries,
  listCompanyEndpoints,
  removeEndpoint,
  replayEndpoint,
  updateCompanyEndpoint,
} from './webhook.service.ts';

const tags = ['webhooks'];
const manage = scopedProcedure('webhooks:manage');
/** Pointing events somewhere is reading them: a caller must also be allowed to read deals. */
const send = manage.use(({ ctx, next }) => {
  if (!ctx.principal.scopes.has('opportunities:read'))
    throw new DomainError('Forbidden', 'this needs the opportunities:read permission');
  return next();
});

export const webhooksRouter = router({
  list: manage
    .meta(restRoute({ method: 'GET', path: '/webhooks', tags, summary: 'Your webhook endpoints' }))
    .input(z.strictObject({}).optional())
    .output(z.array(endpointViewSchema))
    .query(({ ctx }) => listCompanyEndpoints(ctx.deps, ctx.principal)),
  create: send
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/webhooks',
          tags,
          summary: 'Register an endpoint; it gets events from now on',
        },
        { created: true },
      ),
    )
    .input(createEndpointInput)
    .output(endpointViewSchema)
    .mutation(({ ctx, input }) => createEndpoint(ctx.deps, ctx.principal, input)),
  update: send
    .meta(
      restRoute({
        method: 'PATCH',
        path: '/webhooks/{id}',
        tags,
        summary: 'Change the URL, event types or status (active resumes a failing endpoint)',
      }),
    )
    .input(updateEndpointInput)
    .output(endpointViewSchema)
    .mutation(({ ctx, input }) => updateCompanyEndpoint(ctx.deps, ctx.principal, input)),
  remove: manage
    .meta(
      restRoute({ method: 'DELETE', path: '/webhooks/{id}', tags, summary: 'Delete an endpoint' }),
    )
    .input(endpointIdInput)
    .output(z.object({ removed: z.string() }))
    .mutation(({ ctx, input }) => removeEndpoint(ctx.deps, ctx.principal, input)),
  replay: send
    .meta(
      restRoute({
        method: 'POST',
        path: '/webhooks/{id}/replay',
        tags,
        summary: 'Redeliver every event after a cursor, exactly as the change feed gives them',
      }),
    )
    .input(replayInput)
    .output(endpointViewSchema)
    .mutation(({ ctx, input }) => replayEndpoint(ctx.deps, ctx.principal, input)),
  deliveries: manage
    .meta(
      restRoute(
        {
          method: 'GET',
          path: '/webhooks/{id}/deliveries',
          tags,
          summary: 'The delivery log: status, attempts, latency, last error',
        },
        { page: { cursor: 'before', next: 'nextBefore' } },
      ),
    )
    .input(deliveriesInput)
    .output(deliveryPageSchema)
    .query(({ ctx, input }) => endpointDeliveries(ctx.deps, ctx.principal, input)),
});
