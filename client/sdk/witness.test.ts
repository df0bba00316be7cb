import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  leafHash,
  nodeHash,
  rangeHash,
  type Hash,
  type SubtreeHash,
} from '../../shared/ledger/merkle.ts';
import {
  checkpointBody,
  encodeVkey,
  noteAlg,
  parseNote,
  signAsLog,
  verifierOf,
  verifyNoteSignature,
} from '../../shared/ledger/signed-note.ts';
import {
  loadWitnessKey,
  newWitnessKey,
  witnessRound,
  type WitnessedLog,
  type WitnessState,
} from './witness.ts';

const origin = 'tandem.example/logs/co_a/co_b';

/** The tree of a list of entries, as subtree hashes (small trees: computed directly). */
function treeOf(entries: string[]): SubtreeHash {
  const leaves = entries.map((e) => leafHash(e));
  const perfect: SubtreeHash = (start, end): Hash => {
    if (end - start === 1) return leaves[start]!;
    const mid = start + (end - start) / 2;
    return nodeHash(perfect(start, mid), perfect(mid, end));
  };
  return (start, end) => rangeHash(perfect, start, end);
}

/**
 * A lying log for the witnesses: signs with the real log key but can show each company a
 * different history of the same partnership (`views`), the attack a cosigning witness exists for.
 */
async function forkingLog(views: Record<string, string[]>) {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const logKey = verifierOf('tandem.example/log', noteAlg.ed25519, raw);
  const cosigned: Record<string, string[]> = {};
  const logFor = (company: string): WitnessedLog => ({
    logKey: async () => encodeVkey(logKey),
    logs: async () => [{ partnershipId: 'ptn_1', origin }],
    async checkpoint(_id, since) {
      const entries = views[company]!;
      const tree = treeOf(entries);
      const body = checkpointBody({
        origin,
        size: entries.length,
        rootHash: tree(0, entries.length),
      });
      const note = `${body}\n${await signAsLog(logKey, pair.privateKey, body)}`;
      const consistency =
        since > 0 && since <= entries.length
          ? consistencyProof(tree, since, entries.length).map((h) =>
              Buffer.from(h).toString('base64'),
            )
          : [];
      return { checkpoint: { size: entries.length, note }, consistency };
    },
    async cosign(_id, size, line) {
      (cosigned[company] ??= []).push(`${size}:${line}`);
    },
    async reportAlarm() {},
  });
  return { logFor, cosigned };
}

describe('a company’s witness', () => {
  it('catches a log that shows its two companies different histories, and the forked view never gets both cosignatures', async () => {
    const honest = ['registered by acme on 2026-03-01', 'step added', 'stage set'];
    const views = { a: [...honest], b: [...honest] };
    const { logFor, cosigned } = await forkingLog(views);
    const a = await loadWitnessKey(await newWitnessKey('acme.example/witness'));
    const b = await loadWitnessKey(await newWitnessKey('globex.example/witness'));
    let stateA: WitnessState = { logs: {} };
    let stateB: WitnessState = { logs: {} };
    stateA = (await witnessRound(logFor('a'), a, stateA)).state;
    stateB = (await witnessRound(logFor('b'), b, stateB)).state;
    expect(cosigned.a).toHaveLength(1);
    expect(cosigned.b).toHaveLength(1);

    // The log rewrites the registration date for acme's eyes only, and appends for both.
    views.a = ['registered by acme on 2026-01-01', 'step added', 'stage set', 'won'];
    views.b = [...honest, 'won'];
    const roundA = await witnessRound(logFor('a'), a, stateA);
    const roundB = await witnessRound(logFor('b'), b, stateB);
    expect(roundA.outcomes[0]).toMatchObject({ outcome: 'alarm' });
    expect(roundA.outcomes[0]!.detail).toMatch(
      /fork: checkpoint 4 .* does not extend checkpoint 3/,
    );
    expect(roundA.state).toEqual(stateA); // nothing learnt from a forked view
    expect(roundB.outcomes[0]).toMatchObject({ outcome: 'cosigned', size: 4 });
    expect(cosigned.a).toHaveLength(1); // acme never cosigned the size-4 tree
  });

  it('refuses a log that shrank, and a checkpoint not signed by the pinned log key', async () => {
    const views = { a: ['one', 'two', 'three'] };
    const { logFor } = await forkingLog(views);
    const a = await loadWitnessKey(await newWitnessKey('acme.example/witness'));
    const { state } = await witnessRound(logFor('a'), a, { logs: {} });
    views.a = ['one', 'two'];
    const shrank = await witnessRound(logFor('a'), a, state);
    expect(shrank.outcomes[0]!.detail).toMatch(/the log shrank: it had 3 entries, now shows 2/);
    const other = await forkingLog({ a: ['one', 'two', 'three'] });
    const impostor = await witnessRound(other.logFor('a'), a, state);
    expect(impostor.outcomes[0]!.detail).toMatch(/not signed by the pinned log key/);
  });

  it('cosigns a checkpoint that any verifier can check with the witness key alone', async () => {
    const { logFor, cosigned } = await forkingLog({ a: ['x'] });
    const file = await newWitnessKey('acme.example/witness');
    await witnessRound(logFor('a'), await loadWitnessKey(file), { logs: {} });
    const line = cosigned.a![0]!.split(':').slice(1).join(':');
    const body = checkpointBody({ origin, size: 1, rootHash: leafHash('x') });
    const { parseVkey } = await import('../../shared/ledger/signed-note.ts');
    const ok = await verifyNoteSignature(parseNote(`${body}\n${line}`), parseVkey(file.vkey));
    expect(ok && ok.timestamp).toBeGreaterThan(1_700_000_000);
  });
});
