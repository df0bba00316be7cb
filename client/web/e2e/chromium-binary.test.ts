import { afterEach, describe, expect, it } from 'vitest';
import { chromiumBinary } from './chromium-binary.ts';

const saved = process.env.TANDEM_TEST_SYSTEM_CHROMIUM;
afterEach(() => {
  if (saved === undefined) delete process.env.TANDEM_TEST_SYSTEM_CHROMIUM;
  else process.env.TANDEM_TEST_SYSTEM_CHROMIUM = saved;
});

describe("the web tests' Chromium", () => {
  it('is the system one where the machine has it', async () => {
    // Any file that exists stands in for Debian's /usr/bin/chromium here.
    process.env.TANDEM_TEST_SYSTEM_CHROMIUM = process.execPath;
    expect(await chromiumBinary()).toEqual({ executablePath: process.execPath, env: {} });
  });

  it("is the npm package's build when the system one is hidden", async () => {
    process.env.TANDEM_TEST_SYSTEM_CHROMIUM = '';
    const binary = await chromiumBinary();
    expect(binary.executablePath).not.toBe('/usr/bin/chromium');
    expect(binary.env.LD_LIBRARY_PATH).toContain('tandem-chromium-libs');
  }, 120_000);
});
