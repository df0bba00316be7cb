import fc from 'fast-check';
import * as Y from 'yjs';
import { fieldsMap } from '../../shared/sync/deal-doc.ts';
import { checkDealDoc } from '../../shared/sync/doc-validation.ts';
import { partnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer } from '../../test/kit/harness.ts';
import { sleep } from '../../test/kit/sleep.ts';
import { RawRoomClient, seen } from '../bench/room-client.ts';
import { fuzzFrames, type FuzzFrame } from './sync-frames.ts';

export interface SyncFuzzReport {
  frames: number;
  byKind: Record<string, number>;
  /** How the sender's socket ended (close code, or "open" when the frame was dropped). */
  outcomes: Record<string, number>;
  refusedWithReason: number;
  failures: { kind: string; frame: string; problem: string }[];
}

const hex = (data: Uint8Array | string) =>
  typeof data === 'string' ? JSON.stringify(data) : Buffer.from(data).toString('hex');

/** What must not change: the document's content and its state vector. */
function fingerprint(doc: Y.Doc | undefined): string {
  if (!doc) return 'unloaded';
  return JSON.stringify({ content: doc.toJSON(), sv: hex(Y.encodeStateVector(doc)) });
}

/**
 * Random and malformed y-protocols messages on a deal room, each from a fresh member's socket,
 * while a partner's client stays in the room: the sender's socket closes or the frame is refused
 * or dropped, the room and the server carry on (the partner stays connected and still gets a
 * valid edit afterwards), and a malformed frame leaves the document exactly as it was.
 */
export async function fuzzSync(input: { numRuns: number; seed: number }): Promise<SyncFuzzReport> {
  const server = await startTestServer();
  const clients: RawRoomClient[] = [];
  try {
    const { acme, globex, a, b } = await partnerPair(server);
    const deal = await a.opportunities.create.mutate({
      fields: {
        title: 'Fuzz room',
        customer: { name: 'Fuzz Co' },
        amountMinor: 1000,
        currency: 'EUR',
      },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await b.opportunities.accept.mutate({ id: deal.id });
    const address = (token: string) => ({ baseUrl: server.url, dealId: deal.id, token });
    // What the server logs as an error while fuzzed is a failure too, with its stack for the report.
    const logged: string[] = [];
    const logger = server.deps.logger as unknown as { error: (obj: unknown, msg?: string) => void };
    logger.error = (obj: unknown, msg?: string) => {
      const err = (obj as { err?: Error } | undefined)?.err;
      logged.push(`${msg ?? ''}: ${err?.stack ?? String(err)}`);
    };
    const acmeToken = await acme.memberToken('alliance');
    const observer = new RawRoomClient(address(await globex.memberToken('alliance')));
    clients.push(observer);
    await observer.synced;

    const report: SyncFuzzReport = {
      frames: 0,
      byKind: {},
      outcomes: {},
      refusedWithReason: 0,
      failures: [],
    };
    const fail = (f: FuzzFrame, problem: string) =>
      report.failures.push({ kind: f.kind, frame: hex(f.data).slice(0, 400), problem });
    let round = 0;

    /** The room still works: a valid edit from a new member reaches the partner. */
    const roomAlive = async (f: FuzzFrame) => {
      const editor = new RawRoomClient(address(acmeToken));
      clients.push(editor);
      const value = `alive ${++round}`;
      try {
        await editor.synced;
        const arrived = seen(observer.doc, 'nextStep', value, 5000);
        fieldsMap(editor.doc).set('nextStep', value);
        await arrived;
      } catch (error) {
        fail(f, `room dead after the frame: ${(error as Error).message}`);
      } finally {
        editor.stop();
      }
    };

    await fc
      .assert(
        fc.asyncProperty(fuzzFrames, async (f) => {
          const before = fingerprint(server.deps.docs.live(deal.id));
          const attacker = new RawRoomClient(address(acmeToken));
          clients.push(attacker);
          await attacker.synced;
          attacker.sendRaw(f.data);
          await Promise.race([attacker.closed, sleep(150)]);
          // Let a frame that was handled reach the store and the partner before looking.
          await server.deps.docs.settled(deal.id);
          const code = attacker.closeCode === undefined ? 'open' : String(attacker.closeCode);
          attacker.stop();
          report.frames++;
          report.byKind[f.kind] = (report.byKind[f.kind] ?? 0) + 1;
          report.outcomes[code] = (report.outcomes[code] ?? 0) + 1;
          if (attacker.denied.length > 0) report.refusedWithReason++;

          const live = server.deps.docs.live(deal.id);
          if (f.malformed && fingerprint(live) !== before) fail(f, 'the document changed');
          if (live && !checkDealDoc(live).ok) fail(f, 'the document no longer passes its checks');
          if (['1001', '1006', '1011'].includes(code))
            fail(f, `the server ended the socket with ${code}`);
          for (const line of logged.splice(0))
            fail(f, `server logged an error: ${line.slice(0, 600)}`);
          if (observer.closeCode !== undefined)
            fail(f, `the partner was disconnected (${observer.closeCode})`);
          const health = await fetch(`${server.url}/healthz`);
          if (health.status !== 200) fail(f, `healthz answered ${health.status}`);
          if (report.frames % 25 === 0) await roomAlive(f);
          return report.failures.length === 0;
        }),
        { numRuns: input.numRuns, seed: input.seed, endOnFailure: true },
      )
      .catch(() => {});
    if (report.failures.length === 0)
      await roomAlive({ kind: 'final check', data: '', malformed: false });
    return report;
  } finally {
    for (const c of clients) c.stop();
    await server.stop();
  }
}
