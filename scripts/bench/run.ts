// `npm run bench`: runs every benchmark (or the one named) and rewrites BENCHMARKS.md. Each figure is a ratio against a
// reference measured in the same run on the same machine, since absolute rates vary between machines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from './measure.ts';
import { benchTokens } from './tokens.bench.ts';
import { benchUpserts } from './upserts.bench.ts';
import { upsertsNote } from './upserts-note.ts';
import { benchExport } from './export.bench.ts';
import { benchSync } from './sync.bench.ts';
import { benchCluster } from './cluster.bench.ts';
import { benchWebhooks } from './webhooks.bench.ts';
import { benchRecommend } from './recommend.bench.ts';
import { benchQuality, qualityNote } from './recommend-quality.ts';
import { benchTransparency } from './transparency.bench.ts';
import { benchCliStart } from './cli-start.bench.ts';

const root = path.resolve(import.meta.dirname, '../..');
const suites: [key: string, title: string, run: () => Promise<Figure[]>, note?: string][] = [
  ['tokens', 'Tokens', benchTokens],
  [
    'upserts',
    'Opportunity upserts (durable: SQLite WAL flushed before any answer, PostgreSQL synchronous_commit = on)',
    benchUpserts,
    upsertsNote,
  ],
  ['export', 'Attribution export and verify', benchExport],
  ['webhooks', 'Outbound webhooks', benchWebhooks],
  ['sync', 'Deal-room sync (live editing)', benchSync],
  ['cluster', 'Deal-room sync across instances (PostgreSQL)', () => benchCluster()],
  ['recommend', 'Ideal Deal Partner: recommend', benchRecommend],
  [
    'quality',
    'Ideal Deal Partner: which partner is truly best (planted-cell worlds, 600 held-out drafts each)',
    () => benchQuality(),
    qualityNote,
  ],
  ['transparency', 'Partnership transparency log', benchTransparency],
  ['cli', 'CLI cold start (`npx tandem`)', benchCliStart],
];
const only = process.argv[2];

function version(pkg: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

const header = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (`npm run bench -- <suite>` measures one suite and replaces only its section). Every figure is a ratio against a reference measured in the same run.',
  '',
  `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  `- node ${process.version}; better-sqlite3 ${version('better-sqlite3')}, jose ${version('jose')}, kysely ${version('kysely')}, @trpc/server ${version('@trpc/server')}`,
  '',
];
// A suite's key picks it alone ("sync" is also in "synchronous"); otherwise any title containing the word.
const picked = suites.some(([key]) => key === only)
  ? suites.filter(([key]) => key === only)
  : suites.filter(([, t]) => !only || t.toLowerCase().includes(only.toLowerCase()));

/** The sections of the last BENCHMARKS.md by title, so a partial run keeps the others. */
function previousSections(file: string): Map<string, string> {
  const sections = new Map<string, string>();
  if (!fs.existsSync(file)) return sections;
  for (const part of fs
    .readFileSync(file, 'utf8')
    .split(/^(?=## )/m)
    .slice(1)) {
    sections.set(part.slice(3, part.indexOf('\n')).trim(), part.trimEnd() + '\n');
  }
  return sections;
}

const file = path.join(root, 'BENCHMARKS.md');
const sections = previousSections(file);
for (const [, title, run, note] of picked) {
  process.stderr.write(`bench: ${title}…\n`);
  const figures = await run();
  const lines = [
    `## ${title}`,
    '',
    `Measured ${new Date().toISOString()}.`,
    '',
    ...(note ? [note, ''] : []),
    '| figure | value | reference | reference value | ratio |',
    '|---|---|---|---|---|',
  ];
  for (const f of figures) {
    lines.push(
      `| ${f.name} | ${Math.round(f.value).toLocaleString('en')} ${f.unit} | ${f.reference} | ${Math.round(f.referenceValue).toLocaleString('en')} ${f.unit} | ${f.ratio.toFixed(2)} |`,
    );
  }
  sections.set(title, lines.join('\n') + '\n');
}
const body = suites
  .map(([, title]) => sections.get(title))
  .filter((section): section is string => section !== undefined);
const text = [...header, body.join('\n')].join('\n');
fs.writeFileSync(file, text);
process.stdout.write(text);
