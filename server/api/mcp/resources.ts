import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { DealDetail, DealPage } from '../../../shared/opportunities/deal-view.schema.ts';
import { toErrorBody } from '../../core/error-body.ts';
import { procedureCaller } from './procedure-call.ts';
import { foreignTextOfDeal } from './text-authors.ts';
import type { McpCaller } from './tool-calls.ts';

const dealUri = /^tandem:\/\/deals\/([A-Za-z0-9_-]{1,100})$/;
/** MCP's code for a resource that does not exist (or, here, that the caller may not see). */
const resourceNotFound = -32002;

function asMcpError(error: unknown): McpError {
  const body = toErrorBody(error);
  const code = body.code === 'NotFound' ? resourceNotFound : ErrorCode.InvalidRequest;
  return new McpError(code, body.message, body);
}

/**
 * Each deal the caller can see is a resource `tandem://deals/{id}`, listed and read through
 * `opportunities.list` and `opportunities.get`: the procedures decide what is visible, so a deal
 * of other companies is "not found" here as on every face.
 */
export function registerDealResources(server: Server, caller: McpCaller): void {
  const call = procedureCaller(caller.context);
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: 'tandem://deals/{id}',
        name: 'deal',
        title: 'A shared deal',
        description: 'One deal you take part in: fields, participants, plan and history (JSON).',
        mimeType: 'application/json',
      },
    ],
  }));
  server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
    try {
      const cursor = request.params?.cursor;
      const page = (await call('opportunities.list', {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      })) as DealPage;
      return {
        resources: page.items.map((deal) => ({
          uri: `tandem://deals/${deal.id}`,
          name: deal.fields?.title ?? deal.summary.title,
          mimeType: 'application/json',
        })),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    } catch (error) {
      throw asMcpError(error);
    }
  });
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    const id = dealUri.exec(uri)?.[1];
    if (!id) throw new McpError(resourceNotFound, `no resource ${uri}`);
    try {
      const deal = (await call('opportunities.get', { id })) as DealDetail;
      const foreign = foreignTextOfDeal(deal, caller.context.verified.companyId);
      const body = { result: deal, ...(foreign.length ? { textByOtherCompanies: foreign } : {}) };
      return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(body) }] };
    } catch (error) {
      throw asMcpError(error);
    }
  });
}
