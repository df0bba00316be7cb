import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/**
 * Debian's Chromium, where the machine has it (CI installs it: .ci/run).
 * `TANDEM_TEST_SYSTEM_CHROMIUM` names another path, or hides it when empty, so a machine that
 * has it can run the tests as one without it would (.ci/run does, once).
 */
const systemChromium = () => process.env.TANDEM_TEST_SYSTEM_CHROMIUM ?? '/usr/bin/chromium';

export interface ChromiumBinary {
  executablePath: string;
  /** Extra environment for the browser process (the bundled build's own libraries). */
  env: Record<string, string>;
}

/**
 * The browser for the web app's tests: Debian's Chromium if installed, else the build that ships
 * inside the @sparticuz/chromium npm package, so `npm test` passes on a machine with Node alone.
 * That build is made for Amazon Linux and loads NSS from its own bundle: unpacked here once, and
 * put first on the library path of the browser process only. `TANDEM_TEST_CHROMIUM=bundled`
 * forces the bundled build (to test this path where Debian's is installed).
 */
export async function chromiumBinary(): Promise<ChromiumBinary> {
  const system = systemChromium();
  if (process.env.TANDEM_TEST_CHROMIUM !== 'bundled' && system !== '' && fs.existsSync(system))
    return { executablePath: system, env: {} };
  const { default: bundled } = await import('@sparticuz/chromium');
  const executablePath = await bundled.executablePath();
  const libDir = path.join(os.tmpdir(), 'tandem-chromium-libs');
  if (!fs.existsSync(path.join(libDir, 'lib', 'libnss3.so'))) {
    const archive = path.join(
      path.dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))),
      '..',
      'bin',
      'al2023.tar.br',
    );
    fs.mkdirSync(libDir, { recursive: true });
    const tar = zlib.brotliDecompressSync(fs.readFileSync(archive));
    const untar = spawnSync('tar', ['-x', '-C', libDir], { input: tar });
    if (untar.status !== 0)
      throw new Error(`unpacking Chromium's libraries failed: ${untar.stderr}`);
  }
  const libs = path.join(libDir, 'lib');
  const ld = process.env.LD_LIBRARY_PATH;
  return { executablePath, env: { LD_LIBRARY_PATH: ld ? `${libs}:${ld}` : libs } };
}
