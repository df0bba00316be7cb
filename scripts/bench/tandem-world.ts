import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDeps } from '../../server/main.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/core/logger.ts';
import { createCompany } from '../../server/tenants/companies/company.service.ts';
import { addMember } from '../../server/tenants/members/member.service.ts';
import { issueAccessToken } from '../../server/tenants/tokens/token-issuer.ts';
import { root, startProcess } from './processes.ts';

const publicUrl = 'http://tandem.bench';

/** Runs the real `tandem` CLI on a data directory and returns what it printed. */
export function tandemCli(args: string[], env: Record<string, string>): string {
  const out = spawnSync(process.execPath, [path.join(root, 'client/cli/tandem.js'), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`tandem ${args.join(' ')} failed: ${out.stderr}`);
  return out.stdout.trim();
}

/** Calls the server over HTTP with a bearer token; throws on anything but 2xx. */
export async function call<T>(
  url: string,
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * Two partner companies on a fresh data directory, each with an admin token (1 h), made through
 * the services in this process (what `tandem company create` and `tandem token` do, without
 * paying a CLI start-up each); the database is closed again before a server opens it. `store`:
 * the environment naming another store (TANDEM_DATABASE_URL of a fresh PostgreSQL database).
 */
export async function prepareWorld(dataDir?: string, store: Record<string, string> = {}) {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-'));
  const env = {
    ...store,
    TANDEM_DATA_DIR: dir,
    TANDEM_PUBLIC_URL: publicUrl,
    TANDEM_RATE_LIMIT_PER_MIN: '0',
    TANDEM_DEMO: '0',
    LOG_LEVEL: 'warn',
  };
  const deps = await openDeps(loadConfig(env), { logger: createLogger('silent') });
  const tokens: Record<string, string> = {};
  try {
    for (const slug of ['acme', 'globex']) {
      const company = await createCompany(deps, { slug, name: slug });
      const scope = { companyId: company.id };
      const admin = await addMember(deps, scope, {
        email: `admin@${slug}.example`,
        name: `${slug} admin`,
        role: 'admin',
      });
      tokens[slug] = (
        await issueAccessToken(deps, scope, { subject: admin.id, ttlSeconds: 3600 })
      ).token;
    }
  } finally {
    await deps.db.destroy();
  }
  return {
    dataDir: dir,
    env,
    tokens: { acme: tokens.acme!, globex: tokens.globex! },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export type World = Awaited<ReturnType<typeof prepareWorld>>;

/** Starts the Tandem server (own process) on the world's data directory, room limits from `limits`. */
export async function startTandem(world: World, limits: Record<string, string> = {}) {
  const server = await startProcess('scripts/bench/tandem-sync-server.ts', {
    ...world.env,
    ...limits,
  });
  return { ...server, url: `http://127.0.0.1:${server.port}` };
}

/** acme invites globex and globex accepts. */
export async function partner(url: string, world: World): Promise<void> {
  const invited = await call<{ result: { data: { id: string } } }>(
    url,
    world.tokens.acme,
    'POST',
    '/trpc/partnerships.invite',
    { partner: 'globex', partnerType: 'reseller' },
  );
  await call(url, world.tokens.globex, 'POST', '/trpc/partnerships.accept', {
    partnershipId: invited.result.data.id,
  });
}

/** `count` deals of acme (shared with globex and accepted, if `shared`); their ids. */
export async function createDeals(
  url: string,
  world: World,
  input: { count: number; prefix: string; shared: boolean },
): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < input.count; from += 500) {
    const items = Array.from({ length: Math.min(500, input.count - from) }, (_, k) => ({
      externalRef: `${input.prefix}-${from + k}`,
      fields: {
        title: `${input.prefix} deal ${from + k}`,
        customer: { name: `Customer ${from + k}` },
        amountMinor: 100_000,
        currency: 'EUR',
      },
      shareWith: input.shared ? [{ partner: 'globex', role: 'co_seller' }] : [],
    }));
    const answer = await call<{ results: { id: string }[] }>(
      url,
      world.tokens.acme,
      'POST',
      '/api/v1/opportunities/batch',
      { items },
    );
    ids.push(...answer.results.map((r) => r.id));
  }
  if (input.shared) {
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids
          .slice(i, i + 8)
          .map((id) =>
            call(url, world.tokens.globex, 'POST', `/api/v1/opportunities/${id}/accept`, {}),
          ),
      );
    }
  }
  return ids;
}

/** Resident memory of a process, from /proc (Linux), in MiB. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
