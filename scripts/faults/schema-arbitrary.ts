import fc from 'fast-check';

/** The part of JSON Schema (as zod and the OpenAPI document write it) the fuzzer reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
}

export const garbage = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '💥'.repeat(50),
    'x'.repeat(5000),
    -1,
    0,
    2 ** 53,
    1e308,
    -0.5,
  ),
);

/**
 * Values shaped by a JSON Schema, with garbage mixed in at every level: mostly well-formed inputs
 * whose bad parts sit deep, where a validator that forgets a path (or a service that trusts its
 * input) shows it. `ctx` resolves `$ref`s and offers known ids.
 */
export interface SchemaContext {
  resolve(ref: string): JsonSchema;
  /** Strings worth trying where a schema asks for one: ids that exist, slugs, refs. */
  known: string[];
}

export function schemaArbitrary(
  schema: JsonSchema,
  ctx: SchemaContext,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > 6) return garbage;
  const shaped = shape(schema, ctx, depth);
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: garbage });
}

function shape(schema: JsonSchema, ctx: SchemaContext, depth: number) {
  const inner = (s: JsonSchema) => schemaArbitrary(s, ctx, depth + 1);
  if (schema.$ref) return inner(ctx.resolve(schema.$ref));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map(inner));
  if (schema.allOf?.length) return inner(schema.allOf[0]!);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, inner(v)]),
      );
      return fc
        .tuple(
          fc.record(props, { requiredKeys: (schema.required ?? []).filter((k) => k in props) }),
          fc.option(fc.dictionary(fc.string({ maxLength: 8 }), garbage, { maxKeys: 2 }), {
            freq: 6,
          }),
        )
        .map(([obj, extra]) => (extra ? { ...extra, ...obj } : obj));
    }
    case 'array':
      return fc.array(schema.items ? inner(schema.items) : garbage, {
        maxLength: Math.min(schema.maxItems ?? 5, 5) + 1,
      });
    case 'string':
      if (schema.format === 'date') return fc.constantFrom('2026-02-30', '2026-06-30', 'yesterday');
      return ctx.known.length > 0
        ? fc.oneof(
            fc.constantFrom(...ctx.known),
            fc.string({ maxLength: (schema.maxLength ?? 40) + 2 }),
          )
        : fc.string({ maxLength: (schema.maxLength ?? 40) + 2 });
    case 'integer':
      return fc.integer({
        min: Math.max(Number.MIN_SAFE_INTEGER, (schema.minimum ?? -1000) - 1),
        max: Math.min(Number.MAX_SAFE_INTEGER, (schema.maximum ?? 1e9) + 1),
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case undefined:
    default:
      return garbage;
  }
}
