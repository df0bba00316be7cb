import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { partners, vendor } from './demo-world.ts';
import type { AppDeps } from '../deps.ts';
import { DomainError, notFound } from '../core/domain-error.ts';
import { parseInput } from '../core/parse-input.ts';
import { mintToken } from '../tenants/tokens/mint-token.ts';
import { readBody, sendJson } from '../api/json-io.ts';
import { findCompany } from '../tenants/companies/company.repository.ts';
import { listMembers } from '../tenants/members/member.repository.ts';
import { maxTokenTtlSeconds } from '../tenants/tokens/token-claims.ts';

/**
 * Demo sign-in for the web app, mounted only when the server runs with the demo on: a picker
 * of the demo's companies and members, and a token for the one picked. Only the demo's own
 * companies (by slug) and their `@<slug>.example` members qualify, so a deployment's real
 * tenants can never be signed into this way.
 */
export const demoBase = '/api/demo';

const demoCompanies = [vendor, ...partners].map((c) => c.slug);
const tokenInput = z.strictObject({ company: z.enum(demoCompanies), email: z.email() });

async function demoMembers(deps: AppDeps, slug: string) {
  const company = await findCompany(deps.db, slug);
  if (!company || company.slug !== slug) return undefined;
  const members = (await listMembers(deps.db, { companyId: company.id })).filter(
    (m) => m.email.endsWith(`@${slug}.example`) && m.disabled_at === null,
  );
  return { company, members };
}

async function listDemo(deps: AppDeps) {
  const out = [];
  for (const slug of demoCompanies) {
    const found = await demoMembers(deps, slug);
    if (!found || found.members.length === 0) continue;
    out.push({
      slug,
      name: found.company.name,
      members: found.members.map((m) => ({ email: m.email, name: m.name, role: m.role })),
    });
  }
  return out;
}

/** `GET /api/demo/members` and `POST /api/demo/token`; false for any other path. */
export async function demoRoute(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (path === `${demoBase}/members` && req.method === 'GET') {
    sendJson(res, 200, { companies: await listDemo(deps) }, { 'cache-control': 'no-store' });
    return true;
  }
  if (path === `${demoBase}/token` && req.method === 'POST') {
    const { company, email } = parseInput(tokenInput, await readBody(req, 4096));
    const found = await demoMembers(deps, company);
    const member = found?.members.find((m) => m.email === email.toLowerCase());
    if (!member) throw notFound(`demo member ${email}`);
    const issued = await mintToken(deps, {
      company,
      member: member.email,
      ttlSeconds: maxTokenTtlSeconds,
    });
    sendJson(
      res,
      200,
      { token: issued.token, expiresAt: issued.expiresAt },
      { 'cache-control': 'no-store' },
    );
    return true;
  }
  if (path.startsWith(`${demoBase}/`)) throw new DomainError('NotFound', `${req.method} ${path}`);
  return false;
}
