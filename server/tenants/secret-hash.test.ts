import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, verifySecret } from './secret-hash.ts';

describe('secret hashing', () => {
  it('verifies the secret it hashed and nothing else', async () => {
    const secret = newSecret();
    const stored = await hashSecret(secret);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain(secret);
    expect(await verifySecret(secret, stored)).toBe(true);
    expect(await verifySecret(secret + 'x', stored)).toBe(false);
    expect(await verifySecret(secret, 'plain-text')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashSecret('same')).not.toBe(await hashSecret('same'));
  });
});
