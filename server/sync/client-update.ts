import * as Y from 'yjs';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import { isBackward, type Stage } from '../../shared/opportunities/stages.ts';
import {
  docRoots,
  docStepKeys,
  notesText,
  readFields,
  writeFields,
  type DocStep,
} from '../../shared/sync/deal-doc.ts';
import { checkDealDoc, type DocCheck, type DocIssue } from '../../shared/sync/doc-validation.ts';
import type { Deps } from '../deps.ts';
import type { Executor } from '../store/sqlite/db.ts';
import { DomainError } from '../core/domain-error.ts';
import { requireDeal } from '../opportunities/deal-access.ts';
import { writeDeals, type DealWrite } from '../opportunities/deal-writer.ts';
import { rowToFields } from '../opportunities/opportunity.mapper.ts';
import { participationStatus, stepsOf } from '../opportunities/opportunity.repository.ts';
import { addFirstDealDebrief, changedFields } from '../opportunities/opportunity.service.ts';
import type { Actor } from '../ledger/ledger-event.ts';
import type { Principal } from '../tenants/principal.ts';
import { serverClientId } from './doc-store.ts';
import { revert, snapshot } from './doc-revert.ts';
import type { NotesSettler } from './notes-settler.ts';

/** Why a connection must start over: the update builds on changes the server does not have. */
export class NeedsResync extends Error {}

const layoutRoots = new Set<string>(Object.values(docRoots));

/**
 * Checks an update before it is applied: it must decode, must not write under the server's
 * client id, and must write only into the layout's root types (anything else would be stored and
 * relayed without any check). Raises ValidationFailed.
 */
export function checkUpdateBytes(update: Uint8Array): void {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new DomainError('ValidationFailed', 'the update is not a Yjs update');
  }
  if (decoded.structs.some((s) => s.id.client === serverClientId)) {
    throw new DomainError('ValidationFailed', `client id ${serverClientId} is the server's`);
  }
  // An item names its root type by name only when it starts one; the rest hang off other items.
  const foreign = decoded.structs.find(
    (s) => s instanceof Y.Item && typeof s.parent === 'string' && !layoutRoots.has(s.parent),
  ) as Y.Item | undefined;
  if (foreign) {
    const root = String(foreign.parent);
    throw new DomainError(
      'ValidationFailed',
      `update refused: ${root}: not part of the deal room`,
      [{ path: root, message: 'not part of the deal room' }],
    );
  }
}

const stepKeys = docStepKeys.filter((k) => k !== 'id');

/** What became of a live edit: whether it changed anything, and the paths refused (undone). */
export interface ClientUpdateResult {
  changed: boolean;
  refused: DocIssue[];
}

/**
 * A live edit, through the one write path: applied to the write's copy of the document, the whole
 * document checked by the API's rules, the fields and plan that changed recorded as the same
 * events an API write records (so lists, exports and feeds see live edits), and the update itself
 * recorded with its author. What the update got wrong is undone by a compensating edit (see
 * `revert`) and reported as `refused`, naming each path; the rest of it stands. Raises NotFound,
 * Forbidden, or NeedsResync, and then nothing is written.
 */
export async function applyClientUpdate(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: {
    dealId: string;
    update: Uint8Array;
    origin: unknown;
    /** Keystrokes in the notes reach the tables through it, at most once a second per deal. */
    notes?: Pick<NotesSettler, 'defer'>;
  },
): Promise<ClientUpdateResult> {
  const { dealId, update, origin } = input;
  checkUpdateBytes(update);
  return writeDeals(deps, actor, async (w) => {
    const { deal } = await requireDeal(w.trx, actor, { dealId, need: 'full' });
    const doc = await w.doc(dealId);
    const before = snapshot(doc);
    let changed = false;
    const mark = () => (changed = true);
    doc.on('update', mark);
    Y.applyUpdate(doc, update, origin);
    doc.off('update', mark);
    if (doc.store.pendingStructs || doc.store.pendingDs) throw new NeedsResync();
    if (!changed) return { changed: false, refused: [] };

    let check = await checkAll(w, dealId, doc);
    const refused = check.ok ? [] : check.issues;
    // Undo the refused paths; if the rest still does not hold (a stage rule spans fields), undo
    // the whole update.
    for (const everything of [false, true]) {
      if (check.ok) break;
      revert(doc, before, check.issues, everything);
      check = await checkAll(w, dealId, doc);
    }
    if (!check.ok) {
      throw new DomainError(
        'ValidationFailed',
        `update refused: ${describe(check.issues)}`,
        check.issues,
      );
    }
    await w.emit(dealId, {
      type: 'doc.updated',
      data: {
        update: Buffer.from(update).toString('base64'),
        ...(refused.length > 0 ? { refused: refused.map((i) => i.path) } : {}),
      },
    });

    const current = rowToFields(deal);
    const changes = changedFields(current, check.fields);
    const keys = Object.keys(changes);
    if (keys.length === 1 && keys[0] === 'notes' && input.notes?.defer(dealId)) {
      delete changes.notes;
      // Kept with the edit, so a crash before the settle cannot lose it.
      await w.trx
        .insertInto('notes_due')
        .values({ deal_id: dealId, since: w.now })
        .onConflict((oc) => oc.column('deal_id').doNothing())
        .execute();
    }
    // The stored form of a field can differ from what was typed (a domain reduced, a country
    // upper-cased): write it back, so the document and the tables agree.
    const raw = readFields(doc);
    const corrections = Object.fromEntries(
      Object.keys(changes)
        .filter((key) => !same(raw[key], check.fields[key as keyof typeof check.fields]))
        .map((key) => [key, check.fields[key as keyof typeof check.fields]]),
    );
    if (Object.keys(corrections).length > 0) doc.transact(() => writeFields(doc, corrections));
    if (Object.keys(changes).length > 0) {
      const backward =
        changes.stage !== undefined &&
        isBackward(current.stage as Stage, check.fields.stage as Stage);
      await w.emit(
        dealId,
        { type: 'opportunity.updated', data: { changes, ...(backward ? { backward } : {}) } },
        { fromDoc: true },
      );
    }
    await recordPlan(w, dealId, check.plan);
    if (changes.stage !== undefined) await addFirstDealDebrief(w, dealId, check.fields);
    return { changed: true, refused };
  });
}

