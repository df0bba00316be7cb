import fc from 'fast-check';
import { z } from 'zod';
import { partnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestCompany, type TestServer } from '../../test/kit/harness.ts';
import { appRouter } from '../../server/api/app-router.ts';
import {
  garbage,
  schemaArbitrary,
  type JsonSchema,
  type SchemaContext,
} from './schema-arbitrary.ts';

export interface ApiFuzzReport {
  procedures: number;
  routes: number;
  requests: number;
  /** 400s with an issue at the root (path "(root)"): the input as a whole was not JSON or not an object. */
  rootIssues: number;
  byStatus: Record<string, number>;
  /** Each a request that broke the rule: a 5xx, a 400 that is not JSON or names no field path. */
  failures: { target: string; input: unknown; status: number; body: string }[];
}

interface Probe {
  target: string;
  arbitrary: fc.Arbitrary<unknown>;
  send(token: string, input: unknown): Promise<Response>;
}

/** A body sent as these exact bytes, not as JSON: broken JSON, wrong types, deep nesting. */
class RawBody {
  constructor(readonly text: string) {}
  toJSON() {
    return `raw: ${this.text.slice(0, 200)}`;
  }
}

const rawBodies = fc
  .oneof(
    fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '1e999', '{"__proto__":{"x":1}}', '\u0000'),
    fc.constant('['.repeat(5000) + ']'.repeat(5000)),
    fc.string({ maxLength: 50 }),
  )
  .map((text) => new RawBody(text));

const encode = (value: unknown) =>
  value instanceof RawBody ? value.text : value === undefined ? undefined : JSON.stringify(value);

type AnyProcedure = { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: z.ZodType[] } };

function definitionsOf(root: Record<string, unknown>, prefix: string) {
  return (ref: string): JsonSchema => {
    const name = ref.slice(prefix.length);
    const found = (root as Record<string, Record<string, JsonSchema>>)[
      prefix === '#/$defs/' ? '$defs' : 'schemas'
    ]?.[name];
    return found ?? {};
  };
}

function trpcProbes(url: string, known: string[]): Probe[] {
  const procedures = (
    appRouter as unknown as { _def: { procedures: Record<string, AnyProcedure> } }
  )._def.procedures;
  return Object.entries(procedures).map(([name, procedure]) => {
    const input = procedure._def.inputs[0];
    let arbitrary: fc.Arbitrary<unknown> = garbage;
    if (input) {
      const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema &
        Record<string, unknown>;
      const ctx: SchemaContext = { resolve: definitionsOf(schema, '#/$defs/'), known };
      arbitrary = schemaArbitrary(schema, ctx);
    }
    const query = procedure._def.type === 'query';
    return {
      target: `tRPC ${name}`,
      arbitrary: fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: rawBodies }),
      send: (token, value) => {
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const json = encode(value);
        return query
          ? fetch(`${url}/trpc/${name}${json ? `?input=${encodeURIComponent(json)}` : ''}`, {
              headers,
            })
          : fetch(`${url}/trpc/${name}`, { method: 'POST', headers, body: json });
      },
    };
  });
}

interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

async function restProbes(url: string, known: string[]): Promise<Probe[]> {
  const doc = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components?: Record<string, unknown>;
  };
  const ctx: SchemaContext = {
    resolve: definitionsOf(doc.components ?? {}, '#/components/schemas/'),
    known,
  };
  const probes: Probe[] = [];
  for (const [pathTemplate, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const arbitrary = fc.record({
        path: fc.tuple(
          ...pathParams.map(() =>
            fc.oneof(fc.constantFrom(...known), fc.string({ minLength: 1, maxLength: 30 })),
          ),
        ),
        query: fc.record(
          Object.fromEntries(
            queryParams.map((p) => [p.name, schemaArbitrary(p.schema ?? {}, ctx)] as const),
          ),
          { requiredKeys: [] },
        ),
        body: bodySchema
          ? fc.oneof(
              { weight: 6, arbitrary: schemaArbitrary(bodySchema, ctx) },
              { weight: 1, arbitrary: rawBodies },
            )
          : fc.constant(undefined),
      });
      probes.push({
        target: `REST ${method.toUpperCase()} ${pathTemplate}`,
        arbitrary,
        send: (token, value) => {
          const v = value as { path: string[]; query: Record<string, unknown>; body: unknown };
          let i = 0;
          const path = pathTemplate.replace(/\{[^}]+\}/g, () => encodeURIComponent(v.path[i++]!));
          const search = new URLSearchParams(
            Object.entries(v.query).map(([k, q]) => [
              k,
              typeof q === 'string' ? q : JSON.stringify(q),
            ]),
          ).toString();
          return fetch(`${url}/api/v1${path}${search ? `?${search}` : ''}`, {
            method: method.toUpperCase(),
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: method === 'get' ? undefined : encode(v.body),
          });
        },
      });
    }
  }
  return probes;
}

