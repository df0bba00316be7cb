import { z } from 'zod';
import { stages, statusOfStage, type Stage } from './stages.ts';

/**
 * A deal's own dates as the company's CRM holds them (its business history), as opposed to when
 * Tandem learned of them (the ledger's times). A pushed history keeps a deal won last year from
 * looking as if it closed the day it was pushed.
 */

const day = 86_400_000;

const day_ = z.iso.date();
const dateTime = z.iso.datetime({ offset: true });

// A day (midnight UTC) or an instant with its offset; kept as an ISO instant in UTC. `overwrite`
// rather than `transform`: the value stays a string, so the OpenAPI document can describe it.
const instant = z
  .string()
  .refine((v) => day_.safeParse(v).success || dateTime.safeParse(v).success, {
    error: 'a date (2025-03-04) or a date-time with offset (2025-03-04T10:00:00Z)',
    abort: true,
  })
  .overwrite((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString());

export const stageEntrySchema = z
  .strictObject({
    stage: z.enum(stages).describe('The stage the deal entered'),
    at: instant.describe('When it entered it (a date, or a date-time with offset)'),
  })
  .describe('One move of the deal through the funnel');

export const businessDatesSchema = z
  .strictObject({
    createdAt: instant
      .optional()
      .describe("When the deal was created in the company's CRM; never in the future"),
    closedAt: instant
      .optional()
      .describe('When it was won or lost; only for a closed deal, not before createdAt'),
    stages: z
      .array(stageEntrySchema)
      .max(100)
      .optional()
      .describe('The stages it went through, oldest first, between createdAt and closedAt'),
  })
  .describe("The deal's own dates from the CRM; the ledger still records when Tandem learned them");
export type BusinessDates = z.output<typeof businessDatesSchema>;

export interface DateIssue {
  path: string;
  message: string;
}

/**
 * Why `dates` cannot be the dates of a deal with these fields at `now` (empty when it can):
 * nothing in the future, closedAt only on a won or lost deal and not before createdAt, the close
 * date within a day of closedAt (time zones) and not before the created day, and every stage move
 * in order between createdAt and closedAt. Paths are under `businessDates` (or `fields.closeDate`).
 */
export function businessDateIssues(
  dates: BusinessDates,
  fields: { stage: Stage; closeDate?: string | null | undefined },
  now: number,
): DateIssue[] {
  const issues: DateIssue[] = [];
  const t = (iso: string) => Date.parse(iso);
  const future = (path: string, iso: string | undefined) => {
    if (iso !== undefined && t(iso) > now)
      issues.push({ path, message: `${iso} is in the future; only past dates are kept` });
  };
  future('businessDates.createdAt', dates.createdAt);
  future('businessDates.closedAt', dates.closedAt);
  dates.stages?.forEach((s, n) => future(`businessDates.stages.${n}.at`, s.at));

  const { createdAt, closedAt } = dates;
  if (closedAt !== undefined && statusOfStage(fields.stage) === 'open')
    issues.push({ path: 'businessDates.closedAt', message: 'an open deal has no closedAt' });
  if (createdAt !== undefined && closedAt !== undefined && t(closedAt) < t(createdAt))
    issues.push({ path: 'businessDates.closedAt', message: 'before businessDates.createdAt' });
  const closeDay = fields.closeDate ? t(`${fields.closeDate}T00:00:00Z`) : undefined;
  if (closeDay !== undefined && createdAt !== undefined && closeDay + day <= t(createdAt))
    issues.push({ path: 'fields.closeDate', message: 'before businessDates.createdAt' });
  const offDay = (at: number, from: number) => at < from - day || at >= from + 2 * day;
  if (closeDay !== undefined && closedAt !== undefined && offDay(t(closedAt), closeDay))
    issues.push({
      path: 'businessDates.closedAt',
      message: `more than a day from fields.closeDate (${fields.closeDate})`,
    });

  dates.stages?.forEach((s, n) => {
    const path = `businessDates.stages.${n}.at`;
    const previous = dates.stages![n - 1];
    if (previous && t(s.at) < t(previous.at))
      issues.push({ path, message: 'before the stage listed above it; list stages oldest first' });
    if (createdAt !== undefined && t(s.at) < t(createdAt))
      issues.push({ path, message: 'before businessDates.createdAt' });
    if (closedAt !== undefined && t(s.at) > t(closedAt))
      issues.push({ path, message: 'after businessDates.closedAt' });
  });
  return issues;
}
