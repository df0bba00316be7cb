import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { ErrorCode } from '../../shared/errors/error-codes.ts';

interface Status {
  http: number;
  trpc: TRPC_ERROR_CODE_KEY;
}

/** The only place a code meets a transport status; a code missing here fails to compile. */
export const errorStatus = {
  ValidationFailed: { http: 400, trpc: 'BAD_REQUEST' },
  TokenMissing: { http: 401, trpc: 'UNAUTHORIZED' },
  TokenInvalid: { http: 401, trpc: 'UNAUTHORIZED' },
  TokenExpired: { http: 401, trpc: 'UNAUTHORIZED' },
  CredentialsInvalid: { http: 401, trpc: 'UNAUTHORIZED' },
  Forbidden: { http: 403, trpc: 'FORBIDDEN' },
  NotFound: { http: 404, trpc: 'NOT_FOUND' },
  AlreadyExists: { http: 409, trpc: 'CONFLICT' },
  Conflict: { http: 409, trpc: 'CONFLICT' },
  InvalidState: { http: 409, trpc: 'CONFLICT' },
  PreconditionFailed: { http: 412, trpc: 'PRECONDITION_FAILED' },
  IdempotencyKeyReused: { http: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  IdempotencyKeyInFlight: { http: 409, trpc: 'CONFLICT' },
  PayloadTooLarge: { http: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  RateLimited: { http: 429, trpc: 'TOO_MANY_REQUESTS' },
  Unavailable: { http: 503, trpc: 'SERVICE_UNAVAILABLE' },
  Internal: { http: 500, trpc: 'INTERNAL_SERVER_ERROR' },
} as const satisfies Record<ErrorCode, Status>;
