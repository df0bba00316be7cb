import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir } from '../../../test/kit/harness.ts';
import { runCliAsync } from '../../../test/kit/process.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('tandem backup and restore', () => {
  it('backs up while writes run, restores into a new directory, and the ledger and counts match', async () => {
    const dataDir = tempDataDir();
    const restored = tempDataDir();
    const scratch = tempDataDir();
    dirs.push(dataDir, restored, scratch);
    const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test' };
    const server = await startTestServer({ dataDir });
    const acme = await server.company('acme');
    const api = server.client(await acme.memberToken('seller'));
    const fields = (i: number) => ({
      title: `Deal ${i}`,
      customer: { name: `C${i}` },
      amountMinor: i,
      currency: 'EUR',
    });
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing)
        await api.opportunities.upsert.mutate({
          externalRef: `R-${written}`,
          fields: fields(written++),
        });
    })();
    await new Promise((r) => setTimeout(r, 300));
    const backupFile = path.join(scratch, 'tandem.backup.sqlite');
    const backup = await runCliAsync(['backup', backupFile], env);
    writing = false;
    await writer;
    await server.stop();
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain('master.key is not in the backup');

    const restore = await runCliAsync(['--data-dir', restored, 'restore', backupFile], env);
    expect(restore.status).toBe(0);
    expect(restore.stdout).toMatch(/ledger ok \(\d+ events\)/);
    expect(fs.existsSync(path.join(restored, 'master.key'))).toBe(false);
    fs.copyFileSync(path.join(dataDir, 'master.key'), path.join(restored, 'master.key'));

    const copy = await startTestServer({ dataDir: restored });
    try {
      const deals = await copy.deps.db.selectFrom('opportunities').select('id').execute();
      const events = await copy.deps.db.selectFrom('ledger_events').select('seq').execute();
      // A consistent snapshot: every deal in it has its events, and it held some of the writes.
      expect(deals.length).toBeGreaterThan(0);
      expect(deals.length).toBeLessThanOrEqual(written);
      expect(events.length).toBe(deals.length * 2);
      const token = (await copy.company('globex')).memberToken('admin');
      expect(await token).toBeTruthy();
    } finally {
      await copy.stop();
    }
    const again = await runCliAsync(['--data-dir', restored, 'restore', backupFile], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already holds a database');
  });
});
