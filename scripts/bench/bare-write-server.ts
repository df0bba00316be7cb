// The physical floor under a single-upsert request: a bare node:http JSON handler (bare-server.ts)
// that also writes the rows one new deal writes (floor-deal.ts) with statements prepared once,
// and answers once they are durable. Requests arriving together share a commit (group commit),
// as Tandem's do. No auth, validation, access checks, hashing, projections or response view.
// BARE_SQLITE_FILE names a migrated SQLite file (synchronous = FULL), or BARE_PG_URL a migrated
// PostgreSQL database (one writer connection, statements one after another, as a writer
// holding Tandem's one write lock runs them). The deals are the first company's (by slug), their
// numbers from 10,000,000 so they never meet the floors' own deals on the same database.
import http from 'node:http';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { floorDeal, floorStatements, numbered, type FloorStatement } from './floor-deal.ts';

type Item = { n: number; res: http.ServerResponse };
const firstCompany = 'select id from companies order by slug limit 1';
let queue: Item[] = [];
let flushing = false;
let next = 10_000_000;

function answer(items: Item[]): void {
  for (const { n, res } of items) {
    const text = JSON.stringify({ ok: true, id: `opp_floor_${n}` });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

/** Writes a group of deals durably, in one transaction. */
let writeGroup: (items: Item[]) => Promise<void>;

if (process.env.BARE_SQLITE_FILE) {
  const db = new SQLite(process.env.BARE_SQLITE_FILE);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const prepared = Object.fromEntries(
    Object.entries(floorStatements).map(([name, text]) => [name, db.prepare(text)]),
  ) as Record<FloorStatement, SQLite.Statement>;
  const company = db.prepare(firstCompany).pluck().get() as string;
  let seq = db.prepare('select coalesce(max(seq), 0) from ledger_events').pluck().get() as number;
  const write = db.transaction((items: Item[]) => {
    const at = new Date().toISOString();
    for (const item of items)
      for (const [statement, values] of floorDeal(company, item.n, at, () => ++seq))
        prepared[statement].run(...values);
  });
  writeGroup = (items) => {
    write(items);
    return Promise.resolve();
  };
} else {
  const client = new pg.Client(process.env.BARE_PG_URL);
  await client.connect();
  const { rows } = await client.query<{ seq: number }>(
    'select coalesce(max(seq), 0)::int as seq from ledger_events',
  );
  let seq = rows[0]!.seq;
  const company = (await client.query<{ id: string }>(firstCompany)).rows[0]!.id;
  writeGroup = async (items) => {
    const at = new Date().toISOString();
    await client.query('begin');
    for (const item of items)
      for (const [statement, values] of floorDeal(company, item.n, at, () => ++seq))
        await client.query({
          name: `floor_${statement}`,
          text: numbered(floorStatements[statement]),
          values,
        });
    await client.query('commit');
  };
}

async function flush(): Promise<void> {
  while (queue.length > 0) {
    const items = queue;
    queue = [];
    await writeGroup(items);
    answer(items);
  }
  flushing = false;
}

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (chunks.length) JSON.parse(Buffer.concat(chunks).toString('utf8'));
      queue.push({ n: next++, res });
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flush());
      }
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
