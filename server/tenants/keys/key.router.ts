import { z } from 'zod';
import { router } from '../../api/trpc/init.ts';
import { scopedProcedure } from '../../api/trpc/procedures.ts';

const admin = scopedProcedure('company:admin');
const purpose = z.enum(['access', 'attestation']);
const publicJwk = z.looseObject({
  kty: z.string(),
  crv: z.string(),
  x: z.string(),
  y: z.string().optional(),
});

export const keysRouter = router({
  list: admin.query(({ ctx }) => ctx.deps.keyRing.list(ctx.deps.db, ctx.principal)),
  rotate: admin
    .input(z.strictObject({ purpose }))
    .mutation(({ ctx, input }) =>
      ctx.deps.keyRing.rotate(ctx.deps.db, ctx.principal, input.purpose),
    ),
  retire: admin
    .input(z.strictObject({ kid: z.string().min(1) }))
    .mutation(({ ctx, input }) => ctx.deps.keyRing.retire(ctx.deps.db, ctx.principal, input.kid)),
  /** Registers a public key the company's own backend signs tokens (or attestations) with. */
  registerExternal: admin
    .input(z.strictObject({ jwk: publicJwk, purpose: purpose.default('access') }))
    .mutation(({ ctx, input }) =>
      ctx.deps.keyRing.registerExternal(ctx.deps.db, ctx.principal, input),
    ),
});
