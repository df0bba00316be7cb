import type { Selectable, Updateable } from 'kysely';
import type {
  WebhookDeliveriesTable,
  WebhookDeliveryStatus,
  WebhookEndpointsTable,
} from '../../schema/database.ts';
import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export async function insertEndpoint(db: Executor, row: EndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export async function findEndpoint(
  db: Executor,
  scope: CompanyScope,
  id: string,
): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listEndpoints(db: Executor, scope: CompanyScope): Promise<EndpointRow[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Deliveries not yet acknowledged, per endpoint of the company. */
export async function pendingCounts(
  db: Executor,
  scope: CompanyScope,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.endpoint_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.company_id', '=', scope.companyId)
    .where('d.status', '!=', 'delivered')
    .groupBy('d.endpoint_id')
    .execute();
  return new Map(rows.map((r) => [r.endpoint_id, Number(r.n)]));
}

export async function updateEndpoint(
  db: Executor,
  scope: CompanyScope,
  input: { id: string; set: Updateable<WebhookEndpointsTable> },
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set(input.set)
    .where('company_id', '=', scope.companyId)
    .where('id', '=', input.id)
    .execute();
}

export async function deleteEndpoint(db: Executor, scope: CompanyScope, id: string): Promise<void> {
  await db
    .deleteFrom('webhook_endpoints')
    .where('company_id', '=', scope.companyId)
    .where('id', '=', id)
    .execute();
}

/** Deliveries that were given up on go back in the queue, with a fresh retry window. */
export async function requeueFailed(
  db: Executor,
  input: { endpointId: string; at: string },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: input.at, first_attempt_at: null })
    .where('endpoint_id', '=', input.endpointId)
    .where('status', '=', 'failed')
    .execute();
}

/** One endpoint's deliveries, newest event first. The endpoint must be the caller's. */
export async function listDeliveries(
  db: Executor,
  input: { endpointId: string; status?: WebhookDeliveryStatus; before?: number; limit: number },
): Promise<DeliveryRow[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', input.endpointId);
  if (input.status) query = query.where('status', '=', input.status);
  if (input.before !== undefined) query = query.where('seq', '<', input.before);
  return query.orderBy('seq', 'desc').limit(input.limit).execute();
}
