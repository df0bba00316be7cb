import { accountsRouter } from '../accounts/account.router.ts';
import { attributionRouter } from '../attribution/attribution.router.ts';
import { idealPartnersRouter } from '../insights/ideal-partners.router.ts';
import { programHealthRouter } from '../insights/program-health.router.ts';
import { partnerProfilesRouter } from '../insights/partner-profile.router.ts';
import { pipelineRouter } from '../insights/pipeline.router.ts';
import { ledgerRouter } from '../ledger/ledger.router.ts';
import { opportunitiesRouter } from '../opportunities/opportunity.router.ts';
import { stepsRouter } from '../plan/step.router.ts';
import { authRouter } from '../tenants/auth/auth.router.ts';
import { clientsRouter } from '../tenants/clients/api-client.router.ts';
import { companiesRouter } from '../tenants/companies/company.router.ts';
import { keysRouter } from '../tenants/keys/key.router.ts';
import { membersRouter } from '../tenants/members/member.router.ts';
import { partnershipsRouter } from '../tenants/partnerships/partnership.router.ts';
import { tokensRouter } from '../tenants/tokens/token.router.ts';
import { transparencyRouter } from '../transparency/transparency.router.ts';
import { webhooksRouter } from '../webhooks/webhook.router.ts';
import { publicProcedure, router } from './trpc/init.ts';

export const appRouter = router({
  /** Liveness over tRPC for clients that only speak tRPC; `GET /healthz` is the operator's probe. */
  health: publicProcedure.query(() => ({ status: 'ok' as const })),
  auth: authRouter,
  companies: companiesRouter,
  members: membersRouter,
  clients: clientsRouter,
  keys: keysRouter,
  tokens: tokensRouter,
  partnerships: partnershipsRouter,
  opportunities: opportunitiesRouter,
  steps: stepsRouter,
  ledger: ledgerRouter,
  attribution: attributionRouter,
  accounts: accountsRouter,
  webhooks: webhooksRouter,
  idealPartners: idealPartnersRouter,
  programHealth: programHealthRouter,
  partnerProfiles: partnerProfilesRouter,
  pipeline: pipelineRouter,
  transparency: transparencyRouter,
});

export type AppRouter = typeof appRouter;
