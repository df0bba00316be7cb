import { DomainError } from '../../core/domain-error.ts';

/** A deal's strong entity tag: its version, quoted. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an `If-Match` header names; undefined when absent. Raises ValidationFailed. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const found = /^\s*"(\d{1,15})"\s*$/.exec(header);
  if (!found) {
    throw new DomainError('ValidationFailed', 'If-Match must be one strong ETag, e.g. "3"', [
      { path: 'If-Match', message: 'one quoted version number, as the ETag header gave it' },
    ]);
  }
  return Number(found[1]);
}
