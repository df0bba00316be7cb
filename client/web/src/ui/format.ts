import { minorExponent } from '../../../../shared/money/currencies.ts';

function exponentOf(currency: string): number {
  try {
    return minorExponent(currency);
  } catch {
    return 2;
  }
}

/** `12345600, 'USD'` → `$123,456.00`. */
export function money(amountMinor: number, currency: string): string {
  const exp = exponentOf(currency);
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    }).format(amountMinor / 10 ** exp);
  } catch {
    return `${(amountMinor / 10 ** exp).toFixed(exp)} ${currency}`;
  }
}

/** Major units as typed (`12,500.50`) → minor units, or undefined when it is not a number. */
export function toMinor(text: string, currency: string): number | undefined {
  const clean = text.replace(/[,\s_]/g, '');
  if (!/^\d+(\.\d+)?$/.test(clean)) return undefined;
  const exp = exponentOf(currency);
  const [whole, frac = ''] = clean.split('.');
  if (frac.length > exp) return undefined;
  return Number(whole) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
}

export function toMajorText(amountMinor: number, currency: string): string {
  const exp = exponentOf(currency);
  return (amountMinor / 10 ** exp).toFixed(exp);
}

/** `technical_validation` → `Technical validation`. */
export function label(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      });
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** An amount in major units (as the insights give them) → `$123,457`, whole units. */
export function majorMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(amount);
  } catch {
    return `${Math.round(amount)} ${currency}`;
  }
}

/**
 * An amount in major units, short for an axis or a bar's label: `€1.2M`, `$350K`, `¥9,800`.
 * Compact notation keeps long numbers from clipping; the table view shows them whole.
 */
export function compactMoney(
  amount: number,
  currency: string,
  /** Fewer for crowded charts: 2 gives `$4.3M`, `$590K`. */
  significantDigits?: number,
): string {
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      notation: 'compact',
      ...(significantDigits
        ? { maximumSignificantDigits: significantDigits }
        : { maximumFractionDigits: Math.abs(amount) >= 1000 ? 1 : 0 }),
    }).format(amount);
  } catch {
    return `${Math.round(amount)} ${currency}`;
  }
}
