import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDomain } from './customer-domain.ts';

const labelArb = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const hostArb = fc
  .tuple(
    fc.array(labelArb, { minLength: 1, maxLength: 4 }),
    fc.constantFrom('com', 'io', 'co.uk', 'xn--p1ai'),
  )
  .map(([labels, top]) => [...labels, top].join('.'));
const decoratedArb = fc
  .tuple(
    fc.constantFrom('', 'http://', 'HTTPS://', 'ftp://', '//'),
    fc.constantFrom('', 'user@', 'u:p@'),
    fc.constantFrom('', 'www.', 'WWW.', 'www.www.'),
    hostArb,
    fc.constantFrom('', '.', ':8080', ':'),
    fc.constantFrom('', '/', '/a/b?c=d#e', '?q', '#f'),
    fc.constantFrom('', '  ', '\t'),
  )
  .map(
    ([scheme, user, www, host, port, rest, pad]) =>
      `${pad}${scheme}${user}${www}${host}${port}${rest}${pad}`,
  );

describe('normalizeDomain', () => {
  it('reduces a full URL to its host name', () => {
    expect(normalizeDomain('HTTPS://WWW.Example.com:8080/a?b')).toBe('example.com');
  });

  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM. ', 'example.com'],
    ['bob@acme.io', 'acme.io'],
    ['ftp://user:pw@files.example.org:21/x', 'files.example.org'],
    ['//cdn.example.com/x', 'cdn.example.com'],
    ['shop.www.example.com', 'shop.www.example.com'],
    ['www1.example.com', 'www1.example.com'],
    ['www.com', 'www.com'],
    ['www.www.example.com', 'example.com'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['пример.рф', 'xn--e1afmkfd.xn--p1ai'],
    ['a.b.example.co.uk', 'a.b.example.co.uk'],
    [`${'abcdefghi.'.repeat(25)}com`, `${'abcdefghi.'.repeat(25)}com`],
  ])('normalizes %j to %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'localhost',
    'example',
    '1.2.3.4',
    'http://[::1]:80/',
    'ex_ample.com',
    '-a.com',
    'a-.com',
    'example.com..',
    'exa mple.com',
    'example.c0m',
    'example.c',
    `${'a'.repeat(64)}.com`,
    `${'abcdefghi.'.repeat(26)}com`,
  ])('refuses %j', (input) => {
    expect(normalizeDomain(input)).toBeUndefined();
  });

  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), decoratedArb), (input) => {
        const once = normalizeDomain(input);
        if (once !== undefined) expect(normalizeDomain(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the same host name however the URL is decorated', () => {
    fc.assert(
      fc.property(hostArb, decoratedArb, (host, decorated) => {
        expect(normalizeDomain(host)).toBe(host);
        const bare = normalizeDomain(decorated);
        expect(bare).toBeDefined();
        expect(decorated.toLowerCase()).toContain(bare);
      }),
    );
  });

  it('returns only lower-case ASCII names within DNS limits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.domain(), decoratedArb), (input) => {
        const d = normalizeDomain(input);
        if (d === undefined) return;
        expect(d).toMatch(/^[a-z0-9.-]+$/);
        expect(d.length).toBeLessThanOrEqual(253);
        expect(d.split('.').length).toBeGreaterThanOrEqual(2);
      }),
    );
  });
});
