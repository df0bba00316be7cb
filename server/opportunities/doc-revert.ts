import * as Y from 'yjs';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import {
  addStep,
  docStepKeys,
  planArray,
  readFields,
  readPlan,
  writeFields,
  type DocStep,
} from '../../shared/sync/deal-doc.ts';
import type { DocIssue } from '../../shared/sync/doc-validation.ts';

/** What the document held before an update: what a refusal puts back. */
export interface DocSnapshot {
  fields: Record<string, unknown>;
  plan: Map<string, Record<string, unknown>>;
}

export function snapshot(doc: Y.Doc): DocSnapshot {
  const plan = new Map<string, Record<string, unknown>>();
  for (const step of readPlan(doc))
    if (step && typeof step.id === 'string') plan.set(step.id, step);
  return { fields: readFields(doc), plan };
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * Undoes, by new edits made as the server, what an update changed at the refused paths — or, with
 * `everything`, all it changed. A CRDT cannot drop an update its sender already holds (later edits
 * would build on it), so a refusal is a compensating edit: every replica converges on the valid
 * document, and the others receive the update merged with its undoing, so they never see it.
 */
export function revert(
  doc: Y.Doc,
  before: DocSnapshot,
  issues: readonly DocIssue[],
  everything = false,
): void {
  const now = snapshot(doc);
  const fieldKeys = new Set<string>();
  const stepIndexes = new Set<number>();
  for (const { path } of issues) {
    const [root, key] = path.split('.');
    if (root === 'fields' && key) fieldKeys.add(key);
    else if (root === 'notes') fieldKeys.add('notes');
    else if (root === 'plan' && key !== undefined) stepIndexes.add(Number(key));
  }
  if (everything) {
    for (const key of new Set([...Object.keys(before.fields), ...Object.keys(now.fields)]))
      if (!same(before.fields[key], now.fields[key])) fieldKeys.add(key);
  }
  doc.transact(() => {
    const restore: Record<string, unknown> = {};
    for (const key of fieldKeys) restore[key] = before.fields[key] ?? null;
    writeFields(doc, restore);
    revertPlan(doc, before, stepIndexes, everything);
  });
}

function revertPlan(
  doc: Y.Doc,
  before: DocSnapshot,
  indexes: ReadonlySet<number>,
  everything: boolean,
): void {
  const plan = planArray(doc);
  // From the end, so deleting one does not move those still to visit.
  for (let n = plan.length - 1; n >= 0; n--) {
    const item = plan.get(n) as unknown;
    const id = item instanceof Y.Map ? item.get('id') : undefined;
    const old = typeof id === 'string' ? before.plan.get(id) : undefined;
    const changed = !(item instanceof Y.Map) || !old || !same(old, item.toJSON());
    if (!(indexes.has(n) || (everything && changed))) continue;
    if (old && item instanceof Y.Map) {
      for (const key of item.keys())
        if (!(docStepKeys as readonly string[]).includes(key)) item.delete(key);
      for (const key of docStepKeys) item.set(key, old[key] ?? null);
    } else {
      plan.delete(n, 1);
    }
  }
  // Steps are never removed: put back any the update deleted.
  const present = new Set(readPlan(doc).map((s) => s?.id));
  for (const [id, step] of before.plan)
    if (!present.has(id)) addStep(doc, step as unknown as DocStep);
}
