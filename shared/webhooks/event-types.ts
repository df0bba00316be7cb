/**
 * Which ledger events an endpoint wants, as patterns: an exact type (`opportunity.updated`), every
 * type under a prefix (`opportunity.*`), or everything (`*`). The set of types is open: new ledger
 * event types reach endpoints whose patterns match them, with no change here.
 */
export const eventTypePattern = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => {
    if (p === '*') return true;
    if (p.endsWith('.*')) return type.startsWith(p.slice(0, -1));
    return p === type;
  });
}
