import type { Command } from 'commander';
import { TRPCClientError } from '@trpc/client';
import { createTandemClient, type TandemClient } from '../sdk/tandem-client.ts';
import { CliError, exitCodes } from './exit-codes.ts';

/** Where the server is when no --url says: the same environment the server reads. */
export function serverUrl(env: NodeJS.ProcessEnv): string {
  return env.TANDEM_URL || env.TANDEM_PUBLIC_URL || `http://localhost:${env.PORT || 4100}`;
}

/** The server a remote subcommand talks to (`--url`, `TANDEM_URL`) with the caller's token (`TANDEM_TOKEN`). */
export function remoteClient(program: Command): TandemClient {
  const { url } = program.opts<{ url?: string }>();
  const token = process.env.TANDEM_TOKEN;
  if (!token)
    throw new CliError(
      'set TANDEM_TOKEN to an access token, e.g. TANDEM_TOKEN=$(npx tandem token --company <slug> --member <email>)',
      exitCodes.usage,
    );
  return createTandemClient({
    url: url ?? serverUrl(process.env),
    token,
  });
}

/** Runs a remote call, turning the server's refusal into the CLI's words and exit code. */
export async function remote<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = (error as TRPCClientError<never>).data as
        { code?: string; issues?: { path: string; message: string }[] } | undefined;
      const issues = (data?.issues ?? []).map((i) => `\n  ${i.path}: ${i.message}`).join('');
      if (!data)
        throw new CliError(
          `cannot reach the server: ${error.message} (is it running? --url / TANDEM_URL)`,
        );
      throw new CliError(
        `${error.message}${issues}`,
        data.code === 'ValidationFailed' ? exitCodes.usage : exitCodes.failed,
      );
    }
    throw error;
  }
}
