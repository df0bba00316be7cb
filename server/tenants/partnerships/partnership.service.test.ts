import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../../client/sdk/tandem-client.ts';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';
import { refusal } from '../../../test/kit/refusal.ts';

let server: TestServer;
let seq = 0;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

interface Side {
  company: TestCompany;
  api: TandemClient['partnerships'];
}

/** A fresh company with an admin, so each test starts with no partnerships. */
async function side(name: string): Promise<Side> {
  const company = await server.company(`${name}-${++seq}`);
  return { company, api: server.client(await company.memberToken('admin')).partnerships };
}

async function pair(): Promise<[Side, Side]> {
  return [await side('inviter'), await side('invitee')];
}

function invite(from: Side, to: Side) {
  return from.api.invite.mutate({
    partner: to.company.slug,
    partnerType: 'reseller',
    tier: 'gold',
  });
}

describe('the partnership lifecycle', () => {
  it('shows one invitation to both sides, sent by one and received by the other', async () => {
    const [a, b] = await pair();
    const sent = await invite(a, b);
    const partnerOf = (s: Side) => ({
      id: s.company.id,
      slug: s.company.slug,
      name: s.company.name,
    });
    // Until it accepts, the sender sees only the name it gave, not who holds it.
    expect(sent).toMatchObject({
      status: 'invited',
      direction: 'sent',
      partner: { id: null, slug: b.company.slug, name: null },
      partnerType: 'reseller',
      tier: 'gold',
      invitedBy: a.company.id,
    });
    const received = await b.api.list.query();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      id: sent.id,
      status: 'invited',
      direction: 'received',
      partner: partnerOf(a),
      partnerType: 'reseller',
      tier: 'gold',
    });
    expect(await b.api.get.query({ partnershipId: sent.id })).toEqual(received[0]);
    expect(await a.api.get.query({ partnershipId: sent.id })).toEqual(sent);
    await b.api.accept.mutate({ partnershipId: sent.id });
    expect((await a.api.get.query({ partnershipId: sent.id })).partner).toEqual(partnerOf(b));
  });

  it('gives an invitation without a tier the registered tier', async () => {
    const [a, b] = await pair();
    expect(
      await a.api.invite.mutate({ partner: b.company.id, partnerType: 'technology' }),
    ).toMatchObject({ tier: 'registered' });
  });

  it('lets only the invited company answer', async () => {
    const [a, b] = await pair();
    const { id } = await invite(a, b);
    for (const answer of [a.api.accept, a.api.decline]) {
      expect((await refusal(answer.mutate({ partnershipId: id }))).data).toMatchObject({
        code: 'Forbidden',
        httpStatus: 403,
      });
    }
    expect(await b.api.get.query({ partnershipId: id })).toMatchObject({
      status: 'invited',
      respondedAt: null,
    });
  });

  it('lets only the inviter withdraw an invitation; the invitee declines instead', async () => {
    const [a, b] = await pair();
    const { id } = await invite(a, b);
    expect((await refusal(b.api.end.mutate({ partnershipId: id }))).data).toMatchObject({
      code: 'Forbidden',
      httpStatus: 403,
    });
    expect(await b.api.get.query({ partnershipId: id })).toMatchObject({ status: 'invited' });
    expect(await a.api.end.mutate({ partnershipId: id })).toMatchObject({
      status: 'ended',
      endedBy: a.company.id,
    });
  });

  it('makes the partnership active on both sides when the invitee accepts', async () => {
    const [a, b] = await pair();
    const { id } = await invite(a, b);
    const accepted = await b.api.accept.mutate({ partnershipId: id });
    expect(accepted).toMatchObject({ id, status: 'active', direction: 'received' });
    expect(accepted.respondedAt).not.toBeNull();
    expect(await a.api.get.query({ partnershipId: id })).toMatchObject({
      status: 'active',
      direction: 'sent',
      respondedAt: accepted.respondedAt,
    });
  });

  it('refuses a second invitation between the same pair while one is live, from either side', async () => {
    const [a, b] = await pair();
    const { id } = await invite(a, b);
    for (const status of ['invited', 'active'] as const) {
      if (status === 'active') await b.api.accept.mutate({ partnershipId: id });
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        expect((await refusal(invite(from, to))).data).toMatchObject({
          code: 'AlreadyExists',
          httpStatus: 409,
        });
      }
    }
    expect(await a.api.list.query()).toHaveLength(1);
  });

  it.each(['inviter', 'invitee'] as const)('lets the %s end an active partnership', async (who) => {
    const [a, b] = await pair();
    const { id } = await invite(a, b);
    await b.api.accept.mutate({ partnershipId: id });
    const [ender, other] = who === 'inviter' ? [a, b] : [b, a];
    const ended = await ender.api.end.mutate({ partnershipId: id });
    expect(ended).toMatchObject({ status: 'ended', endedBy: ender.company.id });
    expect(ended.endedAt).not.toBeNull();
    expect(await other.api.get.query({ partnershipId: id })).toMatchObject({
      status: 'ended',
      endedBy: ender.company.id,
    });
    const again = await refusal(other.api.end.mutate({ partnershipId: id }));
    expect(again.data).toMatchObject({ code: 'InvalidState', httpStatus: 409 });
  });

  it('allows a new invitation once the partnership has ended', async () => {
    const [a, b] = await pair();
    const first = await invite(a, b);
    await b.api.accept.mutate({ partnershipId: first.id });
    await a.api.end.mutate({ partnershipId: first.id });
    const second = await invite(b, a);
    expect(second).toMatchObject({ status: 'invited', direction: 'sent', invitedBy: b.company.id });
    expect(second.id).not.toBe(first.id);
    expect((await a.api.list.query()).map((p) => [p.id, p.status])).toEqual(
      expect.arrayContaining([
        [first.id, 'ended'],
        [second.id, 'invited'],
      ]),
    );
  });

  it('records a decline on both sides, takes no later answer and allows a new invitation', async () => {
    const [a, b] = await pair();
    const { id } = await invite(a, b);
    const declined = await b.api.decline.mutate({ partnershipId: id });
    expect(declined).toMatchObject({ status: 'declined' });
    expect(declined.respondedAt).not.toBeNull();
    expect(await a.api.get.query({ partnershipId: id })).toMatchObject({ status: 'declined' });
    const late = await refusal(b.api.accept.mutate({ partnershipId: id }));
    expect(late.data).toMatchObject({ code: 'InvalidState', httpStatus: 409 });
    expect(await invite(a, b)).toMatchObject({ status: 'invited' });
  });
});

