import * as Y from 'yjs';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import { isBackward, type Stage } from '../../shared/opportunities/stages.ts';
import { docStepKeys, readFields, writeFields, type DocStep } from '../../shared/sync/deal-doc.ts';
import { checkDealDoc, type DocCheck, type DocIssue } from '../../shared/sync/doc-validation.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import type { Principal } from '../tenants/principal.ts';
import { requireDeal } from './deal-access.ts';
import { writeDeals, type DealWrite } from './deal-writer.ts';
import { revert, snapshot } from './doc-revert.ts';
import { markNotesDue, stepIdTaken } from './live-edit.repository.ts';
import type { NotesSettler } from './notes-settler.ts';
import { rowToFields } from './opportunity.mapper.ts';
import { participationStatus, stepsOf } from './opportunity.repository.ts';
import { addFirstDealDebrief, changedFields } from './opportunity.service.ts';

/** Why a connection must start over: the update builds on changes the server does not have. */
export class NeedsResync extends Error {}

const stepKeys = docStepKeys.filter((k) => k !== 'id');

/** What became of a live edit: whether it changed anything, and the paths refused (undone). */
export interface LiveEditResult {
  changed: boolean;
  refused: DocIssue[];
}

/**
 * A live edit (a deal room's update, its bytes already checked by sync), through the one write
 * path: applied to the write's copy of the document, the whole document checked by the API's rules, the fields and plan that changed recorded as the same
 * events an API write records (so lists, exports and feeds see live edits), and the update itself
 * recorded with its author. What the update got wrong is undone by a compensating edit (see
 * `revert`) and reported as `refused`, naming each path; the rest of it stands. Raises NotFound,
 * Forbidden, ValidationFailed (nothing of it holds) or NeedsResync, and then nothing is written.
 */
export async function applyLiveEdit(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: {
    dealId: string;
    update: Uint8Array;
    origin: unknown;
    /** Keystrokes in the notes reach the tables through it, at most once a second per deal. */
    notes?: Pick<NotesSettler, 'defer'>;
  },
): Promise<LiveEditResult> {
  const { dealId, update, origin } = input;
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

    // Read once for the checks and the step events: only the step events below change them.
    const stored = await stepsOf(w.trx, dealId);
    let check = await checkAll(w, dealId, doc, stored);
    const refused = check.ok ? [] : check.issues;
    // Undo the refused paths; if the rest still does not hold (a stage rule spans fields), undo
    // the whole update.
    for (const everything of [false, true]) {
      if (check.ok) break;
      revert(doc, before, check.issues, everything);
      check = await checkAll(w, dealId, doc, stored);
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
      await markNotesDue(w.trx, dealId, w.now);
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
    await recordPlan(w, dealId, check.plan, stored);
    if (changes.stage !== undefined) await addFirstDealDebrief(w, dealId, check.fields);
    return { changed: true, refused };
  });
}

/** The refused paths and why, for the person who typed them. */
export function describe(issues: readonly DocIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

type StoredStep = Awaited<ReturnType<typeof stepsOf>>[number];

/**
 * The document's own rules, then those that need the database: stored steps kept, step ids free,
 * owners taking part.
 */
async function checkAll(
  w: DealWrite,
  dealId: string,
  doc: Y.Doc,
  storedSteps: readonly StoredStep[],
): Promise<DocCheck> {
  const check = checkDealDoc(doc);
  if (!check.ok) return check;
  const stored = new Set(storedSteps.map((s) => s.id));
  const issues: DocIssue[] = [];
  const inDoc = new Set(check.plan.map((s) => s.id));
  for (const id of stored) {
    if (!inDoc.has(id))
      issues.push({ path: 'plan', message: `step ${id} was removed; set its status to skipped` });
  }
  for (const [n, step] of check.plan.entries()) {
    if (!stored.has(step.id)) {
      if (await stepIdTaken(w.trx, step.id))
        issues.push({ path: `plan.${n}.id`, message: 'already used; make a new id' });
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
async function recordPlan(
  w: DealWrite,
  dealId: string,
  plan: DocStep[],
  storedSteps: readonly StoredStep[],
): Promise<void> {
  const stored = new Map(storedSteps.map((s) => [s.id, s]));
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
