// `npm run faults`: the fault suite at full size (crash safety, fuzzing, load); writes FAULTS.md.
// `npm run faults -- crash|fuzz|load|security|cluster` runs one part and replaces only its
// section(s) of FAULTS.md. `cluster` needs a PostgreSQL server: TANDEM_FAULTS_POSTGRES_URL (or
// TANDEM_TEST_POSTGRES_URL) names one it may create and drop a database on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterChaos } from './cluster-chaos.ts';
import { crashSafety } from './crash-safety.ts';
import { fuzzApi } from './fuzz-api.ts';
import { fuzzSync } from './fuzz-sync.ts';
import { loadRun } from './load.ts';
import { securityRun } from './security.ts';

const root = path.resolve(import.meta.dirname, '../..');
const only = process.argv[2];
const seed = Number(process.env.FAULTS_SEED ?? 20261125);
const mb = (n: number) => `${Math.round(n)} MB`;
const ms = (n: number) => `${Math.round(n)} ms`;
const header = [
  '# Faults',
  '',
  "Written by `npm run faults` (`npm run faults -- <part>` replaces only that part's section; the date is the last run's). Short versions of each run are part of `npm test` (scripts/faults/*.test.ts).",
  '',
  `- date: ${new Date().toISOString()}`,
  `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  `- node ${process.version}; seed ${seed}`,
  '',
];
const lines = [...header];
let failed = false;
const check = (ok: boolean) => {
  if (!ok) failed = true;
  return ok ? 'pass' : '**FAIL**';
};

if (!only || only === 'crash') {
  process.stderr.write('faults: crash safety (20 SIGKILLs)…\n');
  const r = await crashSafety({
    kills: 20,
    minLifeMs: 500,
    maxLifeMs: 3000,
    restWriters: 8,
    rooms: 4,
    editsPerSecond: 20,
    seed,
  });
  lines.push(
    '## Crash safety',
    '',
    'REST upserts (8 writers) and deal-room edits (4 rooms, an editor and an observer each, 20 edits/s) against `server/main.ts`, killed with SIGKILL at a random moment 0.5–3 s into each life and restarted on the same data directory, 20 times. A REST write is acknowledged by its 2xx; a room edit once the other company’s client received it (the server relays only after the durable commit). Afterwards every acknowledged write is looked up: REST in the tables, room edits in the document and in its projection (`opportunities.notes`).',
    '',
    '| | value | |',
    '|---|---|---|',
    `| kills | ${r.kills} | |`,
    `| REST writes acknowledged | ${r.restAcknowledged} | |`,
    `| REST acknowledged writes lost | ${r.restLost.length} | ${check(r.restLost.length === 0)} |`,
    `| REST writes committed but never acknowledged (answer lost with the process) | ${r.restUnacknowledgedPresent} | |`,
    `| room edits acknowledged | ${r.wsAcknowledged} | |`,
    `| room acknowledged edits lost | ${r.wsLost.length} | ${check(r.wsLost.length === 0)} |`,
    `| \`tandem ledger verify\` | ${r.ledgerVerify.ok ? 'ok' : 'failed'} | ${check(r.ledgerVerify.ok)} |`,
    '',
  );
  if (!r.ledgerVerify.ok) lines.push('```', r.ledgerVerify.output, '```', '');
}

