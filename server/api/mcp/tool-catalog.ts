import { z } from 'zod';
import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import type { Principal } from '../../tenants/principal.ts';
import { appRouter } from '../app-router.ts';
import type { ProcedureMeta } from '../trpc/init.ts';
import type { McpToolMeta } from '../trpc/meta.ts';

/** A procedure as tRPC holds it at run time: only what the catalog reads. */
interface ProcedureLike {
  _def: { type: string; meta?: ProcedureMeta; inputs: unknown[] };
}

/** One tool: a procedure marked `meta.mcp`, offered under the tool's name. */
export interface ToolEntry {
  tool: McpToolMeta;
  /** The dotted tRPC path every call of the tool goes through. */
  procedure: string;
  scope: Scope | undefined;
  /** The procedure's own input schema: it validates each call; agents see it as JSON Schema. */
  input: z.ZodType;
  inputJsonSchema: { type: 'object'; [key: string]: unknown };
}

/** A tool's input schema as MCP lists it. */
export function jsonSchemaOf(path: string, schema: z.ZodType): ToolEntry['inputJsonSchema'] {
  // The input side (defaults optional), as a client fills it in; `$schema` is noise to a model.
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  if (json.type !== 'object') throw new Error(`${path}: an MCP tool's input must be an object`);
  return { ...json, type: 'object' };
}

function buildCatalog(): ReadonlyMap<string, ToolEntry> {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureLike>;
  const tools = new Map<string, ToolEntry>();
  for (const [path, procedure] of Object.entries(procedures)) {
    const { meta, inputs } = procedure._def;
    if (!meta?.mcp) continue;
    const input = inputs[0];
    // Misconfigurations fail at start-up, not on the first call.
    if (inputs.length !== 1 || !(input instanceof z.ZodType))
      throw new Error(`${path}: an MCP tool needs exactly one zod input`);
    if (tools.has(meta.mcp.name)) throw new Error(`${meta.mcp.name}: two tools with one name`);
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(meta.mcp.name))
      throw new Error(`${meta.mcp.name}: tool names are snake_case`);
    tools.set(meta.mcp.name, {
      tool: meta.mcp,
      procedure: path,
      scope: meta.scope,
      input,
      inputJsonSchema: jsonSchemaOf(path, input),
    });
  }
  return tools;
}

/** Every tool, by name, built once from the procedure tree. */
export const toolCatalog = buildCatalog();

/** The tools this principal's scopes allow: what `tools/list` shows it. */
export function toolsFor(principal: Principal): ToolEntry[] {
  return [...toolCatalog.values()].filter((t) => !t.scope || principal.scopes.has(t.scope));
}
