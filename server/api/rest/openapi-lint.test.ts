import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';

/**
 * The document as the server serves it, linted with Redocly's recommended rules: what API
 * gateways, portals and generators will make of it. Warnings are allowed (no licence for a private
 * API; `/opportunities/by-ref/{externalRef}` looks like `/opportunities/{id}/share` to the
 * ambiguity rule, though the route table tries fixed segments first); errors are not.
 */

let server: TestServer;
let problems: NormalizedProblem[];

beforeAll(async () => {
  server = await startTestServer();
  const source = await (await fetch(`${server.url}/api/v1/openapi.json`)).text();
  const config = await createConfig({ extends: ['recommended'] });
  problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
});
afterAll(() => server.stop());

const where = (p: NormalizedProblem) =>
  `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`;

describe('the OpenAPI document under Redocly lint', () => {
  it('has no errors under the recommended rules', () => {
    expect(problems.filter((p) => p.severity === 'error').map(where)).toEqual([]);
  });

  it('warns of nothing but the licence and the path shapes it cannot tell apart', () => {
    const rules = new Set(problems.filter((p) => p.severity === 'warn').map((p) => p.ruleId));
    expect([...rules].filter((r) => !['info-license', 'no-ambiguous-paths'].includes(r))).toEqual(
      [],
    );
  });
});
