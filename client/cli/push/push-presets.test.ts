import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../sdk/tandem-client.ts';
import { startTestServer, tempDataDir, type TestServer } from '../../../test/kit/harness.ts';
import { runCliAsync } from '../../../test/kit/process.ts';
import { convertRow, resolveMapping } from './csv-mapping.ts';

const work = tempDataDir();
let server: TestServer;
let env: Record<string, string>;
let acme: TandemClient;

beforeAll(async () => {
  server = await startTestServer();
  const company = await server.company('acme');
  const token = await company.memberToken('seller');
  acme = server.client(token);
  env = { TANDEM_TOKEN: token, TANDEM_URL: server.url, TANDEM_DATA_DIR: server.dataDir };
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const push = (csv: string, mapping: string) => {
  const file = path.join(work, `${mapping}.csv`);
  fs.writeFileSync(file, csv);
  const rejects = path.join(work, `${mapping}-rejects.csv`);
  return runCliAsync(['push', file, '--mapping', mapping, '--rejects', rejects, '--json'], env);
};
const byRef = (ref: string) =>
  acme.opportunities.list.query({}).then((l) => l.items.find((d) => d.externalRef === ref)!);

describe('tandem push with a CRM preset', () => {
  it("reads a Salesforce report's created date, close date and stage, US dates included", async () => {
    const out = await push(
      [
        'Opportunity ID,Opportunity Name,Account Name,Amount,Stage,Close Date,Created Date',
        '006A,Platform,Initech,"12,000.00",Closed Won,6/30/2025,3/4/2025',
        '006B,Analytics,Globex,500,Negotiation/Review,1/15/2027,11/2/2026',
        '006C,Security,Hooli,900,Closed Lost,2/1/2025,5/1/2025',
      ].join('\n'),
      'salesforce',
    );
    expect(JSON.parse(out.stdout)).toMatchObject({ rows: 3, landed: 2, refused: 1 });
    const won = await byRef('006A');
    expect(won.fields).toMatchObject({ stage: 'won', closeDate: '2025-06-30', currency: 'USD' });
    expect(won.businessDates).toEqual({ createdAt: '2025-03-04T00:00:00.000Z' });
    const open = await byRef('006B');
    expect(open.fields).toMatchObject({ stage: 'committed', expectedCloseDate: '2027-01-15' });
    expect(open.fields?.closeDate ?? null).toBeNull();
    const rejects = fs.readFileSync(path.join(work, 'salesforce-rejects.csv'), 'utf8');
    expect(rejects).toContain('006C');
    expect(rejects).toContain('fields.closeDate: before businessDates.createdAt');
  });

  it("reads a HubSpot export's createdate, closedate, dealstage and the dates each stage was entered", async () => {
    const out = await push(
      [
        'Record ID,Deal Name,Associated Company,Amount,Deal Stage,Close Date,Create Date,Closed Lost Reason,hs_date_entered_appointmentscheduled,hs_date_entered_qualifiedtobuy,hs_date_entered_closedlost',
        '9001,Renewal,Umbrella,2500,closedlost,2025-09-01,2025-01-10 09:15,Went with a rival,2025-01-10 09:15,2025-02-01 12:00,2025-09-01 08:00',
      ].join('\n'),
      'hubspot',
    );
    expect(JSON.parse(out.stdout)).toMatchObject({ rows: 1, landed: 1, refused: 0 });
    const lost = await byRef('9001');
    expect(lost.fields).toMatchObject({ stage: 'lost', lostReason: 'other' });
    expect(lost.businessDates).toEqual({
      createdAt: '2025-01-10T09:15:00.000Z',
      stages: [
        { stage: 'prospect', at: '2025-01-10T09:15:00.000Z' },
        { stage: 'qualified', at: '2025-02-01T12:00:00.000Z' },
        { stage: 'lost', at: '2025-09-01T08:00:00.000Z' },
      ],
    });
  });

  it('lets a mapping file start from a preset and rename a column', () => {
    const mapping = resolveMapping({
      preset: 'salesforce',
      createdAt: 'Opened On',
      dateOrder: 'dmy',
    });
    expect(mapping.success).toBe(true);
    const row = {
      'Opportunity ID': 'X1',
      'Opportunity Name': 'Deal',
      'Account Name': 'Acme',
      Amount: '10',
      Stage: 'Prospecting',
      'Opened On': '04/03/2025',
    };
    const converted = convertRow(row, mapping.data!, Date.parse('2026-01-01'));
    expect(converted).toMatchObject({
      ok: true,
      item: { businessDates: { createdAt: '2025-03-04' } },
    });
  });
});
