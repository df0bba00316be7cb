import { StandardSchemaV1Error, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { ErrorBody, ErrorCode, FieldIssue } from '../../shared/errors/error-codes.ts';
import { DomainError } from './domain-error.ts';

type PathSegment = PropertyKey | { key: PropertyKey };

/** `['splits', 1, 'bps']` → `splits.1.bps`; the root itself is `(root)`. */
export function fieldPath(path: readonly PathSegment[] | undefined): string {
  if (!path || path.length === 0) return '(root)';
  return path.map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.');
}

type SchemaIssue = {
  message: string;
  path?: readonly PathSegment[];
  code?: string;
  keys?: readonly string[];
};

/** One field issue per bad field; zod reports unknown keys once at the parent, so they are split out. */
export function schemaIssues(issues: readonly SchemaIssue[]): FieldIssue[] {
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.keys?.length
      ? i.keys.map((key) => ({
          path: fieldPath([...(i.path ?? []), key]),
          message: 'unknown field',
        }))
      : [{ path: fieldPath(i.path), message: i.message }],
  );
}

const fromTrpcCode: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: 'ValidationFailed',
  BAD_REQUEST: 'ValidationFailed',
  UNAUTHORIZED: 'TokenInvalid',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'NotFound',
  METHOD_NOT_SUPPORTED: 'ValidationFailed',
  CONFLICT: 'Conflict',
  PAYLOAD_TOO_LARGE: 'PayloadTooLarge',
  PRECONDITION_FAILED: 'PreconditionFailed',
  TOO_MANY_REQUESTS: 'RateLimited',
  UNSUPPORTED_MEDIA_TYPE: 'ValidationFailed',
};

/**
 * Turns anything thrown into the public error body. Only domain errors and input validation
 * keep their message; anything else becomes a bare `Internal`, so no stack, SQL or library
 * message ever reaches a client.
 */
export function toErrorBody(error: unknown): ErrorBody {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (cause instanceof DomainError) {
    return {
      code: cause.code,
      message: cause.message,
      ...(cause.issues ? { issues: cause.issues } : {}),
      ...(cause.details !== undefined ? { details: cause.details } : {}),
    };
  }
  // A schema failure is the caller's fault only on input; on output it is ours (500, below).
  const onInput = !(error instanceof TRPCError) || error.code === 'BAD_REQUEST';
  if (onInput && (cause instanceof ZodError || cause instanceof StandardSchemaV1Error)) {
    const issues = schemaIssues(cause.issues as readonly SchemaIssue[]);
    const first = issues[0];
    const message = first ? `invalid input: ${first.path}: ${first.message}` : 'invalid input';
    return { code: 'ValidationFailed', message, issues };
  }
  // Input that is not JSON at all: the root is the bad field, as the REST face says.
  if (
    error instanceof TRPCError &&
    (error.code === 'PARSE_ERROR' || cause instanceof SyntaxError)
  ) {
    return {
      code: 'ValidationFailed',
      message: 'the input is not valid JSON',
      issues: [{ path: fieldPath([]), message: 'not valid JSON' }],
    };
  }
  if (error instanceof TRPCError) {
    const code = fromTrpcCode[error.code];
    if (code) return { code, message: error.message };
  }
  return { code: 'Internal', message: 'internal error; the server log has the details' };
}
