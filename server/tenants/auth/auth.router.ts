import { publicProcedure, router } from '../../api/trpc/init.ts';
import { loginInput, passwordLogin } from './password-login.ts';

export const authRouter = router({
  /** Web sign-in with company, email and password: a member token (at most one hour). */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const issued = await passwordLogin(ctx.deps, { ...input, source: ctx.source });
    return { token: issued.token, expiresAt: issued.expiresAt };
  }),
});
