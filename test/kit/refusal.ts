import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../server/api/app-router.ts';

/** Awaits a call that must be refused and returns the tRPC error; fails the test if it succeeded. */
export async function refusal(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}
