import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { migrateToLatest, MigrationError } from '../schema/migrator.ts';
import type { AppDeps } from './deps.ts';
import { systemClock, type Clock } from './core/clock.ts';
import type { Db } from './store/db.ts';
import { openPostgresStore, redactedUrl } from './store/postgres/open.ts';
import { PgWriteQueue } from './store/postgres/pg-write-queue.ts';
import { openDatabaseHandle } from './store/sqlite/db.ts';
import { GroupCommit } from './store/sqlite/group-commit.ts';
import type { WriteQueue } from './store/write-queue.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { RateLimiter } from './core/rate-limiter.ts';
import { WriteLimit } from './core/write-limit.ts';
import { PgRateLimit } from './cluster/pg-rate-limit.ts';
import { PgIdempotencyClaims } from './cluster/pg-idempotency-claims.ts';
import { MemoryIdempotencyClaims } from './cluster/memory-idempotency-claims.ts';
import { createAppServer } from './api/http/app-server.ts';
import { Readiness } from './api/http/readiness.ts';
import { compactDocs } from './sync/compaction.ts';
import { DealDocs } from './sync/deal-docs.ts';
import { defaultSyncLimits, SyncServer, type SyncLimits } from './sync/sync-server.ts';
import { dealRoomHooks } from './opportunities/deal-room.sync-hook.ts';
import { DeploymentKey } from './tenants/keys/deployment-key.ts';
import { KeyRing } from './tenants/keys/key-ring.ts';
import { VerifiedTokenCache } from './tenants/tokens/verified-token-cache.ts';
import { signCheckpoint } from './ledger/checkpoint.service.ts';
import { logKeyName } from '../shared/ledger/log-origin.ts';
import { LogIntegrator } from './transparency/log-integrator.ts';
import { startDemoWitnesses } from './demo/demo-witnesses.ts';
import { LedgerPositions } from './ledger/ledger-positions.ts';
import { deferrableInsertTables } from './ledger/deferrable-tables.ts';
import { loadMasterKey, MasterKeyError } from './tenants/keys/master-key.ts';
import { DeliveryWorker } from './webhooks/delivery-worker.ts';
import { busChannels, type ClusterBus } from './cluster/bus.ts';
import { LocalBus } from './cluster/local-bus.ts';
import { PgBus } from './cluster/pg-bus.ts';
import { busPresence } from './cluster/bus-presence.ts';
import { relayDocs } from './cluster/doc-relay.ts';
import { soleLeases, type Leases } from './cluster/leases.ts';
import { PgLeases } from './cluster/pg-leases.ts';
import { periodic, Singleton, type SingletonRole } from './cluster/singleton.ts';
import { InsightsCache } from './insights/insights-cache.ts';
import { SharedInsightsBuilds } from './insights/shared-insights-builds.ts';
import { rankNewDeal } from './insights/ideal-partners.service.ts';
import { tokenAuthenticator } from './tenants/tokens/token-authenticator.ts';
import { registerDealProjection } from './opportunities/deal.projection.ts';
import { registerAttributionProjection } from './attribution/attribution.projection.ts';
import { seedDemoIfEmpty } from './demo/seed-demo.ts';
import { partners, vendor } from './demo/demo-world.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

/**
 * The composition root: the one file that knows every concrete class. It picks the store, builds
 * the deps the services share (server/deps.ts names their interfaces), registers the projections
 * and the deal rooms' sync hooks, and starts the faces and the background workers. `npm start`
 * runs it; tests and the operator CLI import `openDeps` and `startServer`.
 */
interface Store {
  kind: 'sqlite' | 'postgres';
  db: Db;
  writes: WriteQueue;
  /**
   * A counter that moves when another process commits (SQLite's data_version), for caches that
   * must notice changes they did not make. PostgreSQL has none: other instances' changes reach
   * caches over the cluster bus (issue 20), so it stays 0 here.
   */
  dataVersion: () => number;
}

