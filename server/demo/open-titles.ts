/**
 * Deal names per customer over time, so that no two of a customer's deals that are open at the
 * same time share a name (the duplicate detector's key): a name still in use gets a phase number.
 */
export class OpenTitles {
  readonly #until = new Map<string, number>();

  /** The first of `title`, `title (phase 2)`, … free at `from` for `domain`; held until `until`. */
  claim(domain: string, title: string, from: number, until: number): string {
    for (let phase = 1; ; phase++) {
      const name = phase === 1 ? title : `${title} (phase ${phase})`;
      const key = `${domain}\u0000${name.toLowerCase()}`;
      if ((this.#until.get(key) ?? -Infinity) < from) {
        this.#until.set(key, until);
        return name;
      }
    }
  }
}
