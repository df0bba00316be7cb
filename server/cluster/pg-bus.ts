import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../core/logger.ts';
import type { Db } from '../store/db.ts';
import { busChannels, type BusChannel, type ClusterBus } from './bus.ts';

/**
 * The bus over PostgreSQL's LISTEN/NOTIFY: no server of its own to run. One connection of its own
 * listens on every channel (a pooled one would drop its LISTEN when returned); messages go out
 * through the pool. Notifications arrive in commit order, only for committed transactions. After
 * a lost connection it reconnects every second and tells each subscriber it may have missed some.
 */
export class PgBus implements ClusterBus {
  readonly #subscribers = new Map<string, Set<(payload: string | undefined) => void>>();
  #client: pg.Client | undefined;
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;

  private constructor(
    readonly instanceId: string,
    private readonly url: string,
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  /** Connected and listening before it resolves, so nothing committed after is missed. */
  static async open(instanceId: string, url: string, db: Db, logger: Logger): Promise<PgBus> {
    const bus = new PgBus(instanceId, url, db, logger);
    await bus.#connect();
    return bus;
  }

  subscribe(channel: BusChannel, fn: (payload: string | undefined) => void): () => void {
    const set = this.#subscribers.get(channel) ?? new Set();
    set.add(fn);
    this.#subscribers.set(channel, set);
    return () => set.delete(fn);
  }

  async publish(channel: BusChannel, payload: string): Promise<void> {
    await sql`select pg_notify(${channel}, ${payload})`.execute(this.db);
  }

  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => this.#deliver(n.channel, n.payload ?? ''));
    client.on('error', (err) => {
      if (this.#stopped) return;
      this.logger.warn({ err }, 'lost the cluster bus connection; reconnecting');
      void client.end().catch(() => {});
      this.#reconnect();
    });
    await client.connect();
    for (const channel of Object.values(busChannels)) await client.query(`listen ${channel}`);
    this.#client = client;
  }

  #reconnect(): void {
    if (this.#stopped) return;
    this.#retry = setTimeout(() => {
      this.#connect().then(
        () => {
          for (const channel of this.#subscribers.keys()) this.#deliver(channel, undefined);
        },
        () => this.#reconnect(),
      );
    }, 1000);
  }

  #deliver(channel: string, payload: string | undefined): void {
    for (const fn of this.#subscribers.get(channel) ?? []) {
      try {
        fn(payload);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'a cluster bus subscriber failed');
      }
    }
  }
}
