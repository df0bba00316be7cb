import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChild } from './lazy-log.ts';

function memoryLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level, base: { service: 'tandem' } }, stream), lines };
}

describe('a lazy child logger', () => {
  it('writes the lines a pino child would, with its bindings and its parents’', () => {
    const { logger, lines } = memoryLogger();
    const request = lazyChild(logger, { reqId: 'r1' });
    const principal = lazyChild(request, { companyId: 'c1', sub: 'm1' });
    request.info({ status: 200 }, 'request');
    principal.warn({ attempt: 2 }, 'not kept');
    principal.debug('below the level');
    expect(lines).toMatchObject([
      { level: 30, service: 'tandem', reqId: 'r1', status: 200, msg: 'request' },
      { level: 40, reqId: 'r1', companyId: 'c1', sub: 'm1', attempt: 2, msg: 'not kept' },
    ]);
    expect(lines).toHaveLength(2);
    expect(principal.isLevelEnabled('debug')).toBe(false);
    expect(principal.bindings()).toMatchObject({ reqId: 'r1', companyId: 'c1', sub: 'm1' });
  });
});
