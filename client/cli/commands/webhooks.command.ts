import type { Command } from 'commander';
import type { DeliveryView, EndpointView } from '../../../shared/webhooks/webhook-view.schema.ts';
import { CliError, exitCodes } from '../exit-codes.ts';
import { printRecord, printRows } from '../output.ts';
import { remote, remoteClient } from '../remote.ts';

const endpointRow = (e: EndpointView) => ({
  id: e.id,
  url: e.url,
  events: e.eventTypes,
  status: e.status,
  cursor: e.cursor,
  pending: e.pending,
  reason: e.failureReason ?? '',
});

const deliveryRow = (d: DeliveryView) => ({
  event: d.eventId,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  code: d.lastStatusCode ?? '',
  ms: d.latencyMs ?? '',
  next: d.nextAttemptAt ?? '',
  error: d.lastError ?? '',
});

function count(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`${what} must be a whole number, got "${text}"`, exitCodes.usage);
  return n;
}

export function webhooksCommand(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description(
      'webhook endpoints of your company (talks to the server: --url, TANDEM_URL, TANDEM_TOKEN)',
    );
  const json = (opts: { json?: boolean }) => Boolean(opts.json);
  const setStatus =
    (status: 'active' | 'paused') => async (id: string, opts: { json?: boolean }) => {
      const updated = await remote(() =>
        remoteClient(program).webhooks.update.mutate({ id, status }),
      );
      printRecord(endpointRow(updated), json(opts));
    };

  webhooks
    .command('add <url>')
    .description('register an endpoint; it gets events from now on (replay sends older ones)')
    .option('--events <types>', 'comma-separated event types: opportunity.updated, step.*, *', '*')
    .option('--paused', 'register it paused')
    .option('--json', 'print JSON')
    .action(async (url: string, opts: { events: string; paused?: boolean; json?: boolean }) => {
      const created = await remote(() =>
        remoteClient(program).webhooks.create.mutate({
          url,
          eventTypes: opts.events
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
          status: opts.paused ? 'paused' : 'active',
        }),
      );
      printRecord(endpointRow(created), json(opts));
    });
  webhooks
    .command('list')
    .description('your endpoints, with their status and why one is failing')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await remote(() => remoteClient(program).webhooks.list.query());
      printRows(
        rows.map(endpointRow),
        ['id', 'url', 'events', 'status', 'cursor', 'pending', 'reason'],
        json(opts),
      );
    });
  webhooks
    .command('pause <id>')
    .description('hold deliveries; events are kept and sent on resume')
    .option('--json', 'print JSON')
    .action(setStatus('paused'));
  webhooks
    .command('resume <id>')
    .description('send again: a paused endpoint from its cursor, a failing one retries what failed')
    .option('--json', 'print JSON')
    .action(setStatus('active'));
  webhooks
    .command('remove <id>')
    .description('delete an endpoint and its delivery log')
    .action(async (id: string) => {
      await remote(() => remoteClient(program).webhooks.remove.mutate({ id }));
      process.stdout.write(`removed ${id}\n`);
    });
  webhooks
    .command('deliveries <id>')
    .description('the delivery log of an endpoint, newest first')
    .option('--status <status>', 'only pending, delivered or failed')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { status?: string; limit: string; json?: boolean }) => {
      const page = await remote(() =>
        remoteClient(program).webhooks.deliveries.query({
          id,
          limit: count(opts.limit, '--limit'),
          ...(opts.status ? { status: opts.status as DeliveryView['status'] } : {}),
        }),
      );
      printRows(
        page.deliveries.map(deliveryRow),
        ['event', 'type', 'status', 'attempts', 'code', 'ms', 'next', 'error'],
        json(opts),
      );
    });
  webhooks
    .command('replay <id>')
    .description('redeliver every event after a cursor, as the change feed gives them')
    .option(
      '--after <cursor>',
      'a cursor from the feed, a delivery or the endpoint (leave out: from the beginning)',
    )
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { after?: string; json?: boolean }) => {
      const replayed = await remote(() =>
        remoteClient(program).webhooks.replay.mutate({
          id,
          ...(opts.after ? { after: opts.after } : {}),
        }),
      );
      printRecord(endpointRow(replayed), json(opts));
    });
}
