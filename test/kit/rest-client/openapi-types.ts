import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';
import { appRouter } from '../../../server/api/app-router.ts';
import { openApiDocument } from '../../../server/api/rest/openapi-document.ts';
import { RouteTable, type ProcedureLike } from '../../../server/api/rest/route-table.ts';

/** Where the generated types are committed, relative to the repository root. */
export const generatedTypesPath = 'test/kit/rest-client/tandem-api.generated.ts';

/** The OpenAPI document as a test server (public URL http://tandem.test) serves it. */
export function servedDocument(): OpenAPI3 {
  const routes = new RouteTable(
    appRouter._def.procedures as unknown as Record<string, ProcedureLike>,
  );
  const doc = openApiDocument(appRouter, routes, {
    baseUrl: 'http://tandem.test/api/v1',
    version: '1.0.0',
  });
  return doc as unknown as OpenAPI3;
}

/** The document without its examples: types do not need them, and they would triple the file. */
function withoutExamples(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutExamples);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'example' && key !== 'examples')
      .map(([key, value]) => [key, withoutExamples(value)]),
  );
}

/** The TypeScript types openapi-typescript makes of a document, as the committed file holds them. */
export async function openApiTypes(doc: OpenAPI3 = servedDocument()): Promise<string> {
  const ast = await openapiTS(withoutExamples(doc) as OpenAPI3, { silent: true });
  return `${COMMENT_HEADER}// Regenerate with \`npm run openapi:types\`.\n\n${astToString(ast)}`;
}
