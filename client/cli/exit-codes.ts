/** The CLI's exit codes, documented in `tandem --help` and the README. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** A failure the CLI reports in words, with what to do next, and no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failed,
  ) {
    super(message);
  }
}
