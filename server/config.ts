import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  HOST: z.string().min(1).default('127.0.0.1'),
  TANDEM_DATA_DIR: z.string().min(1).default('./data'),
  TANDEM_PUBLIC_URL: z.url().optional(),
  TANDEM_MASTER_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  TANDEM_DEMO: z.enum(['0', '1']).default('1'),
  TANDEM_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).default(6000),
  TANDEM_WRITE_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  TANDEM_WEBHOOKS_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  TANDEM_WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  TANDEM_WEBHOOKS_RETRY_BASE_MS: z.coerce.number().int().min(1).default(5_000),
  TANDEM_WEBHOOKS_RETRY_MAX_MS: z.coerce.number().int().min(1).default(3_600_000),
  TANDEM_WEBHOOKS_RETRY_WINDOW_MS: z.coerce.number().int().min(1).default(86_400_000),
  TANDEM_WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  TANDEM_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL (unset: SQLite in TANDEM_DATA_DIR)')
    .optional(),
  TANDEM_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  TANDEM_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(6000),
  TANDEM_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  TANDEM_SQLITE_FLUSH: z.enum(['thread-pool', 'in-commit']).default('thread-pool'),
  TANDEM_LOG_INTAKE_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(25),
});

export interface Config {
  port: number;
  host: string;
  /** Absolute; holds the SQLite file (when no databaseUrl is set) and key material. */
  dataDir: string;
  /** PostgreSQL to use instead of SQLite (TANDEM_DATABASE_URL), and its pool size. */
  database: { url: string; pool: number } | undefined;
  /** Token audience and issuer base, without a trailing slash. */
  publicUrl: string;
  /** Base64 of 32 bytes, or undefined to use (and create) `<dataDir>/master.key`. */
  masterKey: string | undefined;
  logLevel: (typeof logLevels)[number];
  /** Seed the demo into an empty database at `npm start`. */
  demo: boolean;
  /** REST writes each API client or member may make per minute; 0 turns the limit off. */
  rateLimitPerMin: number;
  /** A write not committed within this long is rolled back and answered 503 (the watchdog). */
  writeTimeoutMs: number;
  /**
   * How long a lease on once-per-cluster work (webhook delivery, checkpoints, compaction) lasts
   * unrenewed: a dead instance's share moves to another after this long.
   */
  leaseMs: number;
  /**
   * At shutdown, how long `/readyz` answers 503 while requests are still served, so a load
   * balancer's next probe takes the instance out before it stops accepting.
   */
  drainDelayMs: number;
  /**
   * After a commit, how long the partnership logs wait before taking in what it appended, so one
   * intake takes in the commits of that while instead of one write queued behind each.
   */
  transparencyIntakeDelayMs: number;
  /**
   * Where SQLite's commits are flushed to disk: `thread-pool`, off the event loop before the
   * connection is free again (wal-durability.ts), or `in-commit`, SQLite's own FULL mode.
   */
  sqliteFlush: 'thread-pool' | 'in-commit';
  webhooks: WebhookConfig;
}

/** How outbound webhooks are sent; the timings are settings so tests can run in seconds. */
export interface WebhookConfig {
  /** Allow endpoints on loopback, private and link-local addresses (local development, tests). */
  allowPrivate: boolean;
  /** Whole-attempt limit: connect, send, and read the answer. */
  timeoutMs: number;
  /** First retry delay; doubled per attempt up to `retryMaxMs`, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a delivery is retried before its endpoint is marked failing. */
  retryWindowMs: number;
  /** Deliveries in flight per endpoint (each to a different deal). */
  concurrency: number;
}

/** Thrown for a bad environment; the entry points print its message and exit 2, never a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from the environment, with the defaults documented in the README. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.TANDEM_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.TANDEM_DATA_DIR),
    database: e.TANDEM_DATABASE_URL
      ? { url: e.TANDEM_DATABASE_URL, pool: e.TANDEM_DB_POOL }
      : undefined,
    publicUrl,
    masterKey: e.TANDEM_MASTER_KEY,
    logLevel: e.LOG_LEVEL,
    demo: e.TANDEM_DEMO === '1',
    rateLimitPerMin: e.TANDEM_RATE_LIMIT_PER_MIN,
    writeTimeoutMs: e.TANDEM_WRITE_TIMEOUT_MS,
    leaseMs: e.TANDEM_LEASE_MS,
    drainDelayMs: e.TANDEM_DRAIN_DELAY_MS,
    transparencyIntakeDelayMs: e.TANDEM_LOG_INTAKE_DELAY_MS,
    sqliteFlush: e.TANDEM_SQLITE_FLUSH,
    webhooks: {
      allowPrivate: e.TANDEM_WEBHOOKS_ALLOW_PRIVATE === '1',
      timeoutMs: e.TANDEM_WEBHOOKS_TIMEOUT_MS,
      retryBaseMs: e.TANDEM_WEBHOOKS_RETRY_BASE_MS,
      retryMaxMs: e.TANDEM_WEBHOOKS_RETRY_MAX_MS,
      retryWindowMs: e.TANDEM_WEBHOOKS_RETRY_WINDOW_MS,
      concurrency: e.TANDEM_WEBHOOKS_CONCURRENCY,
    },
  };
}
