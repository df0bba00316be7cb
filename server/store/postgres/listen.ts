import pg from 'pg';
import type { Logger } from '../../core/logger.ts';

/**
 * Listens on a PostgreSQL channel with a connection of its own (a pooled one would drop the
 * LISTEN when returned) and calls `onNotify` for each notification, which arrive once the
 * notifying transaction commits. Reconnects after a lost connection, calling `onNotify` then too:
 * a notification may have been missed meanwhile. Returns the stop.
 */
export async function listen(
  url: string,
  channel: string,
  onNotify: () => void,
  logger: Logger,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const reconnect = (): void => {
    if (!stopped) retry = setTimeout(() => void connect().then(onNotify, reconnect), 1000);
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', () => onNotify());
    next.on('error', (err) => {
      logger.warn({ err, channel }, 'lost the PostgreSQL listen connection; reconnecting');
      void next.end().catch(() => {});
      reconnect();
    });
    await next.connect();
    await next.query(`listen ${channel}`);
    client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end();
  };
}