/** The field paths a 400 names, from a REST or a tRPC error body; undefined if none. */
function issuesOf(body: unknown): { path?: unknown }[] | undefined {
  const b = (body ?? {}) as {
    error?: { issues?: { path?: unknown }[]; data?: { issues?: { path?: unknown }[] } };
  };
  return b.error?.issues ?? b.error?.data?.issues;
}

async function fuzzProbe(
  probe: Probe,
  company: TestCompany,
  input: { numRuns: number; seed: number },
  report: ApiFuzzReport,
): Promise<void> {
  let token = await company.memberToken('admin');
  const result = await fc.check(
    fc.asyncProperty(probe.arbitrary, async (value) => {
      let res = await probe.send(token, value);
      // A fuzzed call may revoke the caller's own token or retire its key: mint another.
      if (res.status === 401) {
        await res.arrayBuffer();
        token = await company.memberToken('admin');
        res = await probe.send(token, value);
      }
      const text = await res.text();
      report.requests++;
      const klass = `${Math.floor(res.status / 100)}xx`;
      report.byStatus[klass] = (report.byStatus[klass] ?? 0) + 1;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const issues = issuesOf(body);
      const named =
        res.status !== 400 ||
        (issues !== undefined &&
          issues.length > 0 &&
          issues.every((i) => typeof i.path === 'string'));
      if (res.status === 400 && issues?.some((i) => i.path === '(root)')) report.rootIssues++;
      // Node's own refusals (431 for a URL over its header limit) come before the app, as text.
      if (res.status >= 500 || !named || (res.status === 400 && body === undefined)) {
        report.failures.push({
          target: probe.target,
          input: value,
          status: res.status,
          body: text.slice(0, 500),
        });
        return false;
      }
      return true;
    }),
    { numRuns: input.numRuns, seed: input.seed, endOnFailure: true },
  );
  if (result.failed && !report.failures.some((f) => f.target === probe.target))
    throw result.errorInstance ?? new Error(`${probe.target} failed`);
}

/**
 * fast-check over every tRPC procedure's input schema (from the router) and every REST operation
 * (from the OpenAPI document), as an admin of a company with a partner and a deal, so that ids
 * that exist turn up next to random ones. The rule: no 5xx, and a 400 names the bad field paths.
 */
export async function fuzzApi(input: { numRuns: number; seed: number }): Promise<ApiFuzzReport> {
  const server: TestServer = await startTestServer();
  try {
    const { acme, globex, a } = await partnerPair(server, { role: 'admin' });
    const deal = await a.opportunities.create.mutate({
      fields: { title: 'Fuzz', customer: { name: 'Fuzz Co' }, amountMinor: 1000, currency: 'EUR' },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
      externalRef: 'FUZZ-1',
    });
    const known = [acme.id, globex.id, 'globex', 'acme', deal.id, 'FUZZ-1'];
    const trpc = trpcProbes(server.url, known);
    const rest = await restProbes(server.url, known);
    const report: ApiFuzzReport = {
      procedures: trpc.length,
      routes: rest.length,
      requests: 0,
      rootIssues: 0,
      byStatus: {},
      failures: [],
    };
    for (const probe of [...trpc, ...rest]) {
      await fuzzProbe(probe, acme, input, report);
      const health = await fetch(`${server.url}/healthz`);
      if (health.status !== 200) throw new Error(`server unhealthy after ${probe.target}`);
    }
    return report;
  } finally {
    await server.stop();
  }
}
