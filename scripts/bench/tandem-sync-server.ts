// The real Tandem server (auth at upgrade, the gate, ledger, synchronous = FULL) for the sync
// benchmark and the fault suite, with room limits set from the environment: the product's
// defaults (50 per room, 500 per company, 30 updates/s) refuse the crowds these runs bring.
import { startServer } from '../../server/main.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/core/logger.ts';
import { defaultSyncLimits, type SyncLimits } from '../../server/sync/sync-server.ts';

const config = loadConfig();
const number = (name: string, fallback: number) =>
  process.env[name] ? Number(process.env[name]) : fallback;
const syncLimits: SyncLimits = {
  ...defaultSyncLimits,
  connectionsPerRoom: number('SYNC_PER_ROOM', defaultSyncLimits.connectionsPerRoom),
  connectionsPerCompany: number('SYNC_PER_COMPANY', defaultSyncLimits.connectionsPerCompany),
  messagesPerSecond: number('SYNC_PER_SECOND', defaultSyncLimits.messagesPerSecond),
  burst: number('SYNC_BURST', defaultSyncLimits.burst),
};
const running = await startServer(config, { logger: createLogger(config.logLevel), syncLimits });
process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
