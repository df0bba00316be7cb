import * as Y from 'yjs';
import type { OpportunityFields } from '../opportunities/opportunity-fields.ts';

/**
 * The layout of a deal room's Yjs document, the one definition both the server and the web app
 * use. Three roots:
 * - `fields`: a Y.Map of the shared fields except notes, each value plain JSON (the customer an
 *   object, products a list); a field left empty is absent or null. Keys outside
 *   {@link docFieldKeys} are refused by the server.
 * - `plan`: a Y.Array of Y.Maps, one per co-sell step, with the keys of {@link DocStep}.
 * - `notes`: a Y.Text, the shared notes.
 * Company-private data (external refs, a partner's own accounts) never enters the document.
 */
export const docRoots = { fields: 'fields', plan: 'plan', notes: 'notes' } as const;

/** The fields the `fields` map may hold: every shared field but `notes`, which is the Y.Text. */
export const docFieldKeys = [
  'title',
  'customer',
  'amountMinor',
  'currency',
  'stage',
  'expectedCloseDate',
  'closeDate',
  'lostReason',
  'products',
  'motion',
  'nextStep',
  'helpRequested',
  'contacts',
] as const satisfies readonly Exclude<keyof OpportunityFields, 'notes'>[];
export type DocFieldKey = (typeof docFieldKeys)[number];

/** A co-sell step as the plan holds it. */
export interface DocStep {
  id: string;
  play: string;
  title: string | null;
  ownerCompanyId: string;
  ownerPerson: string | null;
  dueDate: string | null;
  status: string;
  outcome: string | null;
}
export const docStepKeys = [
  'id',
  'play',
  'title',
  'ownerCompanyId',
  'ownerPerson',
  'dueDate',
  'status',
  'outcome',
] as const satisfies readonly (keyof DocStep)[];

export const fieldsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(docRoots.fields);
export const planArray = (doc: Y.Doc): Y.Array<Y.Map<unknown>> => doc.getArray(docRoots.plan);
export const notesText = (doc: Y.Doc): Y.Text => doc.getText(docRoots.notes);

/**
 * The fields as the document holds them, notes included, as a plain object: what a write
 * validates. Unknown keys are kept, so that validation can name them.
 */
export function readFields(doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = fieldsMap(doc).toJSON();
  out.notes = notesText(doc).toString();
  return out;
}

/** The plan's steps in order; a member that is not a Y.Map comes back as null, for validation. */
export function readPlan(doc: Y.Doc): (Record<string, unknown> | null)[] {
  return planArray(doc)
    .toArray()
    .map((item) => (item instanceof Y.Map ? (item.toJSON() as Record<string, unknown>) : null));
}

/** Sets the given fields (null or undefined removes one) and replaces the notes if given. */
export function writeFields(doc: Y.Doc, changes: Partial<Record<string, unknown>>): void {
  const map = fieldsMap(doc);
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'notes') {
      const text = notesText(doc);
      const next = typeof value === 'string' ? value : '';
      if (text.toString() !== next) {
        text.delete(0, text.length);
        text.insert(0, next);
      }
    } else if (value === undefined || value === null) map.delete(key);
    // A JSON copy: no undefined members, nothing shared with the caller.
    else map.set(key, JSON.parse(JSON.stringify(value)) as unknown);
  }
}

/** Appends a step to the plan. */
export function addStep(doc: Y.Doc, step: DocStep): void {
  const item = new Y.Map<unknown>();
  for (const key of docStepKeys) item.set(key, step[key]);
  planArray(doc).push([item]);
}

/** Changes one step in place; false when no step has that id. */
export function updateStep(doc: Y.Doc, stepId: string, changes: Partial<DocStep>): boolean {
  const item = planArray(doc)
    .toArray()
    .find((s) => s instanceof Y.Map && s.get('id') === stepId);
  if (!item) return false;
  for (const [key, value] of Object.entries(changes)) item.set(key, value ?? null);
  return true;
}