/**
 * Records the notes the deal's document holds, if the tables' copy differs, and clears the deal's
 * `notes_due` (see NotesSettler). The text is the last typist's, so the event is theirs.
 */
export async function settleNotes(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  dealId: string,
): Promise<void> {
  const typist = await deps.db
    .selectFrom('ledger_events')
    .select(['actor_company_id', 'actor_kind', 'actor_id'])
    .where('deal_id', '=', dealId)
    .where('type', '=', 'doc.updated')
    .orderBy('deal_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const clear = (db: Executor) =>
    db.deleteFrom('notes_due').where('deal_id', '=', dealId).execute();
  if (!typist) {
    await deps.writes.run(clear);
    return;
  }
  const actor: Actor = {
    companyId: typist.actor_company_id,
    kind: typist.actor_kind,
    id: typist.actor_id,
  };
  await writeDeals(deps, actor, async (w) => {
    await clear(w.trx);
    const deal = await w.trx
      .selectFrom('opportunities')
      .selectAll()
      .where('id', '=', dealId)
      .executeTakeFirst();
    if (!deal) return;
    const current = rowToFields(deal);
    const notes = notesText(await w.doc(dealId)).toString();
    const changes = changedFields(current, { ...current, notes });
    if (Object.keys(changes).length === 0) return;
    await w.emit(dealId, { type: 'opportunity.updated', data: { changes } }, { fromDoc: true });
  });
}

export function describe(issues: readonly DocIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** The document's own rules, then those that need the database: step ids free, owners taking part. */
async function checkAll(w: DealWrite, dealId: string, doc: Y.Doc): Promise<DocCheck> {
  const check = checkDealDoc(doc);
  if (!check.ok) return check;
  const stored = new Set((await stepsOf(w.trx, dealId)).map((s) => s.id));
  const issues: DocIssue[] = [];
  const inDoc = new Set(check.plan.map((s) => s.id));
  for (const id of stored) {
    if (!inDoc.has(id))
      issues.push({ path: 'plan', message: `step ${id} was removed; set its status to skipped` });
  }
  for (const [n, step] of check.plan.entries()) {
    if (!stored.has(step.id)) {
      const taken = await w.trx
        .selectFrom('co_sell_steps')
        .select('id')
        .where('id', '=', step.id)
        .executeTakeFirst();
      if (taken) issues.push({ path: `plan.${n}.id`, message: 'already used; make a new id' });
    }
    const status = await participationStatus(w.trx, { dealId, companyId: step.ownerCompanyId });
    if (status !== 'accepted')
      issues.push({
        path: `plan.${n}.ownerCompanyId`,
        message: 'not a company taking part in the deal',
      });
  }
  return issues.length > 0 ? { ok: false, issues } : check;
}

/** The plan's new and changed steps as step events (checked already by `checkAll`). */
async function recordPlan(w: DealWrite, dealId: string, plan: DocStep[]): Promise<void> {
  const stored = new Map((await stepsOf(w.trx, dealId)).map((s) => [s.id, s]));
  for (const step of plan) {
    const before = stored.get(step.id);
    if (!before) {
      await w.emit(dealId, { type: 'step.added', data: { step } }, { fromDoc: true });
      continue;
    }
    const old: Record<(typeof stepKeys)[number], unknown> = {
      play: before.play,
      title: before.title,
      ownerCompanyId: before.owner_company_id,
      ownerPerson: before.owner_person,
      dueDate: before.due_date,
      status: before.status,
      outcome: before.outcome,
    };
    const changes = Object.fromEntries(
      stepKeys.filter((k) => old[k] !== step[k]).map((k) => [k, step[k]]),
    );
    if (Object.keys(changes).length > 0)
      await w.emit(
        dealId,
        { type: 'step.updated', data: { stepId: step.id, changes } },
        { fromDoc: true },
      );
  }
}
