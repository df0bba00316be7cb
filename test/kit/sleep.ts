/** Resolves after `ms`: pacing and settling in tests, benchmarks and fault runs. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
