import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../../../test/kit/harness.ts';
import { runCliAsync } from '../../../test/kit/process.ts';
import { toMinor } from './csv-mapping.ts';

const work = tempDataDir();
let server: TestServer;
let env: Record<string, string>;

const mapping = {
  externalRef: 'Opportunity ID',
  title: 'Opportunity Name',
  'customer.name': 'Account Name',
  'customer.domain': 'Website',
  amount: 'Amount',
  currency: 'Currency',
  stage: 'Stage',
  stageMap: {
    Prospecting: 'prospect',
    Qualification: 'qualified',
    'Closed Won': 'won',
    'Closed Lost': 'lost',
  },
  closeDate: 'Close Date',
  lostReason: 'Loss Reason',
};

beforeAll(async () => {
  server = await startTestServer();
  const acme = await server.company('acme');
  env = {
    TANDEM_TOKEN: await acme.memberToken('seller'),
    TANDEM_URL: server.url,
    TANDEM_DATA_DIR: server.dataDir,
  };
  const lines = [
    'Opportunity ID,Opportunity Name,Account Name,Website,Amount,Currency,Stage,Close Date,Loss Reason',
  ];
  for (let i = 0; i < 10_000; i++) {
    const bad = i % 200 === 7;
    const amount = bad && i % 400 === 7 ? 'lots' : `"${(1000 + i).toLocaleString('en')}.50"`;
    const currency = bad && i % 400 !== 7 ? 'XYZ' : 'EUR';
    const stage = i % 3 === 0 ? 'Closed Won' : 'Qualification';
    lines.push(
      `SF-${i},Deal ${i},Customer ${i % 700},https://www.customer${i % 700}.example,${amount},${currency},${stage},${stage === 'Closed Won' ? '2026-05-01' : ''},`,
    );
  }
  fs.writeFileSync(path.join(work, 'report.csv'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(work, 'mapping.json'), JSON.stringify(mapping));
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const push = () =>
  runCliAsync(
    [
      'push',
      path.join(work, 'report.csv'),
      '--mapping',
      path.join(work, 'mapping.json'),
      '--rejects',
      path.join(work, 'rejects.csv'),
      '--json',
    ],
    env,
  );

describe('tandem push', () => {
  it('converts CRM amounts to minor units by the currency exponent', () => {
    expect(toMinor('12,500.50', 'EUR')).toBe(1_250_050);
    expect(toMinor('1500', 'JPY')).toBe(1500);
    expect(toMinor('1.5', 'JPY')).toBeUndefined();
    expect(toMinor('2.125', 'BHD')).toBe(2125);
    expect(toMinor('abc', 'EUR')).toBeUndefined();
  });

  it('lands the good rows of a 10,000-row CSV once, names each refused row, and a second push changes nothing', async () => {
    const first = await push();
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      rows: 10_000,
      landed: 9_950,
      refused: 50,
      rejects: path.join(work, 'rejects.csv'),
    });
    const rejects = fs.readFileSync(path.join(work, 'rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects).toHaveLength(51);
    expect(rejects[0]).toContain('reject_reason');
    expect(
      rejects.some(
        (r) => r.startsWith('SF-7,') && r.includes('amount: ""lots"" is not an amount in EUR'),
      ),
    ).toBe(true);
    expect(rejects.some((r) => r.includes('currency'))).toBe(true);

    const count = async (table: 'opportunities' | 'ledger_events') =>
      Number(
        (
          await server.deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('opportunities')).toBe(9_950);
    const events = await count('ledger_events');
    const won = await server.deps.db
      .selectFrom('opportunities')
      .select('amount_minor')
      .where('status', '=', 'won')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(won.amount_minor % 100).toBe(50);

    const second = await push();
    expect(JSON.parse(second.stdout)).toMatchObject({ landed: 9_950, refused: 50 });
    expect(await count('opportunities')).toBe(9_950);
    expect(await count('ledger_events')).toBe(events);
  }, 180_000);

  it('says what is wrong with a bad mapping file', async () => {
    fs.writeFileSync(path.join(work, 'bad-mapping.json'), JSON.stringify({ title: 'x' }));
    const bad = await runCliAsync(
      ['push', path.join(work, 'report.csv'), '--mapping', path.join(work, 'bad-mapping.json')],
      env,
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('externalRef');
  });
});
