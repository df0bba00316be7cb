/**
 * Every machine-readable error code a Tandem client can receive, on tRPC, REST and the CLI.
 * Adding a code here fails the build until its HTTP status is mapped in `server/core/error-status.ts`.
 */
export const errorCodes = [
  'ValidationFailed',
  'TokenMissing',
  'TokenInvalid',
  'TokenExpired',
  'CredentialsInvalid',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'InvalidState',
  'PreconditionFailed',
  'IdempotencyKeyReused',
  'IdempotencyKeyInFlight',
  'PayloadTooLarge',
  'RateLimited',
  'Unavailable',
  'Internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** One bad field of an input: `path` is dotted (`customer.domain`, `splits.1.bps`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The body every failed REST request returns, and the `data` of a failed tRPC call. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  /** Data to recover with, e.g. the current state of a resource after a stale write (412). */
  details?: unknown;
  requestId?: string;
}
