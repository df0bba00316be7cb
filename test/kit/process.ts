import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { postgresEnvOf } from './stores.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The CLI opens the store the server it works beside uses: on the PostgreSQL run, the database
 * the harness made for that data directory.
 */
function withStore(env: Record<string, string>): NodeJS.ProcessEnv {
  const store = env.TANDEM_DATA_DIR ? postgresEnvOf(env.TANDEM_DATA_DIR) : undefined;
  return { ...process.env, ...store, ...env };
}

/** Runs the real `tandem` CLI as a user would, with the given environment. */
export function runCli(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(process.execPath, [path.join(root, 'client/cli/tandem.js'), ...args], {
    env: withStore(env),
    input,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same without blocking this process: needed when the CLI calls back into a server that runs
 * inside the test process (spawnSync would freeze that server and deadlock).
 */
export function runCliAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'client/cli/tandem.js'), ...args], {
      env: withStore(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

/**
 * Starts the compiled server in its own process (as `npm start` does: the global setup built it)
 * and waits until it listens.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(root, 'dist/node/server/start.js')], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const match = /"url":"http:\/\/[^:]+:(\d+)"/.exec(buffered);
      if (match?.[1]) resolve(Number(match[1]));
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { child, port, exited };
}
