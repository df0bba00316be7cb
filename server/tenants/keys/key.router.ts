import { z } from 'zod';
import { jwksSchema, keyInfoSchema } from '../../../shared/tenancy/tenancy-view.schema.ts';
import { publicProcedure, router } from '../../api/trpc/init.ts';
import { restRoute } from '../../api/trpc/meta.ts';
import { scopedProcedure } from '../../api/trpc/procedures.ts';
import { companyJwks } from './company-jwks.ts';

const admin = scopedProcedure('company:admin');
const tags = ['keys'];
const purpose = z.enum(['access', 'attestation']);
const publicJwk = z.looseObject({
  kty: z.string(),
  crv: z.string(),
  x: z.string(),
  y: z.string().optional(),
});

export const keysRouter = router({
  list: admin
    .meta(
      restRoute({
        method: 'GET',
        path: '/keys',
        tags,
        summary: "Your company's signing keys (public parts), retired ones too",
      }),
    )
    .input(z.strictObject({}).optional())
    .output(z.array(keyInfoSchema))
    .query(({ ctx }) => ctx.deps.keyRing.list(ctx.deps.db, ctx.principal)),
  rotate: admin
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/keys',
          tags,
          summary: 'Rotate: a new managed key signs from now on; older ones verify until retired',
        },
        { created: true },
      ),
    )
    .input(z.strictObject({ purpose }))
    .output(keyInfoSchema)
    .mutation(({ ctx, input }) =>
      ctx.deps.keyRing.rotate(ctx.deps.db, ctx.principal, input.purpose),
    ),
  retire: admin
    .meta(
      restRoute({
        method: 'POST',
        path: '/keys/{kid}/retire',
        tags,
        summary: 'Retire a key: what it signed no longer verifies',
      }),
    )
    .input(z.strictObject({ kid: z.string().min(1) }))
    .output(keyInfoSchema)
    .mutation(({ ctx, input }) => ctx.deps.keyRing.retire(ctx.deps.db, ctx.principal, input.kid)),
  /** Registers a public key the company's own backend signs tokens (or attestations) with. */
  registerExternal: admin
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/keys/external',
          tags,
          summary: 'Register a public key your own backend signs tokens or attestations with',
        },
        { created: true },
      ),
    )
    .input(z.strictObject({ jwk: publicJwk, purpose: purpose.default('access') }))
    .output(keyInfoSchema)
    .mutation(({ ctx, input }) =>
      ctx.deps.keyRing.registerExternal(ctx.deps.db, ctx.principal, input),
    ),
  /** Anyone may fetch a company's public keys to verify its tokens and signatures offline. */
  jwks: publicProcedure
    .meta(
      restRoute(
        {
          method: 'GET',
          path: '/companies/{companyId}/jwks',
          tags,
          summary: "A company's public keys (JWKS), no token needed",
          description: 'The same set as `/companies/{companyId}/.well-known/jwks.json`.',
        },
        { public: true },
      ),
    )
    .input(z.strictObject({ companyId: z.string().min(1).max(100) }))
    .output(jwksSchema)
    .query(({ ctx, input }) => companyJwks(ctx.deps, input.companyId)),
});
