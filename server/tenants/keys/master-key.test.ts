import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/kit/harness.ts';
import { loadMasterKey, MasterKeyError } from './master-key.ts';

const dir = tempDataDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the master key', () => {
  it('is created once in the data directory with mode 0600 and reused', () => {
    const first = loadMasterKey(dir, undefined);
    const file = path.join(dir, 'master.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const before = fs.readFileSync(file, 'utf8');
    const second = loadMasterKey(dir, undefined);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(second.open(first.seal('secret', 'kid1'), 'kid1')).toBe('secret');
  });

  it('round-trips any text, and refuses a ciphertext moved to another kid or tampered with', () => {
    const key = loadMasterKey(dir, randomBytes(32).toString('base64'));
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (text, kid) => {
        const sealed = key.seal(text, kid);
        expect(key.open(sealed, kid)).toBe(text);
        expect(() => key.open(sealed, kid + 'x')).toThrow();
      }),
    );
    const sealed = key.seal('private', 'k');
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(() => key.open(parts.join('.'), 'k')).toThrow();
  });

  it('refuses a TANDEM_MASTER_KEY that is not 32 bytes, saying how to make one', () => {
    expect(() => loadMasterKey(dir, 'c2hvcnQ=')).toThrow(MasterKeyError);
    expect(() => loadMasterKey(dir, 'c2hvcnQ=')).toThrow(/openssl rand -base64 32/);
  });
});
