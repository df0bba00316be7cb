/**
 * What React reads through `useSyncExternalStore`: listeners told of every change, and a version
 * that moves with each, for a store that lives outside React (a Yjs document's side state).
 */
export class ExternalStore {
  readonly #listeners = new Set<() => void>();
  #version = 0;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  readonly version = (): number => this.#version;

  protected changed(): void {
    this.#version += 1;
    for (const listener of this.#listeners) listener();
  }

  protected forgetListeners(): void {
    this.#listeners.clear();
  }
}
