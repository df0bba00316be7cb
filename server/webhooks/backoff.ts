import type { WebhookConfig } from '../config.ts';

/**
 * The wait before retry number `attempts` (1 after the first failure): exponential from
 * `retryBaseMs`, capped at `retryMaxMs`, with "equal jitter" (half fixed, half random) so that
 * the deliveries of a receiver that came back up do not all retry in the same instant.
 */
export function retryDelayMs(
  attempts: number,
  config: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxMs'>,
  random: () => number = Math.random,
): number {
  const exp = Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.min(attempts - 1, 40));
  return Math.round(exp / 2 + random() * (exp / 2));
}
