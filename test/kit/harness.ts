import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTandemClient, type TandemClient } from '../../client/sdk/tandem-client.ts';
import type { MemberRole, Scope } from '../../shared/tenancy/tenancy.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import type { SyncLimits } from '../../server/sync/sync-server.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/core/logger.ts';
import { createClient } from '../../server/tenants/clients/api-client.service.ts';
import { createCompany, type Company } from '../../server/tenants/companies/company.service.ts';
import { addMember } from '../../server/tenants/members/member.service.ts';
import { issueAccessToken } from '../../server/tenants/tokens/token-issuer.ts';
import { postgresFor, testStore } from './stores.ts';

/** A fresh data directory under the OS temp dir; removed by the caller's cleanup. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
}

export interface TestCompany extends Company {
  /** Adds a member with the role and returns a fresh token for it. */
  memberToken(role: MemberRole): Promise<string>;
  /** Creates an API client with the scopes and returns a fresh token for it. */
  clientToken(scopes: Scope[]): Promise<{ token: string; clientId: string; secret: string }>;
}

export interface TestServer extends RunningServer {
  url: string;
  dataDir: string;
  company(slug: string): Promise<TestCompany>;
  client(token?: string): TandemClient;
  stop(): Promise<void>;
}

/**
 * The real server on a random port, logging nothing, on the run's store: a real SQLite file in a
 * temp dir, or a fresh database of its own on the test PostgreSQL (TANDEM_TEST_STORE=postgres).
 */
export async function startTestServer(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    syncLimits?: Partial<SyncLimits>;
    notesEveryMs?: number;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const store = testStore() === 'postgres' ? await postgresFor(dataDir) : undefined;
  const config = loadConfig({
    ...store?.env,
    PORT: '0',
    TANDEM_DATA_DIR: dataDir,
    TANDEM_PUBLIC_URL: 'http://tandem.test',
    LOG_LEVEL: 'silent',
    // Test receivers listen on loopback.
    TANDEM_WEBHOOKS_ALLOW_PRIVATE: '1',
    ...options.env,
  });
  const running = await startServer(config, {
    // TEST_LOG=error (or any pino level) shows the server's log, e.g. what a 500 hid.
    logger: createLogger(process.env.TEST_LOG ?? 'silent'),
    syncLimits: options.syncLimits,
    notesEveryMs: options.notesEveryMs,
  });
  const url = `http://127.0.0.1:${running.port}`;
  const { deps } = running;
  let seq = 0;

  async function company(slug: string): Promise<TestCompany> {
    const created = await createCompany(deps, { slug, name: `${slug} Inc.` });
    const scope = { companyId: created.id };
    return {
      ...created,
      async memberToken(role) {
        const member = await addMember(deps, scope, {
          email: `${role}${++seq}@${slug}.test`,
          name: `${role} ${seq}`,
          role,
        });
        return (await issueAccessToken(deps, scope, { subject: member.id, ttlSeconds: 900 })).token;
      },
      async clientToken(scopes) {
        const { client, secret } = await createClient(deps, scope, {
          name: `client ${++seq}`,
          scopes,
        });
        const issued = await issueAccessToken(deps, scope, { subject: client.id, ttlSeconds: 900 });
        return { token: issued.token, clientId: client.id, secret };
      },
    };
  }

  return {
    ...running,
    url,
    dataDir,
    company,
    client: (token) => createTandemClient({ url, token }),
    async stop() {
      await running.close(1000);
      if (!options.dataDir) await store?.drop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
