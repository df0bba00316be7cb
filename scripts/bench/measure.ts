/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns operations per second. */
export async function opsPerSecond(
  fn: () => Promise<unknown> | unknown,
  ms = 1500,
): Promise<number> {
  const warmUntil = performance.now() + ms / 5;
  while (performance.now() < warmUntil) await fn();
  let count = 0;
  const start = performance.now();
  const until = start + ms;
  while (performance.now() < until) {
    await fn();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  reference: string;
  referenceValue: number;
  /** value / referenceValue: the number to compare across machines. */
  ratio: number;
}

export function figure(
  name: string,
  value: number,
  unit: string,
  reference: string,
  referenceValue: number,
): Figure {
  return { name, value, unit, reference, referenceValue, ratio: value / referenceValue };
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}
