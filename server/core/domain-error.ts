import type { ErrorCode, FieldIssue } from '../../shared/errors/error-codes.ts';

/** The one error type services throw; it carries a stable code and, for bad input, the bad fields. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  /** Data the caller needs to recover, e.g. the current state with a 412. */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[], details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = issues;
    this.details = details;
  }
}

/** A non-participant asking for another company's object learns nothing: always "not found". */
export function notFound(what: string): DomainError {
  return new DomainError('NotFound', `${what} not found`);
}

/** 429: the wait goes out as `Retry-After` on every face, and in the body's `details`. */
export function rateLimited(what: string, retryAfterSeconds: number): DomainError {
  return new DomainError('RateLimited', `${what}; retry in ${retryAfterSeconds} s`, undefined, {
    retryAfterSeconds,
  });
}

/** The seconds a RateLimited error asks the caller to wait, if it is one. */
export function retryAfterOf(error: unknown): number | undefined {
  const cause = error instanceof DomainError ? error : (error as { cause?: unknown })?.cause;
  if (!(cause instanceof DomainError) || cause.code !== 'RateLimited') return undefined;
  const wait = (cause.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof wait === 'number' ? wait : undefined;
}
