import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/kit/process.ts';

describe('tandem --help from the compiled bin', () => {
  it('lists every command exactly as the sources do, from the catalog the build wrote', () => {
    const compiled = runCli(['--help'], {});
    const sources = runCli(['--help'], { TANDEM_FROM_SOURCE: '1' });
    expect(compiled.status).toBe(0);
    expect(compiled.stderr).toBe('');
    expect(compiled.stdout).toBe(sources.stdout);
    expect(compiled.stdout).toMatch(/^ {2}token \[options\] +mint an access token/m);
    expect(runCli(['help'], {}).stdout).toBe(compiled.stdout);
  }, 60_000);
});
