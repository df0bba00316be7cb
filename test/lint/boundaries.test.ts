import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rules of eslint.boundaries.js, run through the project's own ESLint config on
 * files that break them. Type-aware parsing is switched off for these virtual files (they are in
 * no tsconfig); the import rules need no types.
 */
const root = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        '@typescript-eslint/switch-exhaustiveness-check': 'off',
        '@typescript-eslint/no-floating-promises': 'off',
      },
    },
  });
});

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

const cases: { rule: string; file: string; code: string; says: string }[] = [
  {
    rule: 'shared imports nothing of ours outside shared',
    file: 'shared/opportunities/fixture.ts',
    code: "import { DomainError } from '../../server/core/domain-error.ts';\nexport const e = DomainError;\n",
    says: 'shared/ is pure',
  },
  {
    rule: 'shared runs in the browser',
    file: 'shared/money/fixture.ts',
    code: "import fs from 'node:fs';\nexport const f = fs;\n",
    says: 'no node:* imports',
  },
  {
    rule: 'sync imports no domain folder',
    file: 'server/sync/fixture.ts',
    code: "import { requireDeal } from '../opportunities/deal-access.ts';\nexport const r = requireDeal;\n",
    says: 'server/sync knows no domain',
  },
  {
    rule: 'routers do not import repositories',
    file: 'server/plan/fixture.router.ts',
    code: "import { stepsOf } from '../opportunities/opportunity.repository.ts';\nexport const s = stepsOf;\n",
    says: 'never repositories',
  },
  {
    rule: 'routers do not import a face',
    file: 'server/plan/face-fixture.router.ts',
    code: "import { routeTable } from '../api/rest/route-table.ts';\nexport const t = routeTable;\n",
    says: 'faces built from them',
  },
  {
    rule: 'faces do not import repositories',
    file: 'server/api/rest/fixture.ts',
    code: "import { stepsOf } from '../../opportunities/opportunity.repository.ts';\nexport const s = stepsOf;\n",
    says: 'never repositories',
  },
  {
    rule: 'client imports no server runtime code',
    file: 'client/cli/fixture.ts',
    code: "import { loadConfig } from '../../server/config.ts';\nexport const c = loadConfig;\n",
    says: 'client/ imports no server runtime code',
  },
  {
    rule: 'nothing imports scripts',
    file: 'server/ledger/fixture.ts',
    code: "import { root } from '../../scripts/bench/processes.ts';\nexport const r = root;\n",
    says: 'Nothing imports scripts/',
  },
  {
    rule: 'product code does not import the test kit',
    file: 'server/ledger/kit-fixture.ts',
    code: "import { tempDataDir } from '../../test/kit/harness.ts';\nexport const t = tempDataDir;\n",
    says: 'Only tests import test/',
  },
  {
    rule: 'migrations import no app code',
    file: 'schema/migrations/2099_01_01_000000_fixture.ts',
    code: "import { newId } from '../../server/core/ids.ts';\nexport const n = newId;\n",
    says: 'Migrations are frozen',
  },
];

describe('the layering lint', () => {
  it.each(cases)('fails a file that breaks "$rule"', async ({ file, code, says }) => {
    const errors = await importErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(says);
  });

  it('passes what the layering allows', async () => {
    const allowed: [string, string][] = [
      [
        'client/cli/fixture.ts',
        "import type { AppRouter } from '../../server/api/app-router.ts';\nexport type R = AppRouter;\n",
      ],
      [
        'server/sync/fixture.ts',
        "import { closeCodes } from '../../shared/sync/close-codes.ts';\nexport const c = closeCodes;\n",
      ],
      [
        'server/opportunities/fixture.test.ts',
        "import { tempDataDir } from '../../test/kit/harness.ts';\nexport const t = tempDataDir;\n",
      ],
      [
        'schema/migrations/index-fixture.ts',
        "import * as m from './2026_11_25_100000_create_companies.ts';\nexport const x = m;\n",
      ],
    ];
    for (const [file, code] of allowed) expect(await importErrors(file, code), file).toEqual([]);
  });
});
