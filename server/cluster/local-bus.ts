import type { BusChannel, ClusterBus } from './bus.ts';

/**
 * The bus of a lone instance (SQLite): messages reach this process's subscribers only. Nothing
 * sends on the trigger channels here; SQLite's own `data_version` tells of other processes.
 */
export class LocalBus implements ClusterBus {
  constructor(readonly instanceId: string) {}
  readonly #subscribers = new Map<BusChannel, Set<(payload: string | undefined) => void>>();

  subscribe(channel: BusChannel, fn: (payload: string | undefined) => void): () => void {
    const set = this.#subscribers.get(channel) ?? new Set();
    set.add(fn);
    this.#subscribers.set(channel, set);
    return () => set.delete(fn);
  }

  publish(channel: BusChannel, payload: string): Promise<void> {
    for (const fn of this.#subscribers.get(channel) ?? []) fn(payload);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#subscribers.clear();
    return Promise.resolve();
  }
}
