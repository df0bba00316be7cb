import { CliError, exitCodes } from '../../../client/cli/exit-codes.ts';

/** Reads a secret piped on stdin (never from argv, where `ps` and shell history would keep it). */
export async function readSecretFromStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliError(
      'pipe the password on stdin, e.g. `printf %s "$PW" | tandem …`',
      exitCodes.usage,
    );
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
