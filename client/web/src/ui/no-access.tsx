import { memberRoles, roleScopes } from '../../../../shared/tenancy/tenancy.ts';
import { useApp } from '../app-context.tsx';
import { Link } from './router.tsx';

/** The member roles whose scopes include `scope` (shared/tenancy/tenancy.ts holds the rules). */
export function rolesWith(scope: string): string[] {
  return memberRoles.filter((r) => (roleScopes[r] as readonly string[]).includes(scope));
}

/** The role whose scopes are exactly these, if any (a member holds its role's scopes). */
export function roleOf(scopes: readonly string[]): string | undefined {
  const held = new Set(scopes);
  return memberRoles.find(
    (r) => roleScopes[r].length === held.size && roleScopes[r].every((s) => held.has(s)),
  );
}

const list = (xs: string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;

/**
 * What a member sees on a page their role cannot use (an address typed or followed from elsewhere):
 * which roles can, and whom to ask; not the server's refusal.
 */
export function NoAccess({ page, scope }: { page: string; scope: string }) {
  const { me } = useApp();
  const roles = rolesWith(scope);
  const role = roleOf(me.principal.scopes);
  const client = me.principal.kind === 'client';
  return (
    <section aria-labelledby="no-access-title" className="card" data-testid="no-access">
      <h1 id="no-access-title">{page}</h1>
      <p role="alert">
        {client
          ? `This API client cannot use the ${page} page: it needs the ${scope} permission.`
          : `Your role${role ? ` (${role})` : ''} cannot use the ${page} page. It is for ${list(roles)} members.`}
      </p>
      <p>
        {client
          ? `Ask an admin of ${me.company.name} to create a client with ${scope}, or sign in as a member.`
          : `If you need it, ask an admin of ${me.company.name} to give you one of those roles.`}
      </p>
      <p>
        <Link to="/pipeline">Back to the pipeline</Link>
      </p>
    </section>
  );
}