/** The store the configuration names: PostgreSQL at TANDEM_DATABASE_URL, or SQLite in the data dir. */
function openStore(config: Config, logger: Logger): Store {
  const watchdog = {
    timeoutMs: config.writeTimeoutMs,
    onTimeout: (elapsedMs: number) =>
      logger.error({ elapsedMs }, 'a write did not finish in time and was rolled back'),
  };
  if (config.database) {
    const { db, writer } = openPostgresStore(
      config.database.url,
      config.database.pool,
      (err) => logger.warn({ err }, 'PostgreSQL dropped an idle connection; the pool replaces it'),
      deferrableInsertTables,
    );
    logger.info(
      { store: 'postgres', url: redactedUrl(config.database.url), pool: config.database.pool },
      'store: PostgreSQL',
    );
    return {
      kind: 'postgres',
      db,
      writes: new PgWriteQueue(writer, watchdog),
      dataVersion: () => 0,
    };
  }
  const { db, dataVersion } = openDatabaseHandle(config.dataDir, {
    flushOffLoop: config.sqliteFlush === 'thread-pool',
  });
  logger.info({ store: 'sqlite', dataDir: config.dataDir }, 'store: SQLite');
  return { kind: 'sqlite', db, writes: new GroupCommit(db, watchdog), dataVersion };
}

/** Opens the data directory (database migrated, master key loaded) and wires the services. */
export async function openDeps(
  config: Config,
  options: { logger?: Logger; clock?: Clock } = {},
): Promise<AppDeps> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const masterKey = loadMasterKey(config.dataDir, config.masterKey);
  const { db, writes, dataVersion } = openStore(config, logger);
  try {
    const ran = await migrateToLatest(db);
    if (ran.length > 0) logger.info({ migrations: ran }, 'database migrated');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // Every write and every rebuild (the CLI's too) opens its deps here, so the tables follow the
  // ledger wherever events are appended or replayed.
  registerDealProjection();
  registerAttributionProjection();
  const tokenCache = new VerifiedTokenCache(dataVersion);
  const instanceId = randomUUID();
  const leases: Leases = config.database ? new PgLeases(db, instanceId) : soleLeases;
  const deps: AppDeps = {
    config,
    db,
    auth: tokenAuthenticator,
    rankNewDeal,
    writes,
    // Several instances may share a PostgreSQL store: writes then read other instances' edits.
    docs: new DealDocs({ shared: config.database !== undefined }),
    logger,
    clock,
    keyRing: new KeyRing(masterKey, clock, () => tokenCache.invalidate()),
    deploymentKey: new DeploymentKey(masterKey, clock, logKeyName(config.publicUrl)),
    positions: new LedgerPositions(masterKey.derive('ledger positions v1')),
    // On PostgreSQL, every instance counts in the same rows: a limit is one limit cluster-wide.
    tokenRateLimiter: config.database
      ? new PgRateLimit(db, { name: 'token', limit: 20, windowMs: 60_000 })
      : new RateLimiter(20, 60_000),
    dailyLimiter: config.database
      ? new PgRateLimit(db, { name: 'daily', limit: 100, windowMs: 24 * 60 * 60_000 })
      : new RateLimiter(100, 24 * 60 * 60_000),
    writeLimit: new WriteLimit(
      config.rateLimitPerMin,
      config.database
        ? new PgRateLimit(db, { name: 'writes', limit: config.rateLimitPerMin, windowMs: 60_000 })
        : undefined,
    ),
    // Renewed while its request runs: a dead instance's claims lapse in 3 s.
    idempotencyClaims: config.database
      ? new PgIdempotencyClaims(db, 3000)
      : new MemoryIdempotencyClaims(),
    tokenCache,
    // Several instances build each company once between them (under a lease) and share it.
    insights: new InsightsCache({
      shared: config.database ? new SharedInsightsBuilds(leases) : undefined,
    }),
    transparency: { wake: () => {}, catchUp: async () => {} },
    instance: { id: instanceId, leases },
  };
  deps.transparency = new LogIntegrator(deps, config.transparencyIntakeDelayMs);
  return deps;
}

