import type { z } from 'zod';
import { DomainError } from './domain-error.ts';
import { schemaIssues } from './error-body.ts';

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
