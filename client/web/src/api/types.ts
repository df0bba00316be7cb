import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/api/app-router.ts';

/** What the procedures answer and take, from the AppRouter type (the only server import). */
export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
export type Partnership = Outputs['partnerships']['list'][number];
export type DealDetail = Outputs['opportunities']['get'];
export type Attribution = Outputs['attribution']['get'];
