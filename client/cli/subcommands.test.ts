import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/kit/harness.ts';
import { runCli } from '../../test/kit/process.ts';

const dataDir = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test', TANDEM_DEMO: '0' };
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const subcommands = [
  ['serve'],
  ['migrate'],
  ['company', 'create'],
  ['company', 'list'],
  ['member', 'add'],
  ['client', 'create'],
  ['token'],
  ['partner', 'invite'],
  ['partner', 'accept'],
  ['partner', 'list'],
  ['partner', 'recommend'],
  ['push'],
  ['accounts', 'upload'],
  ['program', 'health'],
  ['export'],
  ['verify'],
  ['ledger', 'verify'],
  ['ledger', 'rebuild'],
  ['backup'],
  ['restore'],
  ['webhooks', 'add'],
  ['webhooks', 'list'],
  ['webhooks', 'pause'],
  ['webhooks', 'resume'],
  ['webhooks', 'remove'],
  ['webhooks', 'deliveries'],
  ['webhooks', 'replay'],
  ['mcp'],
  ['witness'],
];

describe('every tandem subcommand', { timeout: 120_000 }, () => {
  it.each(subcommands.map((c) => ({ c, name: c.join(' ') })))(
    'answers --help for $name',
    ({ c }) => {
      const help = runCli([...c, '--help'], env);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: tandem /);
    },
  );
});
