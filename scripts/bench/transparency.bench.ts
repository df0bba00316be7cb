import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2';
import { verifyInclusion } from '../../shared/ledger/merkle.ts';
import { logIdOf } from '../../shared/ledger/log-origin.ts';
import { partnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer } from '../../test/kit/harness.ts';
import { inclusionAt, rootAt } from '../../server/transparency/proof.service.ts';
import { logSize } from '../../server/transparency/tree.repository.ts';
import { figure, opsPerSecond, type Figure } from './measure.ts';

/**
 * The partnership transparency log: what taking events in costs next to the upserts that made
 * them (it runs after their commits, off the write path), and proof generation and verification
 * rates against bare SHA-256 of a node (65 bytes) in the same run.
 */
export async function benchTransparency({
  deals = 10_000,
  ms = 1500,
}: { deals?: number; ms?: number } = {}): Promise<Figure[]> {
  const server = await startTestServer();
  try {
    const world = await partnerPair(server);
    // Upserts shared with the partner: each puts its invitation in the log (the creation comes
    // before the partner is a party).
    const started = performance.now();
    for (let i = 0; i < deals; i += 1000)
      await world.a.opportunities.batchUpsert.mutate({
        items: Array.from({ length: Math.min(1000, deals - i) }, (_, n) => ({
          externalRef: `t-${i + n}`,
          fields: {
            title: `Logged ${i + n}`,
            customer: { name: `Customer ${i + n}` },
            amountMinor: 1000,
            currency: 'EUR',
          },
          shareWith: [{ partner: 'globex', role: 'co_seller' as const }],
        })),
      });
    const upsertSeconds = (performance.now() - started) / 1000;
    // Whatever the after-commit integration has not done yet, done now, and timed alone.
    const integrateStart = performance.now();
    await server.deps.transparency.catchUp();
    const backlogSeconds = (performance.now() - integrateStart) / 1000;
    // The whole integration cost, measured again from scratch on the same events.
    for (const table of [
      'transparency_leaves',
      'transparency_nodes',
      'transparency_cursor',
    ] as const)
      await server.deps.db.deleteFrom(table).execute();
    const fullStart = performance.now();
    await server.deps.transparency.catchUp();
    const integrateSeconds = (performance.now() - fullStart) / 1000;

    const logId = logIdOf(world.acme.id, world.globex.id);
    const size = await logSize(server.deps.db, logId);
    const root = await rootAt(server.deps.db, logId, size);
    let i = 0;
    const prove = await opsPerSecond(
      () => inclusionAt(server.deps.db, logId, [(i = (i + 7919) % size)], size),
      ms,
    );
    const batch = Array.from({ length: 500 }, (_, n) => (n * 7919) % size);
    const provePage =
      (await opsPerSecond(() => inclusionAt(server.deps.db, logId, batch, size), ms)) * 500;
    const [path] = await inclusionAt(server.deps.db, logId, [size - 1], size);
    const leaf = (
      await server.deps.db
        .selectFrom('transparency_nodes')
        .select('hash')
        .where('log_id', '=', logId)
        .where('level', '=', 0)
        .where('idx', '=', size - 1)
        .executeTakeFirstOrThrow()
    ).hash;
    const leafBytes = new Uint8Array(Buffer.from(leaf, 'hex'));
    if (!verifyInclusion(leafBytes, size - 1, size, path!, root)) throw new Error('proof failed');
    const verify = await opsPerSecond(
      () => verifyInclusion(leafBytes, size - 1, size, path!, root),
      ms,
    );
    const node = new Uint8Array(65);
    const bareNoble = await opsPerSecond(() => sha256(node), ms);
    const bareNode = await opsPerSecond(() => createHash('sha256').update(node).digest(), ms);
    return [
      figure(
        `log intake (after commit, off the write path), ${size.toLocaleString('en')} leaves`,
        integrateSeconds,
        's',
        `the ${deals.toLocaleString('en')} shared upserts that made them`,
        upsertSeconds,
      ),
      figure(
        'intake still pending when the last upsert answered',
        backlogSeconds,
        's',
        `the ${deals.toLocaleString('en')} shared upserts`,
        upsertSeconds,
      ),
      figure(
        `inclusion proof, one at a time from the store (tree of ${size.toLocaleString('en')})`,
        prove,
        'proofs/s',
        'bare SHA-256 of a node (node:crypto)',
        bareNode,
      ),
      figure(
        'inclusion proofs, 500 per fetch (an export page)',
        provePage,
        'proofs/s',
        'bare SHA-256 of a node (node:crypto)',
        bareNode,
      ),
      figure(
        `inclusion proof verify (${path!.length} hashes, @noble/hashes)`,
        verify,
        'proofs/s',
        'bare SHA-256 of a node (@noble/hashes)',
        bareNoble,
      ),
    ];
  } finally {
    await server.stop();
  }
}
