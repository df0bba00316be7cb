/**
 * Dates as CRM exports write them, to the ISO forms the API takes. ISO dates and date-times pass
 * (a date-time without an offset is read as UTC, as HubSpot's `2025-03-04 10:22` is); a slashed
 * date needs the mapping's `dateOrder`, since 03/04/2025 is March in a US export and April in a
 * European one. Undefined when the text is not a date.
 */
export type DateOrder = 'mdy' | 'dmy';

const pad = (n: string) => n.padStart(2, '0');

function validDay(y: string, m: string, d: string): string | undefined {
  const day = `${y}-${pad(m)}-${pad(d)}`;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day ? undefined : day;
}

/** `2025-03-04`, `3/4/2025` (with `dateOrder`), or the day of a date-time → `2025-03-04`. */
export function toDay(text: string, order?: DateOrder): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text);
  if (iso) return validDay(iso[1]!, iso[2]!, iso[3]!);
  const slashed = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:$| )/.exec(text);
  if (!slashed || !order) return undefined;
  const [a, b, y] = [slashed[1]!, slashed[2]!, slashed[3]!];
  return order === 'mdy' ? validDay(y, a, b) : validDay(y, b, a);
}

/** A date or date-time → an ISO date (a bare day) or an ISO date-time in UTC. */
export function toInstant(text: string, order?: DateOrder): string | undefined {
  const day = toDay(text, order);
  if (day === undefined) return undefined;
  const time = /[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!time) return /^[\d/.-]+$/.test(text) ? day : undefined;
  const offset = time[5] ?? 'Z';
  const t = Date.parse(
    `${day}T${pad(time[1]!)}:${time[2]}:${time[3] ?? '00'}${time[4] ?? ''}${offset === 'Z' ? 'Z' : offset.replace(/(\d{2})(\d{2})$/, '$1:$2')}`,
  );
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
