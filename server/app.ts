import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { migrateToLatest } from '../schema/migrator.ts';
import type { AppDeps } from './deps.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { openDatabaseHandle } from './store/sqlite/db.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { GroupCommit } from './store/sqlite/group-commit.ts';
import { RateLimiter } from './core/rate-limiter.ts';
import { WriteLimit } from './core/write-limit.ts';
import { createAppServer } from './api/http/app-server.ts';
import { compactDocs } from './sync/compaction.ts';
import { DealDocs } from './sync/deal-docs.ts';
import { defaultSyncLimits, SyncServer, type SyncLimits } from './sync/sync-server.ts';
import { dealRoomHooks } from './opportunities/deal-room.sync-hook.ts';
import { DeploymentKey } from './tenants/keys/deployment-key.ts';
import { KeyRing } from './tenants/keys/key-ring.ts';
import { VerifiedTokenCache } from './tenants/tokens/verified-token-cache.ts';
import { signCheckpoint } from './ledger/checkpoint.service.ts';
import { loadMasterKey } from './tenants/keys/master-key.ts';
import { DeliveryWorker } from './webhooks/delivery-worker.ts';
import { InsightsCache } from './insights/insights-cache.ts';
import { rankNewDeal } from './insights/ideal-partners.service.ts';
import { tokenAuthenticator } from './tenants/tokens/token-authenticator.ts';
import { registerDealProjection } from './opportunities/deal.projection.ts';
import { registerAttributionProjection } from './attribution/attribution.projection.ts';

/** Opens the data directory (database migrated, master key loaded) and wires the services. */
export async function openDeps(
  config: Config,
  options: { logger?: Logger; clock?: Clock } = {},
): Promise<AppDeps> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const masterKey = loadMasterKey(config.dataDir, config.masterKey);
  const { db, dataVersion } = openDatabaseHandle(config.dataDir);
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
  return {
    config,
    db,
    auth: tokenAuthenticator,
    rankNewDeal,
    writes: new GroupCommit(db, {
      timeoutMs: config.writeTimeoutMs,
      onTimeout: (elapsedMs) =>
        logger.error({ elapsedMs }, 'a write did not finish in time and was rolled back'),
    }),
    docs: new DealDocs(),
    logger,
    clock,
    keyRing: new KeyRing(masterKey, clock, () => tokenCache.invalidate()),
    deploymentKey: new DeploymentKey(masterKey, clock),
    tokenRateLimiter: new RateLimiter(20, 60_000),
    dailyLimiter: new RateLimiter(100, 24 * 60 * 60_000),
    writeLimit: new WriteLimit(config.rateLimitPerMin),
    tokenCache,
    insights: new InsightsCache(),
  };
}

export interface RunningServer {
  deps: AppDeps;
  server: Server;
  /** The bound port (useful with PORT=0). */
  port: number;
  /** The deal rooms (`/sync`). */
  sync: SyncServer;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the database. */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(
  config: Config,
  options: { logger?: Logger; clock?: Clock; syncLimits?: Partial<SyncLimits> } = {},
): Promise<RunningServer> {
  const deps = await openDeps(config, options);
  const server = createAppServer(deps);
  const syncLimits = { ...defaultSyncLimits, ...options.syncLimits };
  const sync = new SyncServer(deps, dealRoomHooks(deps, syncLimits), syncLimits);
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

  // Sign the log head now and then, so participants can hold proof of its length.
  const checkpoint = () =>
    signCheckpoint(deps).catch((error: unknown) =>
      deps.logger.error({ err: error }, 'ledger checkpoint failed'),
    );
  const checkpoints = setInterval(() => void checkpoint(), 60_000);
  checkpoints.unref();
  // Merge the stored updates of busy deal documents, so loading one stays quick.
  const compaction = setInterval(
    () =>
      void compactDocs(deps).catch((error: unknown) =>
        deps.logger.error({ err: error }, 'document compaction failed'),
      ),
    10_000,
  );
  compaction.unref();

  // Webhooks go out from the ledger; every grouped commit may have added events to send.
  const webhooks = new DeliveryWorker(deps);
  const unsubscribe = deps.writes.afterEachCommit(() => webhooks.wake());
  webhooks.start();

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(compaction);
      sync.close();
      // A keep-alive socket would hold the close open after its last answer: drop sockets as
      // soon as they go idle, and every socket once the grace period is over.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await drained;
      clearInterval(sweep);
      clearTimeout(timer);
      clearInterval(checkpoints);
      await sync.settle();
      // Attempts in flight finish (or are cut short and stay queued) before the database closes.
      await webhooks.stop(Math.min(graceMs, deps.config.webhooks.timeoutMs));
      unsubscribe();
      await checkpoint();
      await deps.db.destroy();
      deps.logger.info('tandem stopped');
    })());
  return { deps, server, port, sync, close };
}
