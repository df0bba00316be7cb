import { addStep, writeFields } from '../../shared/sync/deal-doc.ts';
import type { DocumentLoader } from '../sync/hooks.ts';
import { dealRow } from './live-edit.repository.ts';
import { rowToFields } from './opportunity.mapper.ts';
import { stepsOf } from './opportunity.repository.ts';

/**
 * The `onLoadDocument` hook: a deal's first document, built from its shared fields and plan as
 * the tables hold them (API writes change only the tables until a room opens the deal). An
 * unknown deal leaves the document empty.
 */
export const docFromProjection: DocumentLoader = async ({ db, documentName, document }) => {
  const row = await dealRow(db, documentName);
  if (!row) return;
  const steps = await stepsOf(db, documentName);
  document.transact(() => writeFields(document, rowToFields(row)));
  for (const step of steps) {
    addStep(document, {
      id: step.id,
      play: step.play,
      title: step.title,
      ownerCompanyId: step.owner_company_id,
      ownerPerson: step.owner_person,
      dueDate: step.due_date,
      status: step.status,
      outcome: step.outcome,
    });
  }
};
