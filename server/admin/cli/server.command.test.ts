import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/kit/harness.ts';
import { runCli } from '../../../test/kit/process.ts';

const dataDir = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test', TANDEM_DEMO: '0' };
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('tandem migrate, member and serve', { timeout: 120_000 }, () => {
  it('migrates a new data directory and adds a member from the command line', () => {
    expect(runCli(['migrate'], env).stdout).toContain('database is up to date');
    expect(runCli(['company', 'create', '--slug', 'acme', '--name', 'Acme'], env).status).toBe(0);
    const added = runCli(
      [
        'member',
        'add',
        '--company',
        'acme',
        '--email',
        'Fin@Acme.test',
        '--role',
        'finance',
        '--json',
      ],
      env,
    );
    expect(JSON.parse(added.stdout)).toMatchObject({
      email: 'fin@acme.test',
      role: 'finance',
      disabled: false,
    });
    const wrongRole = runCli(
      ['member', 'add', '--company', 'acme', '--email', 'x@acme.test', '--role', 'boss'],
      env,
    );
    expect(wrongRole.status).toBe(2);
    expect(wrongRole.stderr).toContain('role');
  });

  it('serves: tandem serve starts the server, which answers health and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [path.resolve(import.meta.dirname, '../../../client/cli/tandem.js'), 'serve'],
      {
        env: { ...process.env, ...env, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"url":"http:\/\/[^:]+:(\d+)"/.exec(out);
        if (m?.[1]) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({
      status: 'ok',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
