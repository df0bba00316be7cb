import { CommanderError } from 'commander';
import { CliError, exitCodes } from './exit-codes.ts';

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  issues?: { path: string; message: string }[];
}

/** Everything ends here: a message that says what to do, an exit code, never a stack trace. */
export function fail(error: unknown): never {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? exitCodes.ok : exitCodes.usage);
  }
  if (error instanceof CliError) {
    process.stderr.write(`tandem: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  // Matched by name: the server's error classes stay out of the client's imports.
  const e = (error ?? {}) as ErrorLike;
  if (['DomainError', 'ConfigError', 'MasterKeyError', 'MigrationError'].includes(e.name ?? '')) {
    process.stderr.write(`tandem: ${e.message}\n`);
    for (const issue of e.issues ?? []) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    process.exit(e.code === 'ValidationFailed' ? exitCodes.usage : exitCodes.failed);
  }
  process.stderr.write(
    `tandem: unexpected failure: ${e.message ?? String(error)}\n(run with LOG_LEVEL=debug for details)\n`,
  );
  process.exit(exitCodes.failed);
}
