import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DomainError } from '../../core/domain-error.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../tenants/principal.ts';
import type { Context } from '../trpc/context.ts';
import { openProposal, signProposal } from './confirmation.ts';
import { previews } from './deal-change-preview.ts';
import { procedureCaller } from './procedure-call.ts';
import { foreignTextOfDeal } from './text-authors.ts';
import { jsonSchemaOf, toolCatalog, toolsFor, type ToolEntry } from './tool-catalog.ts';
import { toolError, toolResult, untrustedTextNotice } from './tool-result.ts';
import type { DealDetail } from '../../../shared/opportunities/deal-view.schema.ts';

/** The one tool that is no procedure: it runs a change another tool proposed. */
export const confirmTool = 'confirm_change';
const confirmInput = z.strictObject({
  confirmation: z.string().min(1).max(20_000).describe('`confirmation` from the proposal'),
});

/** One MCP request's caller: its context (the principal verified once) and the app's deps. */
export interface McpCaller {
  deps: AppDeps;
  context: Context & { verified: Principal };
}

function describe(entry: ToolEntry): Tool {
  const { tool } = entry;
  return {
    name: tool.name,
    title: tool.title,
    description: `${tool.description}\n\n${untrustedTextNotice}`,
    inputSchema: entry.inputJsonSchema,
    annotations: {
      title: tool.title,
      readOnlyHint: !tool.write,
      destructiveHint: false,
      idempotentHint: !tool.write,
      openWorldHint: false,
    },
  };
}

/** `tools/list`: only the tools this principal's scopes allow, and confirm_change if any proposes. */
export function listTools(principal: Principal): Tool[] {
  const tools = toolsFor(principal);
  const listed = tools.map(describe);
  if (tools.some((t) => t.tool.confirm)) {
    listed.push({
      name: confirmTool,
      title: 'Confirm a proposed change',
      description:
        'Writes a change that a propose_… tool returned, exactly as proposed, once your user ' +
        'has agreed to its diff. Refused if the deal changed since the proposal (propose again).',
      inputSchema: jsonSchemaOf(confirmTool, confirmInput),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    });
  }
  return listed;
}

/** The caller acting through an agent and this tool: the ledger records both with the principal. */
function asAgent(caller: McpCaller, tool: string): Context {
  return { ...caller.context, verified: { ...caller.context.verified, via: 'mcp', tool } };
}

/** What a call answers: the procedure's output, with the fields another company wrote marked. */
function answer(entry: ToolEntry, output: unknown, companyId: string): Record<string, unknown> {
  const foreign =
    entry.procedure === 'opportunities.get'
      ? foreignTextOfDeal(output as DealDetail, companyId)
      : [];
  return { result: output, ...(foreign.length > 0 ? { textByOtherCompanies: foreign } : {}) };
}

async function propose(caller: McpCaller, entry: ToolEntry, args: Record<string, unknown>) {
  const principal = caller.context.verified;
  // The write itself checks the scope again when it is confirmed; this spares a proposal that
  // could never be confirmed.
  if (entry.scope && !principal.scopes.has(entry.scope))
    throw new DomainError('Forbidden', `this needs the ${entry.scope} permission`);
  const parsed = entry.input.parse(args);
  const preview = previews[entry.procedure];
  if (!preview) throw new Error(`${entry.tool.name} proposes, but has no preview`);
  const call = procedureCaller(asAgent(caller, entry.tool.name));
  const { input, ...diff } = await preview(call, parsed, args);
  const signed = await signProposal(caller.deps, principal, { tool: entry.tool.name, input });
  return { result: { proposed: true, ...diff, ...signed, next: `call ${confirmTool}` } };
}

async function confirm(caller: McpCaller, args: Record<string, unknown>) {
  const { confirmation } = confirmInput.parse(args);
  const proposal = await openProposal(caller.deps, caller.context.verified, confirmation);
  const entry = toolCatalog.get(proposal.tool);
  if (!entry?.tool.confirm) throw new Error(`a confirmation names ${proposal.tool}`);
  const output = await procedureCaller(asAgent(caller, entry.tool.name))(
    entry.procedure,
    proposal.input,
  );
  return answer(entry, output, caller.context.verified.companyId);
}

/**
 * `tools/call`. Every tool runs its procedure through the tRPC caller (so the procedure's token,
 * scope, limits and validation decide), with the principal marked as acting through this tool.
 * Refusals come back as tool errors carrying the REST error body. Unknown names are refused by
 * the caller as InvalidParams (see mcp-server.ts).
 */
export async function callTool(
  caller: McpCaller,
  entry: ToolEntry | 'confirm',
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const { requestId, log } = caller.context;
  try {
    if (entry === 'confirm') return toolResult(await confirm(caller, args));
    if (entry.tool.confirm) return toolResult(await propose(caller, entry, args));
    const output = await procedureCaller(asAgent(caller, entry.tool.name))(entry.procedure, args);
    return toolResult(answer(entry, output, caller.context.verified.companyId));
  } catch (error) {
    return toolError(error, requestId, log);
  }
}
