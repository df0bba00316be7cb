import type { Play, StepStatus } from '../../shared/opportunities/co-sell-steps.ts';
import type {
  DealDetail,
  HistoryEntry,
  StepView,
} from '../../shared/opportunities/deal-view.schema.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from '../tenants/principal.ts';
import { dealEvents } from '../ledger/ledger.repository.ts';
import { requireDeal } from './deal-access.ts';
import { historyChanges } from './deal-history.ts';
import { dealViews } from './deal.view.ts';
import { stepsOf } from './opportunity.repository.ts';

/** The shapes are zod schemas in `shared/`, so tRPC, REST and OpenAPI share one definition. */
export type { DealDetail, HistoryEntry, StepView };

/** One deal with its plan and its history with authors. Raises NotFound. */
export async function getDeal(
  deps: Deps<'db' | 'positions'>,
  actor: Principal,
  input: { id: string },
): Promise<DealDetail> {
  const { deal, me } = await requireDeal(deps.db, actor, { dealId: input.id, need: 'summary' });
  const [view] = await dealViews(deps.db, actor, [deal]);
  if (me.status !== 'accepted') return { ...view!, steps: [], history: [] };
  const [steps, events] = await Promise.all([
    stepsOf(deps.db, deal.id),
    dealEvents(deps.db, { dealId: deal.id, companyId: actor.companyId }),
  ]);
  const companyIds = [...new Set(events.map((e) => e.actor_company_id))];
  const idsOf = (kind: string) => [
    ...new Set(events.filter((e) => e.actor_kind === kind).map((e) => e.actor_id)),
  ];
  const memberIds = idsOf('member');
  const clientIds = idsOf('client');
  const [companies, members, clients] = await Promise.all([
    companyIds.length
      ? deps.db
          .selectFrom('companies')
          .select(['id', 'slug'])
          .where('id', 'in', companyIds)
          .execute()
      : [],
    memberIds.length
      ? deps.db.selectFrom('members').select(['id', 'name']).where('id', 'in', memberIds).execute()
      : [],
    clientIds.length
      ? deps.db
          .selectFrom('api_clients')
          .select(['id', 'name'])
          .where('id', 'in', clientIds)
          .execute()
      : [],
  ]);
  const data = events.map((e) => JSON.parse(e.data) as unknown);
  const changes = historyChanges(events.map((e, n) => ({ type: e.type, data: data[n] })));
  const slug = new Map(companies.map((c) => [c.id, c.slug]));
  const name = new Map([...members, ...clients].map((m) => [m.id, m.name]));
  return {
    ...view!,
    steps: steps.map((s) => ({
      id: s.id,
      play: s.play as Play,
      title: s.title,
      ownerCompanyId: s.owner_company_id,
      ownerPerson: s.owner_person,
      dueDate: s.due_date,
      status: s.status as StepStatus,
      outcome: s.outcome,
      createdAt: s.created_at,
      updatedAt: s.updated_at,
    })),
    history: events.map((e, n) => ({
      id: deps.positions.eventIdOf(actor.companyId, e.seq),
      type: e.type,
      at: e.at,
      author: {
        companyId: e.actor_company_id,
        companySlug: slug.get(e.actor_company_id) ?? null,
        kind: e.actor_kind,
        id: e.actor_id,
        name: name.get(e.actor_id) ?? null,
        // An agent's change: "Ada's agent added a step" (via the MCP face, with this tool).
        ...(e.actor_via ? { via: e.actor_via, tool: e.actor_tool ?? '' } : {}),
      },
      data: data[n],
      ...(changes[n] ? { changes: changes[n] } : {}),
    })),
  };
}
