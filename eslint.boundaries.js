// @ts-check
// The layering of ../shared/architecture.md, enforced per folder. Imports are relative, so each rule
// matches the climb out of a folder (`../`…) into a folder it must not reach. ESLint replaces, not
// merges, a rule's options when two blocks match one file, so each file gets exactly one block:
// `layer` lists every rule of the folder, the shared ones included.

const climb = '^(\\.\\./)+';

/** @typedef {{ regex: string, message: string, allowTypeImports?: boolean }} Pattern */

/** @type {Pattern} */
const noScripts = {
  regex: `${climb}scripts/`,
  message: 'Nothing imports scripts/: move what you need into server/, shared/ or test/.',
};

/** @type {Pattern} */
const noTestKit = {
  regex: `${climb}test/`,
  message: 'Only tests import test/: the test kit is not product code.',
};

/** The domain folders of server/; sync must reach them only through hooks. */
const domains = [
  'opportunities',
  'plan',
  'attribution',
  'accounts',
  'insights',
  'webhooks',
  'tenants',
  'ledger',
  'demo',
  'admin',
  'api',
];

/** @type {Record<string, Pattern[]>} */
const rules = {
  shared: [
    {
      regex: `${climb}(server|client|schema|scripts|test)/`,
      message: 'shared/ is pure and imports nothing of ours outside shared/.',
    },
    { regex: '^node:', message: 'shared/ runs in the browser too: no node:* imports.' },
  ],
  sync: [
    {
      regex: `${climb}(${domains.join('|')})/`,
      message:
        'server/sync knows no domain: domain rules reach it as hooks registered by server/main.ts.',
    },
  ],
  routers: [
    {
      regex: '\\.repository(\\.ts)?$',
      message: 'Routers and faces call services, never repositories.',
    },
    {
      regex: `${climb}api/(rest|http|mcp)/`,
      message: 'Routers describe procedures; REST, HTTP and MCP are faces built from them.',
    },
  ],
  faces: [
    {
      regex: '\\.repository(\\.ts)?$',
      message: 'Routers and faces call services, never repositories.',
    },
  ],
  client: [
    {
      regex: `${climb}(server|schema)/`,
      allowTypeImports: true,
      message: 'client/ imports no server runtime code: `import type` only, or go through client/sdk.',
    },
  ],
  migrations: [
    {
      regex: '^\\.\\./',
      message: 'Migrations are frozen in time: they import kysely only, never app code.',
    },
  ],
  schema: [
    {
      regex: `${climb}(server|client|scripts|test)/`,
      message: 'schema/ describes tables and migrations; it imports no app code.',
    },
  ],
};

const tests = ['**/*.test.ts', '**/*.test.tsx'];

/**
 * @param {string[]} files
 * @param {Pattern[]} patterns
 * @param {{ tests?: boolean }} [options] tests: whether the folder's tests follow the rule too
 */
function layer(files, patterns, options = {}) {
  return [
    {
      files,
      ignores: tests,
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          { patterns: [noScripts, noTestKit, ...patterns] },
        ],
      },
    },
    {
      files: files.map((f) => f.replace(/\.(tsx?)$/, '.test.$1')),
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          { patterns: [noScripts, ...(options.tests ? patterns : [])] },
        ],
      },
    },
  ];
}

export const boundaries = [
  ...layer(['server/**/*.ts', 'client/**/*.ts', 'client/**/*.tsx', 'schema/**/*.ts', 'test/**/*.ts'], []),
  ...layer(['shared/**/*.ts'], rules.shared, { tests: true }),
  ...layer(['schema/**/*.ts'], rules.schema),
  ...layer(['schema/migrations/**/*.ts'], rules.migrations, { tests: true }),
  ...layer(['server/sync/**/*.ts'], rules.sync),
  ...layer(['server/**/*.router.ts'], rules.routers),
  ...layer(['server/api/**/*.ts'], rules.faces),
  ...layer(['client/**/*.ts', 'client/**/*.tsx'], rules.client),
];
