/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), pulled toward a prior:
 * the penalty is λ·|w − prior|², so with no data the weights are the prior, and as closed deals
 * accumulate the data outweighs it. Pure and deterministic: same rows, same weights.
 */
export interface FitOptions {
  /** Weights to fall back to (and shrink toward); also the starting point. */
  prior: readonly number[];
  /** Strength of the pull toward the prior, in rows' worth of evidence. */
  lambda: number;
  maxIterations?: number;
  /** Stop when no weight moves by more than this in an iteration. */
  tolerance?: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function dot(w: readonly number[], x: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j]! * (x[j] ?? 0);
  return s;
}

export function predict(w: readonly number[], x: ArrayLike<number>): number {
  return sigmoid(dot(w, x));
}

/** Solves A·x = b for a symmetric positive definite A (Cholesky); A is d×d row-major. */
export function solveSpd(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      // λ > 0 keeps A positive definite; the floor guards rounding on degenerate columns.
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

/**
 * Fits weights to rows (each a feature vector of the prior's length) and 0/1 labels.
 * Requires `lambda > 0`; returns the prior unchanged when there are no rows.
 */
export function fitLogistic(
  rows: readonly ArrayLike<number>[],
  labels: readonly number[],
  options: FitOptions,
): number[] {
  const d = options.prior.length;
  const prior = options.prior;
  const w = [...prior];
  if (rows.length === 0) return w;
  const maxIterations = options.maxIterations ?? 25;
  const tolerance = options.tolerance ?? 1e-6;
  for (let it = 0; it < maxIterations; it++) {
    const h = new Float64Array(d * d);
    const g = new Float64Array(d);
    for (let r = 0; r < rows.length; r++) {
      const x = rows[r]!;
      const p = predict(w, x);
      const err = labels[r]! - p;
      const wt = Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < d; i++) {
        const xi = x[i] ?? 0;
        if (xi === 0) continue;
        g[i]! += err * xi;
        for (let j = 0; j <= i; j++) h[i * d + j]! += wt * xi * (x[j] ?? 0);
      }
    }
    for (let i = 0; i < d; i++) {
      g[i]! -= options.lambda * (w[i]! - prior[i]!);
      h[i * d + i]! += options.lambda;
      for (let j = 0; j < i; j++) h[j * d + i] = h[i * d + j]!;
    }
    const step = solveSpd(h, g, d);
    let moved = 0;
    for (let i = 0; i < d; i++) {
      w[i]! += step[i]!;
      moved = Math.max(moved, Math.abs(step[i]!));
    }
    if (!Number.isFinite(moved)) return [...prior];
    if (moved < tolerance) break;
  }
  return w;
}