describe('invitations that make no sense', () => {
  it('refuses an invitation to the inviting company itself, naming the partner field', async () => {
    const a = await side('narcissus');
    for (const partner of [a.company.slug, a.company.id]) {
      const error = await refusal(a.api.invite.mutate({ partner, partnerType: 'referral' }));
      expect(error.data).toMatchObject({ code: 'ValidationFailed', httpStatus: 400 });
      expect(error.data?.issues?.[0]?.path).toBe('partner');
    }
    expect(await a.api.list.query()).toEqual([]);
  });

  it('answers an invitation to a name no company holds exactly as one to a real company', async () => {
    const a = await side('lonely');
    await side('real-one');
    const shape = (p: Record<string, unknown>) => ({ ...p, id: 'x', createdAt: 'x' });
    const toReal = await a.api.invite.mutate({ partner: 'real-one', partnerType: 'referral' });
    const toNobody = await a.api.invite.mutate({ partner: 'no-such-one', partnerType: 'referral' });
    expect(shape(toNobody)).toEqual({
      ...shape(toReal),
      partner: { ...toReal.partner, slug: 'no-such-one' },
    });
    expect(toReal.partner).toEqual({ id: null, slug: 'real-one', name: null });
    // Listed, read, answered, repeated and withdrawn alike.
    expect((await a.api.list.query()).map((p) => p.id).sort()).toEqual(
      [toNobody.id, toReal.id].sort(),
    );
    expect(await a.api.get.query({ partnershipId: toNobody.id })).toEqual(toNobody);
    for (const p of [toReal, toNobody]) {
      const answer = await refusal(a.api.accept.mutate({ partnershipId: p.id }));
      expect(answer.data?.code).toBe('Forbidden');
      const again = await refusal(
        a.api.invite.mutate({ partner: p.partner.slug, partnerType: 'oem' }),
      );
      expect(again.data?.code).toBe('AlreadyExists');
    }
    const endedReal = await a.api.end.mutate({ partnershipId: toReal.id });
    const endedNobody = await a.api.end.mutate({ partnershipId: toNobody.id });
    expect(shape({ ...endedNobody, endedAt: 'x' })).toEqual(
      shape({ ...endedReal, endedAt: 'x', partner: { ...endedReal.partner, slug: 'no-such-one' } }),
    );
  });
});

describe('a third company', () => {
  it('cannot see or touch the partnership of two others', async () => {
    const [a, b] = await pair();
    const c = await side('outsider');
    const { id } = await invite(a, b);
    const attempts = [c.api.get.query, c.api.accept.mutate, c.api.decline.mutate, c.api.end.mutate];
    for (const attempt of attempts) {
      expect((await refusal(attempt({ partnershipId: id }))).data).toMatchObject({
        code: 'NotFound',
        httpStatus: 404,
      });
    }
    expect(await c.api.list.query()).toEqual([]);
    expect(await b.api.get.query({ partnershipId: id })).toMatchObject({ status: 'invited' });
  });
});
