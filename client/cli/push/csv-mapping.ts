import { z } from 'zod';
import { minorExponent, isCurrency } from '../../../shared/money/currencies.ts';
import {
  opportunityFieldsSchema,
  type OpportunityFields,
} from '../../../shared/opportunities/opportunity-fields.ts';

/**
 * How a CRM report's columns become deal fields. A value is a column name, or `=constant`.
 * `amount` is in major units as the CRM shows it (`12,500.00`) and is converted with the currency's
 * ISO 4217 exponent; `stageMap` translates the CRM's stage names to ours.
 */
export const mappingSchema = z.strictObject({
  externalRef: z.string().min(1),
  title: z.string().min(1),
  'customer.name': z.string().min(1),
  'customer.domain': z.string().optional(),
  'customer.country': z.string().optional(),
  'customer.segment': z.string().optional(),
  'customer.industry': z.string().optional(),
  amount: z.string().min(1),
  currency: z.string().min(1),
  stage: z.string().optional(),
  stageMap: z.record(z.string(), z.string()).optional(),
  expectedCloseDate: z.string().optional(),
  closeDate: z.string().optional(),
  lostReason: z.string().optional(),
  nextStep: z.string().optional(),
});
export type Mapping = z.output<typeof mappingSchema>;

export type Row = Record<string, string>;
export type Converted =
  | { ok: true; item: { externalRef: string; fields: OpportunityFields } }
  | { ok: false; reason: string };

function value(row: Row, spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  if (spec.startsWith('=')) return spec.slice(1);
  const v = row[spec]?.trim();
  return v === '' ? undefined : v;
}

/** `12,500.5` in a currency with exponent 2 → 1250050; undefined when it is not a plain amount. */
export function toMinor(amount: string, currency: string): number | undefined {
  const clean = amount.replace(/[,\s]/g, '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(clean);
  if (!match || !isCurrency(currency)) return undefined;
  const exponent = minorExponent(currency);
  const fraction = (match[2] ?? '').padEnd(exponent, '0');
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) return undefined;
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.slice(0, exponent) || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** One CSV row → an upsert, or the reason it is refused (each bad field named). */
export function convertRow(row: Row, mapping: Mapping): Converted {
  const externalRef = value(row, mapping.externalRef);
  if (!externalRef) return { ok: false, reason: `externalRef: empty ${mapping.externalRef}` };
  const currency = value(row, mapping.currency)?.toUpperCase() ?? '';
  if (!isCurrency(currency))
    return { ok: false, reason: `currency: "${currency}" is not an ISO 4217 code` };
  const amountText = value(row, mapping.amount) ?? '';
  const amountMinor = toMinor(amountText, currency);
  if (amountMinor === undefined)
    return { ok: false, reason: `amount: "${amountText}" is not an amount in ${currency}` };
  const rawStage = value(row, mapping.stage);
  const stage = rawStage === undefined ? undefined : (mapping.stageMap?.[rawStage] ?? rawStage);
  const candidate = {
    title: value(row, mapping.title),
    customer: {
      name: value(row, mapping['customer.name']),
      ...(value(row, mapping['customer.domain'])
        ? { domain: value(row, mapping['customer.domain']) }
        : {}),
      ...(value(row, mapping['customer.country'])
        ? { country: value(row, mapping['customer.country']) }
        : {}),
      ...(value(row, mapping['customer.segment'])
        ? { segment: value(row, mapping['customer.segment']) }
        : {}),
      ...(value(row, mapping['customer.industry'])
        ? { industry: value(row, mapping['customer.industry']) }
        : {}),
    },
    amountMinor,
    currency,
    ...(stage ? { stage } : {}),
    ...(value(row, mapping.expectedCloseDate)
      ? { expectedCloseDate: value(row, mapping.expectedCloseDate) }
      : {}),
    ...(value(row, mapping.closeDate) ? { closeDate: value(row, mapping.closeDate) } : {}),
    ...(value(row, mapping.lostReason) ? { lostReason: value(row, mapping.lostReason) } : {}),
    ...(value(row, mapping.nextStep) ? { nextStep: value(row, mapping.nextStep) } : {}),
  };
  const parsed = opportunityFieldsSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      reason: parsed.error.issues
        .map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`)
        .join('; '),
    };
  }
  return { ok: true, item: { externalRef, fields: parsed.data } };
}
