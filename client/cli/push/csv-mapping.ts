import { z } from 'zod';
import { minorExponent, isCurrency } from '../../../shared/money/currencies.ts';
import {
  businessDateIssues,
  businessDatesSchema,
} from '../../../shared/opportunities/business-dates.ts';
import {
  opportunityFieldsSchema,
  type OpportunityFields,
} from '../../../shared/opportunities/opportunity-fields.ts';
import {
  lostReasons,
  stages,
  statusOfStage,
  type Stage,
} from '../../../shared/opportunities/stages.ts';
import { toDay, toInstant, type DateOrder } from './csv-dates.ts';
import { isPreset, presets } from './crm-presets.ts';

/** A column name, `=constant`, or a list of either: the first the row has a value for. */
const column = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * How a CRM report's columns become deal fields (README: "Pushing a CRM report"). `amount` is in
 * major units as the CRM shows it (`12,500.00`), converted with the currency's ISO 4217 exponent;
 * `stageMap` translates the CRM's stage names to ours. `createdAt`, `closedAt` and `stageHistory`
 * (our stage → the column with the date the deal entered it) are the deal's own dates.
 */
export const mappingSchema = z.strictObject({
  externalRef: column,
  title: column,
  'customer.name': column,
  'customer.domain': column.optional(),
  'customer.country': column.optional(),
  'customer.segment': column.optional(),
  'customer.industry': column.optional(),
  amount: column,
  currency: column,
  stage: column.optional(),
  stageMap: z.record(z.string(), z.string()).optional(),
  expectedCloseDate: column.optional(),
  closeDate: column.optional(),
  lostReason: column.optional(),
  nextStep: column.optional(),
  createdAt: column.optional(),
  closedAt: column.optional(),
  stageHistory: z.partialRecord(z.enum(stages), column).optional(),
  dateOrder: z.enum(['mdy', 'dmy']).optional(),
});
export type Mapping = z.output<typeof mappingSchema>;

/** A mapping file's content, or a preset's name: `{ "preset": "hubspot", ... }` overrides one. */
export function resolveMapping(raw: unknown): z.ZodSafeParseResult<Mapping> {
  const named = typeof raw === 'string' ? { preset: raw } : raw;
  if (named && typeof named === 'object' && 'preset' in named) {
    const { preset, ...own } = named as { preset: unknown };
    if (typeof preset !== 'string' || !isPreset(preset))
      return mappingSchema.safeParse({ ...own, preset });
    return mappingSchema.safeParse({ ...structuredClone(presets[preset]), ...own });
  }
  return mappingSchema.safeParse(named);
}

export type Row = Record<string, string>;
export interface PushItem {
  externalRef: string;
  fields: OpportunityFields;
  businessDates?: z.input<typeof businessDatesSchema>;
}
export type Converted = { ok: true; item: PushItem } | { ok: false; reason: string };

function value(row: Row, spec: string | readonly string[] | undefined): string | undefined {
  for (const one of typeof spec === 'string' ? [spec] : (spec ?? [])) {
    if (one.startsWith('=')) return one.slice(1);
    const v = row[one]?.trim();
    if (v) return v;
  }
  return undefined;
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

/** The row's dates: each ISO, or the reason one is not a date. */
function dates(row: Row, mapping: Mapping) {
  const order = mapping.dateOrder as DateOrder | undefined;
  const bad: string[] = [];
  const read = (name: string, spec: Mapping['closeDate'], as: typeof toDay) => {
    const text = value(row, spec);
    if (text === undefined) return undefined;
    const iso = as(text, order);
    if (iso === undefined) bad.push(`${name}: "${text}" is not a date`);
    return iso;
  };
  const stageMoves = Object.entries(mapping.stageHistory ?? {}).flatMap(([stage, spec]) => {
    const at = read(`stageHistory.${stage}`, spec, toInstant);
    return at ? [{ stage: stage as Stage, at }] : [];
  });
  // The CRM's columns are per stage, not in order: the deal's path is their dates' order.
  stageMoves.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    bad,
    closeDay: read('closeDate', mapping.closeDate, toDay),
    expectedDay: read('expectedCloseDate', mapping.expectedCloseDate, toDay),
    createdAt: read('createdAt', mapping.createdAt, toInstant),
    closedAt: read('closedAt', mapping.closedAt, toInstant),
    stageMoves,
  };
}

/** One CSV row → an upsert, or the reason it is refused (each bad field named). */
export function convertRow(row: Row, mapping: Mapping, now = Date.now()): Converted {
  const externalRef = value(row, mapping.externalRef);
  if (!externalRef)
    return { ok: false, reason: `externalRef: empty ${String(mapping.externalRef)}` };
  const currency = value(row, mapping.currency)?.toUpperCase() ?? '';
  if (!isCurrency(currency))
    return { ok: false, reason: `currency: "${currency}" is not an ISO 4217 code` };
  const amountText = value(row, mapping.amount) ?? '';
  const amountMinor = toMinor(amountText, currency);
  if (amountMinor === undefined)
    return { ok: false, reason: `amount: "${amountText}" is not an amount in ${currency}` };
  const rawStage = value(row, mapping.stage);
  const stage = rawStage === undefined ? undefined : (mapping.stageMap?.[rawStage] ?? rawStage);
  const d = dates(row, mapping);
  if (d.bad.length > 0) return { ok: false, reason: d.bad.join('; ') };
  const status = (stages as readonly string[]).includes(stage ?? 'prospect')
    ? statusOfStage((stage ?? 'prospect') as Stage)
    : undefined;
  // A CRM's close date is the expected one while the deal is open (Salesforce, HubSpot).
  const closeDate = status === 'open' ? undefined : d.closeDay;
  const expectedCloseDate = d.expectedDay ?? (status === 'open' ? d.closeDay : undefined);
  // A lost deal's reason is free text in most CRMs: ours when it names one, else `other`.
  const reasonText = status === 'lost' ? value(row, mapping.lostReason) : undefined;
  const lostReason =
    reasonText === undefined
      ? undefined
      : (lostReasons as readonly string[]).includes(reasonText)
        ? reasonText
        : 'other';
  const optional = (key: string, v: string | undefined) => (v ? { [key]: v } : {});
  const candidate = {
    title: value(row, mapping.title),
    customer: {
      name: value(row, mapping['customer.name']),
      ...optional('domain', value(row, mapping['customer.domain'])),
      ...optional('country', value(row, mapping['customer.country'])),
      ...optional('segment', value(row, mapping['customer.segment'])),
      ...optional('industry', value(row, mapping['customer.industry'])),
    },
    amountMinor,
    currency,
    ...optional('stage', stage),
    ...optional('expectedCloseDate', expectedCloseDate),
    ...optional('closeDate', closeDate),
    ...optional('lostReason', lostReason),
    ...optional('nextStep', value(row, mapping.nextStep)),
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
  const businessDates = {
    ...optional('createdAt', d.createdAt),
    ...optional('closedAt', status === 'open' ? undefined : d.closedAt),
    ...(d.stageMoves.length > 0 ? { stages: d.stageMoves } : {}),
  };
  // Checked here as the server will, so one row's dates refuse that row, not its whole batch.
  const dateIssues = businessDateIssues(businessDatesSchema.parse(businessDates), parsed.data, now);
  if (dateIssues.length > 0)
    return { ok: false, reason: dateIssues.map((i) => `${i.path}: ${i.message}`).join('; ') };
  return {
    ok: true,
    item: {
      externalRef,
      fields: parsed.data,
      ...(Object.keys(businessDates).length > 0 ? { businessDates } : {}),
    },
  };
}
