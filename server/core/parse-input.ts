import type { z } from 'zod';
import { DomainError } from './domain-error.ts';
import { schemaIssues } from './error-body.ts';
import {
  unpairedSurrogateMessage,
  unpairedSurrogatePath,
} from '../../shared/text/unpaired-surrogate.ts';

/** Validates input outside tRPC (CLI, REST, services) with the same error shape as the API. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = schemaIssues(result.error.issues);
  const first = issues[0];
  throw new DomainError(
    'ValidationFailed',
    first ? `invalid input: ${first.path}: ${first.message}` : 'invalid input',
    issues,
  );
}

/**
 * Raises ValidationFailed naming the first field whose text holds an unpaired surrogate: such text
 * cannot be stored as UTF-8 nor hashed as canonical JSON, so it is refused where it enters.
 */
export function assertWellFormedText(input: unknown): void {
  const path = unpairedSurrogatePath(input);
  if (path === undefined) return;
  throw new DomainError('ValidationFailed', `invalid input: ${path}: ${unpairedSurrogateMessage}`, [
    { path, message: unpairedSurrogateMessage },
  ]);
}
