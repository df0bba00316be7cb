import type * as Y from 'yjs';
import { addStep, updateStep, writeFields } from '../../shared/sync/deal-doc.ts';
import type { DealChangeEvent } from './deal-events.ts';

/** Whether an event changes what the deal room's document holds (fields, plan, notes). */
export function touchesDoc(type: string): boolean {
  return (
    type === 'opportunity.created' ||
    type === 'opportunity.updated' ||
    type === 'step.added' ||
    type === 'step.updated'
  );
}

/** Applies an API-made change to the document, as the server, so the rooms see it. */
export function applyEventToDoc(doc: Y.Doc, event: { type: string; data: unknown }): void {
  const e = event as DealChangeEvent;
  doc.transact(() => {
    switch (e.type) {
      case 'opportunity.created':
        writeFields(doc, e.data.fields);
        break;
      case 'opportunity.updated':
        writeFields(doc, e.data.changes);
        break;
      case 'step.added':
        addStep(doc, e.data.step);
        break;
      case 'step.updated':
        updateStep(doc, e.data.stepId, e.data.changes);
        break;
      case 'doc.updated':
      case 'opportunity.ref_set':
      case 'opportunity.dated':
      case 'duplicate.flagged':
      case 'duplicate.merged':
      case 'duplicate.linked':
      case 'duplicate.dismissed':
      case 'participant.invited':
      case 'participant.accepted':
      case 'participant.declined':
      case 'participant.removed':
      case 'participant.sponsor_set':
      case 'participant.first_deal_unset':
        // Not document state: who takes part, private refs, CRM dates and flags live in the tables only.
        break;
    }
  });
}
