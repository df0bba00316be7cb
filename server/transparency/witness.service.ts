import { z } from 'zod';
import {
  encodeVkey,
  noteAlg,
  parseNote,
  parseVkey,
  verifyNoteSignature,
  type Verifier,
} from '../../shared/ledger/signed-note.ts';
import { DomainError, notFound } from '../core/domain-error.ts';
import { newId } from '../core/ids.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Deps } from '../deps.ts';
import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { checkpointAt, type StoredCheckpoint } from './checkpoint.repository.ts';

export const witnessKeyInput = z.strictObject({
  vkey: z
    .string()
    .max(500)
    .describe(
      'The witness public key as a C2SP vkey: `<name>+<key ID>+<base64 of 0x04 ‖ Ed25519 key>`',
    ),
});

const invalid = (path: string, message: string) =>
  new DomainError('ValidationFailed', message, [{ path, message }]);

/** Registers the company's witness key (its private half stays with the company); retires the previous one. */
export async function registerWitnessKey(
  deps: Deps<'db' | 'writes' | 'clock'>,
  scope: CompanyScope,
  input: z.input<typeof witnessKeyInput>,
): Promise<{ keyId: string; vkey: string }> {
  const { vkey } = parseInput(witnessKeyInput, input);
  let verifier: Verifier;
  try {
    verifier = parseVkey(vkey);
  } catch (error) {
    throw invalid('vkey', (error as Error).message);
  }
  if (verifier.alg !== noteAlg.cosignatureV1)
    throw invalid('vkey', 'a witness key is a cosignature/v1 key (signature type 0x04)');
  const keyId = Buffer.from(verifier.keyId).toString('hex');
  const now = deps.clock.now().toISOString();
  await deps.writes.run(async (trx) => {
    await trx
      .updateTable('witness_keys')
      .set({ retired_at: now })
      .where('company_id', '=', scope.companyId)
      .where('retired_at', 'is', null)
      .where('key_id', '!=', keyId)
      .execute();
    await trx
      .insertInto('witness_keys')
      .values({
        company_id: scope.companyId,
        key_id: keyId,
        vkey: encodeVkey(verifier),
        created_at: now,
        retired_at: null,
      })
      .onConflict((oc) => oc.columns(['company_id', 'key_id']).doUpdateSet({ retired_at: null }))
      .execute();
  });
  return { keyId, vkey: encodeVkey(verifier) };
}

/** Every witness key a company registered, retired ones too (old cosignatures still verify). */
export async function witnessKeysOf(db: Executor, companyId: string) {
  const rows = await db
    .selectFrom('witness_keys')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    keyId: r.key_id,
    vkey: r.vkey,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  }));
}

export const cosignInput = z.strictObject({
  size: z.number().int().positive().describe('The checkpoint being cosigned (its tree size)'),
  cosignature: z
    .string()
    .max(1000)
    .describe('One signed-note line, `— <name> <base64>`, cosignature/v1 over the checkpoint'),
});

/**
 * Takes a company witness's cosignature of a checkpoint, after checking it with the company's
 * current witness key. Raises NotFound (no such checkpoint), ValidationFailed (does not verify,
 * or dated in the future).
 */
export async function submitCosignature(
  deps: Deps<'db' | 'writes' | 'clock'>,
  scope: CompanyScope,
  logId: string,
  input: z.input<typeof cosignInput>,
): Promise<StoredCheckpoint> {
  const parsed = parseInput(cosignInput, input);
  const checkpoint = await checkpointAt(deps.db, logId, parsed.size);
  if (!checkpoint) throw notFound('checkpoint');
  const line = parsed.cosignature.endsWith('\n') ? parsed.cosignature : `${parsed.cosignature}\n`;
  const keys = (await witnessKeysOf(deps.db, scope.companyId)).filter((k) => !k.retiredAt);
  if (keys.length === 0)
    throw new DomainError(
      'InvalidState',
      'your company has no witness key: register one first (transparency.registerWitnessKey)',
    );
  let note;
  try {
    note = parseNote(checkpoint.note.split('\n\n')[0] + '\n\n' + line);
  } catch (error) {
    throw invalid('cosignature', (error as Error).message);
  }
  for (const key of keys) {
    const ok = await verifyNoteSignature(note, parseVkey(key.vkey));
    if (ok) {
      await record(deps, scope, logId, parsed.size, key.keyId, line, ok.timestamp!);
      return (await checkpointAt(deps.db, logId, parsed.size))!;
    }
  }
  throw invalid(
    'cosignature',
    "it is not a cosignature/v1 of this checkpoint by your company's witness key",
  );
}

async function record(
  deps: Deps<'writes' | 'clock'>,
  scope: CompanyScope,
  logId: string,
  size: number,
  keyId: string,
  line: string,
  timestamp: number,
): Promise<void> {
  const now = deps.clock.now().getTime();
  if (timestamp * 1000 > now + 5 * 60_000)
    throw invalid('cosignature', 'the cosignature is dated more than five minutes in the future');
  await deps.writes.run((trx) =>
    trx
      .insertInto('transparency_cosignatures')
      .values({
        log_id: logId,
        size,
        company_id: scope.companyId,
        key_id: keyId,
        line,
        cosigned_at: new Date(timestamp * 1000).toISOString(),
      })
      // The first cosignature of a checkpoint stands.
      .onConflict((oc) => oc.columns(['log_id', 'size', 'company_id']).doNothing())
      .execute(),
  );
}

export const alarmInput = z.strictObject({
  detail: z
    .string()
    .min(1)
    .max(2000)
    .describe('What the witness saw: sizes, roots, the proof that failed'),
});

/** A company's witness reports a log it will not cosign (a fork, a log that shrank). */
export async function reportAlarm(
  deps: Deps<'writes' | 'clock' | 'logger'>,
  scope: CompanyScope,
  logId: string,
  input: z.input<typeof alarmInput>,
): Promise<{ id: string }> {
  const { detail } = parseInput(alarmInput, input);
  const id = newId('alm');
  await deps.writes.run((trx) =>
    trx
      .insertInto('witness_alarms')
      .values({
        id,
        company_id: scope.companyId,
        log_id: logId,
        detail,
        reported_at: deps.clock.now().toISOString(),
      })
      .execute(),
  );
  deps.logger.warn({ companyId: scope.companyId, logId, detail }, 'witness alarm');
  return { id };
}

export async function alarmsOf(db: Executor, companyId: string) {
  const rows = await db
    .selectFrom('witness_alarms')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('reported_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    logId: r.log_id,
    detail: r.detail,
    reportedAt: r.reported_at,
  }));
}
