import * as Y from 'yjs';
import { z } from 'zod';
import { stepInputSchema } from '../opportunities/co-sell-steps.ts';
import {
  opportunityFieldsSchema,
  type OpportunityFields,
} from '../opportunities/opportunity-fields.ts';
import { unpairedSurrogateMessage, unpairedSurrogatePath } from '../text/unpaired-surrogate.ts';
import { docFieldKeys, fieldsMap, notesText, planArray, type DocStep } from './deal-doc.ts';

/** A step as the plan must hold it: the API's step schema, with an id and nulls for blanks. */
export const docStepSchema = stepInputSchema.extend({
  id: z
    .string()
    .regex(/^stp_[A-Za-z0-9_-]{8,40}$/, { error: 'a step id: stp_ and 8 to 40 letters or digits' }),
  title: z.string().trim().max(200).nullable(),
  ownerPerson: z.string().trim().max(200).nullable(),
  dueDate: z.iso.date().nullable(),
  outcome: z.string().trim().max(2000).nullable(),
  status: stepInputSchema.shape.status.removeDefault(),
});

export interface DocIssue {
  path: string;
  message: string;
}

export type DocCheck =
  { ok: true; fields: OpportunityFields; plan: DocStep[] } | { ok: false; issues: DocIssue[] };

const pathOf = (prefix: string, path: readonly PropertyKey[]) =>
  [prefix, ...path.map(String)].join('.');

function zodIssues(prefix: string, error: z.ZodError): DocIssue[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: pathOf(prefix, [...i.path, key]), message: 'unknown field' }))
      : [{ path: pathOf(prefix, i.path), message: i.message }],
  );
}

/**
 * Whether a deal document is valid as a whole: fields known and valid by the same schema as the
 * API (stage rules included), every plan member a Y.Map holding a valid step with a unique id.
 * The server runs it on a copy with the incoming update applied, before accepting the update;
 * the web app can run it before sending.
 */
export function checkDealDoc(doc: Y.Doc): DocCheck {
  const issues: DocIssue[] = [];
  const raw: Record<string, unknown> = {};
  const known: ReadonlySet<string> = new Set(docFieldKeys);
  for (const [key, value] of fieldsMap(doc).entries()) {
    if (!known.has(key)) issues.push({ path: `fields.${key}`, message: 'unknown field' });
    else if (value !== null && value !== undefined) raw[key] = value;
  }
  raw.notes = notesText(doc).toString();
  // Half a surrogate pair cannot be stored or hashed; the schemas below would let it through.
  const unpaired = unpairedSurrogatePath({ fields: raw, plan: planArray(doc).toJSON() });
  if (unpaired !== undefined) {
    const path = unpaired === 'fields.notes' ? 'notes' : unpaired;
    issues.push({ path, message: unpairedSurrogateMessage });
  }
  const fields = opportunityFieldsSchema.safeParse(raw);
  if (!fields.success) {
    for (const issue of zodIssues('fields', fields.error)) {
      issues.push(issue.path === 'fields.notes' ? { ...issue, path: 'notes' } : issue);
    }
  }
  const plan: DocStep[] = [];
  const seen = new Set<string>();
  planArray(doc).forEach((item, n) => {
    if (!(item instanceof Y.Map)) {
      issues.push({ path: `plan.${n}`, message: 'a step must be a Y.Map' });
      return;
    }
    const step = docStepSchema.safeParse(item.toJSON());
    if (!step.success) {
      issues.push(...zodIssues(`plan.${n}`, step.error));
      return;
    }
    if (seen.has(step.data.id)) issues.push({ path: `plan.${n}.id`, message: 'used twice' });
    seen.add(step.data.id);
    plan.push({
      ...step.data,
      title: step.data.title ?? null,
      ownerPerson: step.data.ownerPerson ?? null,
      dueDate: step.data.dueDate ?? null,
      outcome: step.data.outcome ?? null,
    });
  });
  return issues.length > 0 || !fields.success
    ? { ok: false, issues }
    : { ok: true, fields: fields.data, plan };
}
