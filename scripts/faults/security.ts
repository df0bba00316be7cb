import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The project's own attack suites, by class: each test is one attack (or one family of them, for
 * the property tests) that the server must refuse. Run through vitest's JSON reporter, so the
 * table counts what really ran and passed.
 */
export const securitySuites: Record<string, { what: string; files: string[] }> = {
  tokens: {
    what: 'forged, expired, revoked, cross-company and key-carrying tokens; credential guessing',
    files: ['server/tenants/tokens/token-attacks.test.ts', 'server/api/rest/token.route.test.ts'],
  },
  tenancy: {
    what: "every procedure, REST operation and MCP tool with another company's, a declined partner's and a removed member's ids and tokens; roles",
    files: [
      'test/cross-tenant.test.ts',
      'test/tenancy-matrix.test.ts',
      'test/roles.test.ts',
      'test/mcp-tenancy.test.ts',
    ],
  },
  replay: {
    what: 'Idempotency-Key replays across principals, scopes withdrawn, concurrent keys',
    files: ['server/api/rest/idempotency.test.ts', 'server/api/rest/idempotency-keys.test.ts'],
  },
  input: {
    what: 'unpaired surrogates, bad bodies, bad documents over the socket',
    files: [
      'shared/text/unpaired-surrogate.test.ts',
      'server/api/rest/rest-errors.test.ts',
      'server/api/trpc/trpc-errors.test.ts',
      'shared/sync/doc-validation.test.ts',
      'test/deal-room-gate.test.ts',
    ],
  },
  availability: {
    what: 'a write waiting on itself, every keyed REST write, write budgets over all faces, batch caps, password spraying',
    files: [
      'server/store/sqlite/group-commit.test.ts',
      'server/api/rest/idempotent-writes.test.ts',
      'test/rate-limits.test.ts',
      'server/tenants/auth/password-login.test.ts',
    ],
  },
  disclosure: {
    what: 'account-overlap membership oracle, company directory by invitation, global ledger positions',
    files: [
      'test/side-channels.test.ts',
      'server/accounts/overlap-oracle.test.ts',
      'server/accounts/account.service.test.ts',
      'server/tenants/partnerships/partnership.service.test.ts',
    ],
  },
};

export interface SecurityClass {
  name: string;
  what: string;
  tried: number;
  refused: number;
  failures: string[];
}

interface VitestJson {
  testResults: {
    name: string;
    assertionResults: { status: string; fullName: string }[];
  }[];
}

export function securityRun(root: string): SecurityClass[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-security-')), 'r.json');
  const files = Object.values(securitySuites).flatMap((s) => s.files);
  spawnSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${out}`, ...files], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as VitestJson;
  return Object.entries(securitySuites).map(([name, suite]) => {
    const tests = report.testResults
      .filter((r) => suite.files.some((f) => r.name.endsWith(f)))
      .flatMap((r) => r.assertionResults);
    return {
      name,
      what: suite.what,
      tried: tests.length,
      refused: tests.filter((t) => t.status === 'passed').length,
      failures: tests.filter((t) => t.status !== 'passed').map((t) => t.fullName),
    };
  });
}
