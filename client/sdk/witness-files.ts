import fs from 'node:fs';
import type { TandemClient } from './tandem-client.ts';
import {
  loadWitnessKey,
  newWitnessKey,
  type WitnessKey,
  type WitnessKeyFile,
  type WitnessState,
} from './witness.ts';

/**
 * A witness's two files on its company's side: the key (private, mode 600) and the state (the
 * pinned log key and what it cosigned). The CLI's witness and the demo's stand-ins keep them alike.
 */
export async function createWitnessKeyFile(
  client: TandemClient,
  name: string,
  keyPath: string,
): Promise<WitnessKeyFile> {
  const file = await newWitnessKey(name);
  await client.transparency.registerWitnessKey.mutate({ vkey: file.vkey });
  fs.writeFileSync(keyPath, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  return file;
}

export function readWitnessKey(keyPath: string): Promise<WitnessKey> {
  return loadWitnessKey(JSON.parse(fs.readFileSync(keyPath, 'utf8')) as WitnessKeyFile);
}

export function readWitnessState(statePath: string, fresh: WitnessState): WitnessState {
  return fs.existsSync(statePath)
    ? (JSON.parse(fs.readFileSync(statePath, 'utf8')) as WitnessState)
    : fresh;
}

export function writeWitnessState(statePath: string, state: WitnessState): void {
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2) + '\n');
}
