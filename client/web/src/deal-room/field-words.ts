import { date, label, money } from '../ui/format.ts';

/** The shared fields (and a step's fields) as the page names them. */
const labels: Record<string, string> = {
  title: 'Title',
  customer: 'Customer',
  'customer.name': 'Customer',
  'customer.domain': 'Customer domain',
  'customer.country': 'Customer country',
  'customer.segment': 'Customer segment',
  'customer.industry': 'Customer industry',
  amountMinor: 'Amount',
  currency: 'Currency',
  stage: 'Stage',
  expectedCloseDate: 'Expected close',
  closeDate: 'Closed on',
  lostReason: 'Lost reason',
  products: 'Products',
  motion: 'Motion',
  nextStep: 'Next step',
  helpRequested: 'Help requested',
  contacts: 'Contacts',
  notes: 'Notes',
  // A step's fields.
  play: 'Play',
  ownerCompanyId: 'Owner company',
  ownerPerson: 'Owner',
  dueDate: 'Due',
  status: 'Status',
  outcome: 'Outcome',
};

export function fieldLabel(field: string): string {
  return labels[field] ?? label(field);
}

const coded = new Set(['stage', 'motion', 'lostReason', 'status', 'play', 'customer.segment']);
const dated = new Set(['expectedCloseDate', 'closeDate', 'dueDate']);

/** A field's value in words: `Won`, `€1,200.00`, `15 Dec 2026`, `“Joint workshop”`, `empty`. */
export function showValue(field: string, value: unknown, currency = 'USD'): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (field === 'amountMinor' && typeof value === 'number') return money(value, currency);
  if (typeof value === 'string') {
    if (coded.has(field)) return label(value);
    if (dated.has(field)) return date(value);
    return `“${value.length > 80 ? `${value.slice(0, 80)}…` : value}”`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value
      .map((v) => (typeof v === 'object' && v && 'name' in v ? String(v.name) : label(String(v))))
      .join(', ');
  }
  if (typeof value === 'object' && 'name' in value) return `“${String(value.name)}”`;
  return String(value);
}

/**
 * What the server said of a refused field, in the words of the person who typed it. The server
 * speaks the schema's language (`Too small: expected string to have >=1 characters`,
 * `a won deal needs a closeDate`); the page says what to do instead.
 */
export function problemInWords(field: string, message: string): string {
  if (/unpaired UTF-16 surrogate/.test(message))
    return `${fieldLabel(field)} holds a character that is not valid text.`;
  const won = /a (won|lost) deal needs a closeDate/.exec(message);
  if (won) return `A ${won[1]} deal needs the date it closed.`;
  if (/a lost deal needs a lostReason/.test(message))
    return 'Choose why the deal was lost, then mark it lost.';
  if (/only a lost deal has a lostReason/.test(message))
    return 'Only a lost deal has a lost reason.';
  switch (field) {
    case 'title':
      return 'The title cannot be empty or longer than 255 characters.';
    case 'customer':
      return 'The customer’s name cannot be empty or longer than 200 characters.';
    case 'amountMinor':
      return 'Enter an amount of zero or more, such as 12500.00.';
    case 'expectedCloseDate':
    case 'closeDate':
      return `${fieldLabel(field)} must be a date.`;
    case 'nextStep':
      return 'The next step can be at most 255 characters.';
    case 'notes':
      return 'Notes can be at most 20,000 characters.';
    case 'currency':
    case 'stage':
    case 'motion':
    case 'lostReason':
      return `Choose ${fieldLabel(field).toLowerCase()} from the list.`;
    default:
      return `${fieldLabel(field)}: ${message}.`;
  }
}
