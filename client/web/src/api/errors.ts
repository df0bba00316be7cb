import { TRPCClientError } from '@trpc/client';
import type { ErrorCode, FieldIssue } from '../../../../shared/errors/error-codes.ts';

/** An error as the app shows it: what happened, in words a person understands. */
export interface Problem {
  code: ErrorCode | 'Network';
  message: string;
  issues: FieldIssue[];
}

const sessionCodes: readonly string[] = ['TokenMissing', 'TokenInvalid', 'TokenExpired'];

export function isSessionProblem(problem: Problem): boolean {
  return sessionCodes.includes(problem.code);
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return t[0]!.toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
}

function wordsFor(code: Problem['code'], serverMessage: string): string {
  switch (code) {
    case 'Network':
      return 'The Tandem server cannot be reached. Check your connection and try again.';
    case 'TokenMissing':
    case 'TokenInvalid':
      return 'Your sign-in is no longer valid. Please sign in again.';
    case 'TokenExpired':
      return 'Your session has ended. Please sign in again.';
    case 'CredentialsInvalid':
      return 'The company, email or password is not right.';
    case 'Forbidden':
      return `Your role does not allow this: ${serverMessage}`;
    case 'NotFound':
      return 'This was not found, or it is not shared with your company.';
    case 'ValidationFailed':
      return 'Some of what you entered needs a fix.';
    case 'PreconditionFailed':
    case 'Conflict':
      return `Someone changed this meanwhile; the page now shows the latest. ${sentence(serverMessage)}`;
    case 'RateLimited':
      return `Too many requests in a short time. ${sentence(serverMessage)}`;
    case 'Unavailable':
    case 'Internal':
      return 'Something went wrong on the server. Try again in a moment.';
    case 'AlreadyExists':
    case 'InvalidState':
    case 'IdempotencyKeyReused':
    case 'IdempotencyKeyInFlight':
    case 'PayloadTooLarge':
      return sentence(serverMessage);
  }
}

interface ErrorData {
  code?: ErrorCode;
  issues?: FieldIssue[];
}

/** Any thrown value → a Problem. */
export function toProblem(error: unknown): Problem {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    if (!data.code) return { code: 'Network', message: wordsFor('Network', ''), issues: [] };
    return {
      code: data.code,
      message: wordsFor(data.code, error.message),
      issues: data.issues ?? [],
    };
  }
  if (error instanceof ApiError) return error.problem;
  if (error instanceof TypeError)
    return { code: 'Network', message: wordsFor('Network', ''), issues: [] };
  return {
    code: 'Internal',
    message: error instanceof Error ? sentence(error.message) : 'Something went wrong.',
    issues: [],
  };
}

/** A failed plain-HTTP call (REST or demo endpoints), carrying the server's error body. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(body: { code?: ErrorCode; message?: string; issues?: FieldIssue[] } | undefined) {
    const code = body?.code ?? 'Internal';
    super(body?.message ?? code);
    this.problem = {
      code,
      message: wordsFor(code, body?.message ?? ''),
      issues: body?.issues ?? [],
    };
  }
}

/** A field issue's path in words: `customer.domain` → `customer domain`. */
export function issueText(issue: FieldIssue): string {
  return `${issue.path
    .replace(/\./g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()}: ${issue.message}`;
}