if (!only || only === 'fuzz') {
  process.stderr.write('faults: fuzzing…\n');
  const api = await fuzzApi({ numRuns: 200, seed });
  const sync = await fuzzSync({ numRuns: 1000, seed });
  lines.push(
    '## Fuzzing',
    '',
    `fast-check, 200 runs per target, over ${api.procedures} tRPC procedures (from the router; JSON Schema of each input) and ${api.routes} REST operations (from \`/api/v1/openapi.json\`): values shaped by the schema with garbage mixed in at every level, known ids among random ones, and bodies that are not JSON. Rule: no 5xx; a 400 is JSON and names a field path for each issue.`,
    '',
    '| | value | |',
    '|---|---|---|',
    `| requests | ${api.requests} | |`,
    ...Object.entries(api.byStatus).map(([k, v]) => `| answered ${k} | ${v} | |`),
    `| 400s naming the root (input not JSON or not an object) | ${api.rootIssues} | |`,
    `| rule broken | ${api.failures.length} | ${check(api.failures.length === 0)} |`,
    '',
    `${sync.frames} random and malformed y-protocols frames on one deal room, each from a fresh member socket while the partner stays connected. Rule: the sender is closed or its frame refused or dropped; the partner stays connected and still receives a valid edit (checked every 25 frames); a malformed frame leaves the document and its state vector as they were; the server answers \`/healthz\`.`,
    '',
    '| frame kind | count |',
    '|---|---|',
    ...Object.entries(sync.byKind).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '| sender’s socket afterwards | count |',
    '|---|---|',
    ...Object.entries(sync.outcomes).map(
      ([k, v]) =>
        `| ${k === 'open' ? 'still open (frame dropped or refused)' : `closed ${k}`} | ${v} |`,
    ),
    `| refused with a "permission denied" reason | ${sync.refusedWithReason} |`,
    '',
    `Rule broken: ${sync.failures.length} (${check(sync.failures.length === 0)}).`,
    '',
  );
  for (const f of [...api.failures, ...sync.failures].slice(0, 20))
    lines.push(`- \`${JSON.stringify(f).slice(0, 400)}\``);
}

if (!only || only === 'load') {
  process.stderr.write('faults: load (60 s)…\n');
  const r = await loadRun({
    seconds: 60,
    clients: 500,
    rooms: 100,
    editEveryMs: 2000,
    restConnections: 8,
  });
  const wsErrors = Object.values(r.wsErrors).reduce((a, b) => a + b, 0);
  lines.push(
    '## Load',
    '',
    `${r.options.clients} WebSocket clients (raw y-protocols, half from each company) across ${r.options.rooms} deal rooms, each adding to the notes about every ${r.options.editEveryMs / 1000} s, plus autocannon pushing REST upserts on ${r.options.restConnections} connections, for ${r.options.seconds} s against \`server/main.ts\` with the product limits. Edit latency: until the next member of the room has it.`,
    '',
    '| | value | |',
    '|---|---|---|',
    `| room edits sent / received | ${r.edits} / ${r.wsReceived} | |`,
    `| room edit latency p50 / p99 | ${ms(r.wsP50ms)} / ${ms(r.wsP99ms)} | |`,
    `| WebSocket errors (connect failed, closed, refused, not received) | ${wsErrors} (${r.wsErrors.connectFailed}, ${r.wsErrors.closed}, ${r.wsErrors.refused}, ${r.wsErrors.notReceived}) | ${check(wsErrors === 0)} |`,
    `| REST upserts | ${r.restRequests} | |`,
    `| REST p99 | ${ms(r.restP99ms)} | |`,
    `| REST non-2xx / errors | ${r.restNon2xx} / ${r.restErrors} | ${check(r.restNon2xx + r.restErrors === 0)} |`,
    `| server memory (RSS) at start / end / after clients left | ${mb(r.rssStartMb)} / ${mb(r.rssEndMb)} / ${mb(r.rssAfterDisconnectMb)} | |`,
    '',
  );
}

if (!only || only === 'security') {
  process.stderr.write('faults: security suites…\n');
  const classes = securityRun(root);
  const total = (k: 'tried' | 'refused') => classes.reduce((n, c) => n + c[k], 0);
  lines.push(
    '## Security',
    '',
    "The project's own attack suites (scripts/faults/security.ts lists the files), run through vitest. Each test is an attack the server must refuse, or a family of them where a test loops over every procedure or route; a test that passes is an attack refused.",
    '',
    '| class | what is tried | tests | refused | |',
    '|---|---|---|---|---|',
    ...classes.map(
      (c) =>
        `| ${c.name} | ${c.what} | ${c.tried} | ${c.refused} | ${check(c.tried > 0 && c.refused === c.tried)} |`,
    ),
    `| all | | ${total('tried')} | ${total('refused')} | |`,
    '',
  );
  for (const f of classes.flatMap((c) => c.failures).slice(0, 20))
    lines.push(`- not refused: ${f}`);
}

