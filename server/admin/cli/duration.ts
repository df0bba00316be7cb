import { InvalidArgumentError } from 'commander';

const units: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `90`, `90s`, `15m`, `1h` → seconds; anything else is a usage error naming the accepted forms. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smh]?)$/.exec(text.trim());
  if (!match?.[1]) throw new InvalidArgumentError('use a duration such as 900, 900s, 15m or 1h');
  return Number(match[1]) * (units[match[2] || 's'] ?? 1);
}
