import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsMap, notesText, planArray } from '../../shared/sync/deal-doc.ts';
import { partnerPair, sharedDeal, type PartnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { docFromProjection } from './doc-from-projection.ts';

let server: TestServer;
let world: PartnerPair;

beforeAll(async () => {
  server = await startTestServer();
  world = await partnerPair(server);
});
afterAll(() => server.stop());

describe('the deal-room hook: onLoadDocument', () => {
  it("builds a deal's first document from its shared fields and plan as the tables hold them", async () => {
    const dealId = await sharedDeal(world, 'Seeded');
    await world.a.opportunities.update.mutate({ id: dealId, patch: { notes: 'From the API' } });
    const step = await world.a.steps.add.mutate({
      dealId,
      step: { play: 'joint_qualification', ownerCompanyId: world.globex.id, ownerPerson: 'Gus' },
    });
    const document = new Y.Doc();
    await docFromProjection({ db: server.deps.db, documentName: dealId, document });
    expect(fieldsMap(document).get('title')).toBe('Seeded');
    expect(fieldsMap(document).get('amountMinor')).toBe(500_000);
    expect(notesText(document).toString()).toBe('From the API');
    expect(planArray(document).toJSON()).toEqual([
      expect.objectContaining({ id: step.id, ownerCompanyId: world.globex.id, ownerPerson: 'Gus' }),
    ]);
  });

  it('leaves the document empty for a deal that does not exist', async () => {
    const document = new Y.Doc();
    await docFromProjection({ db: server.deps.db, documentName: 'no-such-deal', document });
    expect(document.store.clients.size).toBe(0);
  });

  it('is what a room opening a deal with no stored document gets, stored before anyone edits', async () => {
    const dealId = await sharedDeal(world, 'Opened');
    const stored = () =>
      server.deps.db
        .selectFrom('deal_doc_updates')
        .select('id')
        .where('deal_id', '=', dealId)
        .execute();
    expect(await stored()).toHaveLength(0);
    const live = await server.deps.docs.open(server.deps, dealId);
    expect(fieldsMap(live).get('title')).toBe('Opened');
    expect(await stored()).toHaveLength(1);
  });
});
