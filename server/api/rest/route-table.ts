import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import type { RestMeta, RestOptions } from '../trpc/meta.ts';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A procedure as tRPC holds it at run time: only what the table reads. */
export interface ProcedureLike {
  _def: { type: string; meta?: unknown; inputs: unknown[] };
}

export interface RestRoute {
  method: RestMethod;
  /** The OpenAPI path template, e.g. `/opportunities/{id}`. */
  path: string;
  /** The dotted tRPC path the route calls, e.g. `opportunities.get`. */
  procedure: string;
  /** The scope the procedure needs, checked again before a stored answer is replayed. */
  scope: Scope | undefined;
  options: RestOptions;
  /**
   * Query and path parameters whose schema is a number (`version`, `limit`): their text is turned
   * into one before validation.
   */
  numeric: ReadonlySet<string>;
  pattern: RegExp;
  params: readonly string[];
}

export interface RouteMatch {
  route: RestRoute;
  params: Record<string, unknown>;
}

/** A parameter's text as a number when its schema wants one and it reads as one; else the text. */
export function numberIfNumeric(route: RestRoute, name: string, text: string): unknown {
  const n = Number(text);
  return route.numeric.has(name) && text.trim() !== '' && Number.isFinite(n) ? n : text;
}

interface ZodLike {
  _zod?: {
    def: { type: string; innerType?: ZodLike; out?: ZodLike; shape?: Record<string, ZodLike> };
  };
}

/** The schema under optional/default/nullable wrappers and preprocessing (what the value must be). */
function core(schema: ZodLike | undefined): ZodLike | undefined {
  const def = schema?._zod?.def;
  if (!def) return schema;
  if (def.innerType && ['optional', 'default', 'prefault', 'nullable'].includes(def.type))
    return core(def.innerType);
  if (def.type === 'pipe') return core(def.out);
  return schema;
}

function numericKeys(input: unknown): Set<string> {
  const shape = (core(input as ZodLike)?._zod?.def.shape ?? {}) as Record<string, ZodLike>;
  return new Set(
    Object.entries(shape)
      .filter(([, schema]) => core(schema)?._zod?.def.type === 'number')
      .map(([key]) => key),
  );
}

function compile(path: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), params };
}

/**
 * The REST routes, read from the `meta.openapi` of each procedure (the same meta the OpenAPI
 * document is generated from), with their `{param}` paths compiled once. Routes with fewer
 * parameters are tried first, so `/opportunities/batch` wins over `/opportunities/{id}`.
 */
export class RouteTable {
  readonly routes: readonly RestRoute[];

  constructor(procedures: Record<string, ProcedureLike>) {
    const routes: RestRoute[] = [];
    for (const [procedure, { _def }] of Object.entries(procedures)) {
      const meta = _def.meta as RestMeta | undefined;
      if (!meta?.openapi || meta.openapi.enabled === false) continue;
      const { method, path } = meta.openapi;
      if (routes.some((r) => r.method === method && r.path === path))
        throw new Error(`two procedures claim ${method} ${path}`);
      routes.push({
        method,
        path,
        procedure,
        scope: meta.scope,
        options: meta.rest ?? {},
        numeric: numericKeys(_def.inputs[0]),
        ...compile(path),
      });
    }
    this.routes = routes.sort((a, b) => a.params.length - b.params.length);
  }

  /** The route for a method and a path below the base URL; raises URIError for bad escapes. */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, unknown> = {};
      route.params.forEach((name, i) => {
        params[name] = numberIfNumeric(route, name, decodeURIComponent(found[i + 1]!));
      });
      return { route, params };
    }
    return undefined;
  }
}
