import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createTandemClient } from '../client/sdk/tandem-client.ts';
import { tempDataDir } from './kit/harness.ts';
import { runCli, spawnServer } from './kit/process.ts';

const dataDir = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test' };
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Sends the headers of a request now and its body only when `finish` is called. */
function slowPost(port: number, path: string, token: string, body: string) {
  const req = http.request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 5));
  return { finish: () => req.end(body.slice(5)), response };
}

describe('graceful shutdown', { timeout: 120_000 }, () => {
  it('finishes a request in flight at SIGTERM, closes the database, and keeps the write', async () => {
    expect(
      runCli(
        ['company', 'create', '--slug', 'acme', '--name', 'Acme', '--admin-email', 'ada@acme.test'],
        env,
      ).status,
    ).toBe(0);
    expect(runCli(['company', 'create', '--slug', 'globex', '--name', 'Globex'], env).status).toBe(
      0,
    );
    const token = runCli(
      ['token', '--company', 'acme', '--member', 'ada@acme.test'],
      env,
    ).stdout.trim();

    const first = await spawnServer(env);
    const inFlight = slowPost(
      first.port,
      '/trpc/partnerships.invite',
      token,
      JSON.stringify({ partner: 'globex', partnerType: 'reseller' }),
    );
    await new Promise((r) => setTimeout(r, 200)); // the server has the headers and waits for the body
    first.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    inFlight.finish();
    const answered = await inFlight.response;
    expect(answered.status).toBe(200);
    expect(await first.exited).toBe(0);
    // A clean close checkpoints the WAL and removes it.
    expect(fs.existsSync(`${dataDir}/tandem.sqlite-wal`)).toBe(false);

    const second = await spawnServer(env);
    try {
      const client = createTandemClient({ url: `http://127.0.0.1:${second.port}`, token });
      const partnerships = await client.partnerships.list.query();
      expect(partnerships.map((p) => p.partner.slug)).toEqual(['globex']);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('stops the server when `npm start` is stopped by its pid, as a process manager would', async () => {
    const dir = tempDataDir();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TANDEM_DATA_DIR: dir, TANDEM_DEMO: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      npm.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const url = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out)?.[1];
        if (url) resolve(Number(url));
      });
      npm.on('exit', () => reject(new Error(`npm start exited early: ${out}`)));
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => npm.on('exit', (code) => r(code)));
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
