import { describe, expect, it } from 'vitest';
import type { Principal } from '../principal.ts';
import { VerifiedTokenCache } from './verified-token-cache.ts';

const principal: Principal = {
  companyId: 'co_a',
  kind: 'member',
  id: 'mem_a',
  scopes: new Set(['opportunities:read']),
  token: { issuer: 'i', jti: 'j', expiresAt: 0 },
};

describe('the verified-token cache', () => {
  it('serves a stored verification until something bears on tokens', () => {
    let version = 1;
    const cache = new VerifiedTokenCache(() => version);
    const { stamp } = cache.lookup('t');
    cache.set('t', principal, stamp);
    expect(cache.lookup('t').principal).toBe(principal);
    cache.invalidate();
    expect(cache.lookup('t').principal).toBeUndefined();
    cache.set('t', principal, cache.lookup('t').stamp);
    version = 2; // another process committed (e.g. the CLI)
    expect(cache.lookup('t').principal).toBeUndefined();
  });

  it('refuses to store a verification that started before an invalidation', () => {
    const cache = new VerifiedTokenCache(() => 1);
    const { stamp } = cache.lookup('t');
    cache.invalidate(); // a revocation landed while the token was being verified
    cache.set('t', principal, stamp);
    expect(cache.lookup('t').principal).toBeUndefined();
  });
});

describe('a verification still held', () => {
  it('is the cached one until an invalidation or another process commits', () => {
    let version = 1;
    const cache = new VerifiedTokenCache(() => version);
    cache.set('t', principal, cache.lookup('t').stamp);
    expect(cache.stillHolds('t', principal)).toBe(true);
    expect(cache.stillHolds('t', { ...principal })).toBe(false);
    cache.invalidate(); // e.g. the token was revoked while a write of its bearer was queued
    expect(cache.stillHolds('t', principal)).toBe(false);
    cache.set('t', principal, cache.lookup('t').stamp);
    version = 2;
    expect(cache.stillHolds('t', principal)).toBe(false);
  });
});
