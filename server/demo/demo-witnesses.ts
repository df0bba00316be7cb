import fs from 'node:fs';
import path from 'node:path';
import { createTandemClient } from '../../client/sdk/tandem-client.ts';
import { apiLog, witnessRound } from '../../client/sdk/witness.ts';
import {
  createWitnessKeyFile,
  readWitnessKey,
  readWitnessState,
  writeWitnessState,
} from '../../client/sdk/witness-files.ts';
import type { AppDeps } from '../deps.ts';
import { mintToken } from '../tenants/tokens/mint-token.ts';
import { partners, vendor } from './demo-world.ts';

/**
 * Stand-ins, in the demo only, for the witness each company would run on its own side
 * (`tandem witness`): one per demo company, keys and state in `<data dir>/demo-witness/`, a round
 * through the real API now and every `everyMs`, so the demo's checkpoints are jointly cosigned
 * and its exports verify with `--log-key`. A real deployment runs none of this.
 */
export function startDemoWitnesses(
  deps: AppDeps,
  url: string,
  everyMs = 30_000,
): { round(): Promise<void>; stop(): void } {
  const dir = path.join(deps.config.dataDir, 'demo-witness');
  fs.mkdirSync(dir, { recursive: true });
  const one = async (slug: string) => {
    const { token } = await mintToken(deps, {
      company: slug,
      member: `admin@${slug}.example`,
      ttlSeconds: 600,
    });
    const client = createTandemClient({ url, token });
    const keyPath = path.join(dir, `${slug}.key.json`);
    const statePath = path.join(dir, `${slug}.state.json`);
    if (!fs.existsSync(keyPath))
      await createWitnessKeyFile(client, `${slug}.example/witness`, keyPath);
    const key = await readWitnessKey(keyPath);
    const state = readWitnessState(statePath, { logs: {} });
    const { state: next, outcomes } = await witnessRound(apiLog(client), key, state);
    writeWitnessState(statePath, next);
    for (const o of outcomes.filter((o) => o.outcome === 'alarm'))
      deps.logger.warn({ company: slug, origin: o.origin, detail: o.detail }, 'demo witness alarm');
  };
  let running: Promise<void> | undefined;
  const round = () =>
    (running ??= (async () => {
      try {
        // One company's failure (say, its key replaced by a witness of its own) stops no other.
        for (const c of [vendor, ...partners])
          await one(c.slug).catch((error: unknown) =>
            deps.logger.error({ err: error, company: c.slug }, 'demo witness round failed'),
          );
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => void round(), everyMs);
  timer.unref();
  return { round, stop: () => clearInterval(timer) };
}