export interface RunningServer {
  deps: AppDeps;
  server: Server;
  /** The bound port (useful with PORT=0). */
  port: number;
  /** The deal rooms (`/sync`). */
  sync: SyncServer;
  /** This instance among those sharing the store (lease holder, bus sender). */
  instanceId: string;
  /** Runs `role` on one instance of the cluster at a time, under the lease `name`, until close. */
  runOnce(name: string, role: SingletonRole): Promise<void>;
  /**
   * Goes not-ready and closes the deal rooms, waits `drainDelayMs`, stops accepting, lets in-flight
   * requests finish (up to `graceMs`), then closes the database.
   */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(
  config: Config,
  options: {
    logger?: Logger;
    clock?: Clock;
    syncLimits?: Partial<SyncLimits>;
    /** How often, at most, notes typed in a room reach the tables, per deal. */
    notesEveryMs?: number;
  } = {},
): Promise<RunningServer> {
  const deps = await openDeps(config, options);
  const readiness = new Readiness();
  const server = createAppServer(deps, readiness);
  const syncLimits = { ...defaultSyncLimits, ...options.syncLimits };
  // The other instances on the same PostgreSQL (none on SQLite), and leases for the work that
  // runs once per cluster.
  const bus: ClusterBus = config.database
    ? await PgBus.open(deps.instance.id, config.database.url, deps.db, deps.logger)
    : new LocalBus(deps.instance.id);
  const { leases } = deps.instance;
  // Another process's change that bears on tokens (the CLI, another instance) empties the cache:
  // SQLite says so through data_version, PostgreSQL by notifying (see the migration).
  const offTokens = bus.subscribe(busChannels.tokens, () => deps.tokenCache.invalidate());
  const sync = new SyncServer(
    deps,
    dealRoomHooks(deps, { notesEveryMs: options.notesEveryMs ?? 1000 }),
    syncLimits,
    config.database ? busPresence(bus, deps.logger) : undefined,
  );
  const offDocs = relayDocs(deps, bus);
  // Notes typed in a room just before a crash reach the tables now.
  sync
    .settleDue()
    .catch((error: unknown) => deps.logger.error({ err: error }, 'settling notes failed'));
  server.on('upgrade', (req, socket, head) => {
    if (!sync.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  deps.logger.info(
    { url: `http://${config.host}:${port}`, publicUrl: config.publicUrl, dataDir: config.dataDir },
    'tandem listening',
  );

  const checkpoint = () =>
    signCheckpoint(deps).catch((error: unknown) =>
      deps.logger.error({ err: error }, 'ledger checkpoint failed'),
    );
  // Webhooks go out from the ledger, from one worker per cluster; every grouped commit here may
  // have added events to send (others' commits reach it by its poll).
  let webhooks: DeliveryWorker | undefined;
  /** How long attempts in flight may finish when the worker stops (`close` shortens it). */
  let deliveryGraceMs = deps.config.webhooks.timeoutMs;
  const singletons = [
    new Singleton(
      leases,
      'webhooks',
      {
        start(epoch) {
          webhooks = new DeliveryWorker(deps, {
            fence: (trx) => leases.fence(trx, 'webhooks', epoch),
          });
          webhooks.start();
        },
        async stop() {
          const worker = webhooks;
          webhooks = undefined;
          await worker?.stop(deliveryGraceMs);
        },
      },
      deps.logger,
      config.leaseMs,
    ),
    // Sign the log head now and then, so participants can hold proof of its length.
    new Singleton(
      leases,
      'checkpoint',
      periodic(60_000, checkpoint, deps.logger, 'ledger checkpoint'),
      deps.logger,
      config.leaseMs,
    ),
    // Merge the stored updates of busy deal documents, so loading one stays quick.
    new Singleton(
      leases,
      'compaction',
      periodic(10_000, () => compactDocs(deps), deps.logger, 'document compaction'),
      deps.logger,
      config.leaseMs,
    ),
    // Notes another instance deferred and never settled (it died): settled once they are old.
    new Singleton(
      leases,
      'notes',
      periodic(5000, () => sync.settleDue(5000), deps.logger, 'the notes sweep'),
      deps.logger,
      config.leaseMs,
    ),
  ];
  const unsubscribe = deps.writes.afterEachCommit(() => {
    webhooks?.wake();
    // The partnership logs take in what each commit appended (off the write path).
    deps.transparency.wake();
  });
  deps.transparency.wake();
  await Promise.all(singletons.map((s) => s.start()));

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    (closing ??= (async () => {
      // Out of rotation first (/readyz 503), and deal-room clients sent off with "going away" so
      // they reconnect, through the balancer, to another instance; then stop accepting.
      readiness.drain();
      sync.close();
      await new Promise((resolve) => setTimeout(resolve, config.drainDelayMs));
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      offDocs();
      // A keep-alive socket would hold the close open after its last answer: drop sockets as
      // soon as they go idle, and every socket once the grace period is over.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await drained;
      clearInterval(sweep);
      clearTimeout(timer);
      await sync.settle();
      deliveryGraceMs = Math.min(graceMs, deps.config.webhooks.timeoutMs);
      // Attempts in flight finish (or are cut short and stay queued) before the database closes;
      // the leases are given up, so other instances take the work over at once.
      await Promise.all(singletons.map((s) => s.stop()));
      unsubscribe();
      await checkpoint();
      offTokens();
      await bus.close();
      await deps.db.destroy();
      deps.logger.info('tandem stopped');
    })());
  const runOnce = (name: string, role: SingletonRole) => {
    const singleton = new Singleton(leases, name, role, deps.logger, config.leaseMs);
    singletons.push(singleton);
    return singleton.start();
  };
  return { deps, server, port, sync, instanceId: bus.instanceId, runOnce, close };
}

/** `npm start` and `tandem serve`: configuration from the environment; see the README. */
export async function runMain(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const seeded = config.demo
    ? await seedDemoIfEmpty((clock) => openDeps(config, { logger, clock }), logger)
    : false;
  const running = await startServer(config, { logger });
  // The demo's companies witness their logs, as each would on its own side (one instance of a
  // cluster does: they keep their keys and state in the shared data directory).
  if (config.demo) {
    let witnesses: ReturnType<typeof startDemoWitnesses> | undefined;
    await running.runOnce('demo-witnesses', {
      start() {
        witnesses = startDemoWitnesses(
          running.deps,
          `http://${localHost(config.host)}:${running.port}`,
        );
        void witnesses.round();
      },
      stop() {
        witnesses?.stop();
        witnesses = undefined;
        return Promise.resolve();
      },
    });
  }
  printBanner(config, seeded);
  const stop = (signal: NodeJS.Signals) => {
    running.deps.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        running.deps.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Where this process reaches itself: a wildcard bind answers on loopback. */
function localHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * How to get in, for a person who just ran `npm start`: the web app first and how to sign in
 * there, then the API (stderr: stdout carries the JSON logs).
 */
function printBanner(config: Config, seeded: boolean): void {
  const url = config.publicUrl.replace(/\/+$/, '');
  const slugs = [vendor.slug, ...partners.map((p) => p.slug)].join(', ');
  const signIn = config.demo
    ? [
        `  Sign in there with "Demo member": pick a company (${slugs}) and a member, e.g. alliance@${vendor.slug}.example.`,
        seeded
          ? '  The demo was just seeded (TANDEM_DEMO=0 on an empty data directory skips it).'
          : '  The demo is on (TANDEM_DEMO=0 turns the demo sign-in off).',
      ]
    : [
        "  Sign in there with a member's email and password (set one with",
        '  `npx tandem member password --company <slug> --email <email>`), or paste a token from',
        '  `npx tandem token --company <slug> --member <email>`.',
      ];
  process.stderr.write(
    [
      '',
      `Tandem is running. Web app: ${url}/`,
      ...signIn,
      `API: ${url}/api/v1 (REST, spec at /api/v1/openapi.json), ${url}/trpc (tRPC), ${url}/mcp (MCP).`,
      '',
    ].join('\n') + '\n',
  );
}

/** Says why the server could not start, in a line an operator can act on, and exits. */
export function exitOnStartFailure(error: unknown): never {
  const known =
    error instanceof ConfigError ||
    error instanceof MasterKeyError ||
    error instanceof MigrationError;
  const listen = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  if (known) console.error(`tandem: ${error.message}`);
  else if (listen)
    console.error('tandem: the port is in use; set PORT to a free one (PORT=0 picks any)');
  else console.error('tandem: failed to start:', error);
  process.exit(known || listen ? 2 : 1);
}

// Run when started as the program (`tsx server/main.ts`), not when imported.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  runMain().catch(exitOnStartFailure);
}
