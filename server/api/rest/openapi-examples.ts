/**
 * Examples for the OpenAPI document, made from its own JSON Schemas so that they stay valid as the
 * schemas change: the first enum value, a plausible value for common field names and known
 * patterns, one item per array, every property of an object. Bland but always true to the schema.
 */

type Schema = Record<string, unknown>;

/** Values for the string patterns zod writes (dates, emails, codes), by the pattern's text. */
const byPattern: [test: (p: string) => boolean, value: string][] = [
  [(p) => p.includes('02-29'), '2026-09-30'],
  [(p) => p.includes('@'), 'ada@acme.example'],
  [(p) => p === '^[A-Z]{2}$', 'US'],
  [(p) => p === '^[A-Z]{3}$', 'USD'],
  [(p) => p.includes('(\\.\\*)?'), 'opportunity.*'],
  [(p) => p.startsWith('^[a-z][a-z0-9_]'), 'segment_fit'],
  [(p) => p.includes('-Q[1-4]'), '2026-Q3'],
];

/** Values for common property names; anything else gets its own name. */
const byName: Record<string, unknown> = {
  id: 'opp_01JD3XQ4Z8',
  dealId: 'opp_01JD3XQ4Z8',
  companyId: 'co_globex',
  partnershipId: 'pshp_01JD3XR2M1',
  memberId: 'mem_01JD3XS7K2',
  clientId: 'cli_01JD3XT9P4',
  kid: 'key_01JD3XV3H6',
  jti: 'tok_01JD3XW5N8',
  partner: 'globex',
  subject: 'globex',
  externalRef: '0065g00000XyZ12AAB',
  title: 'Northwind data platform',
  name: 'Northwind Traders',
  slug: 'acme',
  domain: 'northwind.example',
  url: 'https://crm.acme.example/hooks/tandem',
  currency: 'USD',
  reason: 'Our team sourced this deal in March',
  cursor: 'c1.3q2Z0fX8bE',
  after: 'c1.3q2Z0fX8bE',
  before: 'c1.3q2Z0fX8bE',
  nextCursor: 'c1.7Hk2Lm9Qa',
  requestId: '6f1c0e6e-8a1e-4a53-9d0e-7a3c2b1f4e55',
  password: 'correct horse battery',
};

function resolve(doc: Schema, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  return ((doc.components as Schema).schemas as Record<string, Schema>)[name] ?? {};
}

function stringFor(schema: Schema, key: string): string {
  if (schema.format === 'date') return '2026-09-30';
  if (schema.format === 'date-time') return '2026-09-30T14:00:00.000Z';
  if (schema.format === 'email') return 'ada@acme.example';
  if (schema.format === 'uri') return 'https://crm.acme.example/hooks/tandem';
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
  const known = pattern ? byPattern.find(([test]) => test(pattern))?.[1] : undefined;
  let value = known ?? (typeof byName[key] === 'string' ? (byName[key] as string) : key || 'text');
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (value.length < min) value = value.padEnd(min, 'x');
  return value.slice(0, max);
}

function numberFor(schema: Schema, key: string): number {
  const named = byName[key];
  let n = typeof named === 'number' ? named : 1;
  if (typeof schema.minimum === 'number') n = Math.max(n, schema.minimum);
  if (typeof schema.exclusiveMinimum === 'number') n = Math.max(n, schema.exclusiveMinimum + 1);
  if (typeof schema.maximum === 'number') n = Math.min(n, schema.maximum);
  return n;
}

/** An example value of a JSON Schema; `key` is the property it stands for, if any. */
export function exampleOf(doc: Schema, input: Schema, key = '', depth = 0): unknown {
  const schema = resolve(doc, input);
  if ('example' in schema) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if ('default' in schema && schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (choices) {
    const first = choices.find((c) => c.type !== 'null') ?? choices[0]!;
    return exampleOf(doc, first, key, depth);
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type];
  const type = types.find((t) => t !== 'null') ?? types[0];
  switch (type) {
    case 'string':
      return stringFor(schema, key);
    case 'integer':
    case 'number':
      return numberFor(schema, key);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      if (depth > 8 || !schema.items) return [];
      return [exampleOf(doc, schema.items as Schema, key, depth + 1)];
    }
    default: {
      const properties = schema.properties as Record<string, Schema> | undefined;
      if (!properties || depth > 8) return {};
      return Object.fromEntries(
        Object.entries(properties).map(([name, s]) => [name, exampleOf(doc, s, name, depth + 1)]),
      );
    }
  }
}