if (!only || only === 'cluster') {
  const postgresUrl =
    process.env.TANDEM_FAULTS_POSTGRES_URL ?? process.env.TANDEM_TEST_POSTGRES_URL;
  lines.push('## Cluster chaos', '');
  if (!postgresUrl) {
    process.stderr.write('faults: cluster chaos skipped: set TANDEM_FAULTS_POSTGRES_URL\n');
    lines.push(
      'Not run: set `TANDEM_FAULTS_POSTGRES_URL` to a PostgreSQL server it may create a database on.',
      '',
    );
  } else {
    process.stderr.write('faults: cluster chaos (3 instances, 10 SIGKILLs)…\n');
    const r = await clusterChaos({
      postgresUrl,
      instances: 3,
      kills: 10,
      downMs: 1000,
      betweenMs: [2000, 4000],
      rooms: 4,
      restWritersPerCompany: 2,
      editEveryMs: 300,
      seed,
    });
    lines.push(
      `Three instances of \`server/main.ts\` on one fresh PostgreSQL database behind the cluster proxy (scripts/cluster/proxy.ts: round robin over the instances whose \`/readyz\` answers 200; a refused connection goes to the next). Through it, two companies push REST upserts (${2 * 2} writers, each with an Idempotency-Key, retried with the same key on a network error, 5xx, 429 or 409) and type into ${4} shared deal rooms (a stock y-websocket client per company per room, a notes marker every 0.3 s and the next step every fifth), while a random instance is SIGKILLed ${r.kills} times, 2–4 s apart, and restarted on its port after 1 s. A webhook endpoint of acme takes every event of its feed. Afterwards: every 2xx-acknowledged upsert must be stored; each room's stored document (a fresh client of one instance started alone on the database) must equal every client's document (content and state vector) and what each instance served a fresh client before the stop; a room edit is acknowledged once the other company's client has it; reconnect: from a client's socket dropping to its next full sync.`,
      '',
      '| | value | |',
      '|---|---|---|',
      `| kills | ${r.kills} | |`,
      `| REST writes acknowledged (retries; given up after 20 s) | ${r.restAcknowledged} (${r.restRetries}; ${r.restGaveUp}) | |`,
      `| REST acknowledged writes lost | ${r.restLost.length} | ${check(r.restLost.length === 0)} |`,
      `| room edits typed / missing from the stored document | ${r.roomEdits} / ${r.roomEditsMissing} | |`,
      `| room acknowledged edits lost | ${r.roomAckedLost.length} | ${check(r.roomAckedLost.length === 0)} |`,
      `| rooms converged (every client = stored document) | ${r.roomsConverged} of 4 | ${check(r.roomsConverged === 4)} |`,
      `| rooms every instance serves alike | ${r.roomsServedAlike} of 4 | ${check(r.roomsServedAlike === 4)} |`,
      `| sync client reconnects after a drop: count, p50 / p99 / max | ${r.reconnects}, ${ms(r.reconnectP50Ms)} / ${ms(r.reconnectP99Ms)} / ${ms(r.reconnectMaxMs)} | |`,
      `| webhook events expected / lost | ${r.webhookExpected} / ${r.webhookLost} | ${check(r.webhookLost === 0)} |`,
      `| webhook duplicate deliveries (same event id again; allowed) | ${r.webhookDuplicates} | |`,
      `| \`tandem ledger verify\` | ${r.ledgerVerify.ok ? 'ok' : 'failed'} | ${check(r.ledgerVerify.ok)} |`,
      '',
    );
    if (!r.ledgerVerify.ok) lines.push('```', r.ledgerVerify.output, '```', '');
  }
}

const file = path.join(root, 'FAULTS.md');
fs.writeFileSync(
  file,
  only ? spliced(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '') : lines.join('\n'),
);
process.stdout.write(lines.join('\n') + '\n');
process.exit(failed ? 1 : 0);

/** The last FAULTS.md with this run's sections in place of theirs (new ones appended). */
function spliced(previous: string): string {
  const sectionsOf = (text: string) =>
    text
      .split(/^(?=## )/m)
      .slice(1)
      .map((part) => [part.slice(3, part.indexOf('\n')).trim(), part.trimEnd() + '\n\n'] as const);
  const fresh = new Map(sectionsOf(lines.join('\n')));
  const kept = sectionsOf(previous).map(([title, text]) => {
    const replaced = fresh.get(title);
    fresh.delete(title);
    return replaced ?? text;
  });
  return [header.join('\n'), ...kept, ...fresh.values()].join('\n').trimEnd() + '\n';
}
