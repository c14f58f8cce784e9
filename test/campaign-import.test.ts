import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CampaignFieldsFragment,
  type CsvColumnMapping,
  getSdk,
  type ImportCampaignRecipientsMutation,
} from './client/sdk.js';
import { eventually } from './support/clock.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { killAllWorkers, spawnServer } from './support/herald-process.js';
import { png } from './support/media-fixtures.js';
import { randomKey, type Sdk, startHerald, type TestHerald } from './support/herald.js';

// Importing a campaign's recipients from an uploaded CSV: streamed, mapped by the header's
// column names, each row checked on its own (reported by its line in the file), and safe to run
// again, also after the Herald doing it was killed halfway.

let h: TestHerald;
let admin: Sdk;

beforeAll(async () => {
  h = await startHerald();
  admin = h.sdk();
});
afterAll(async () => {
  await killAllWorkers();
  await h?.stop();
});

type Imported = Extract<
  ImportCampaignRecipientsMutation['importCampaignRecipients'],
  { __typename: 'CampaignRecipientsImported' }
>;

async function uploadCsv(baseUrl: string, key: string, csv: string, filename = 'contacts.csv'): Promise<string> {
  const res = await fetch(`${baseUrl}/api/media/upload`, {
    method: 'POST',
    headers: { apikey: key, 'content-type': 'application/json' },
    body: JSON.stringify({ mediaType: 'document', filename, data: Buffer.from(csv).toString('base64') }),
  });
  const body = (await res.json()) as { mediaId?: string };
  if (!body.mediaId) throw new Error(`upload refused: ${JSON.stringify(body)}`);
  return body.mediaId;
}

async function smsCampaign(sdk: Sdk, name: string): Promise<CampaignFieldsFragment> {
  const r = (
    await sdk.CreateCampaign({
      input: { name, channel: 'SMS', content: { sms: { text: 'Dear {{1}}, you owe {{2}}' } } },
    })
  ).createCampaign;
  if (r.__typename !== 'Campaign') throw new Error(JSON.stringify(r));
  return r;
}

const MAPPING: CsvColumnMapping[] = [
  { column: 'phone', field: 'to' },
  { column: 'name', field: 'params.1' },
  { column: 'amount', field: 'params.2' },
  { column: 'ref', field: 'externalRef' },
  { column: 'city', field: 'metadata.city' },
];

async function importCsv(sdk: Sdk, campaignId: string, mediaId: string, mapping = MAPPING): Promise<Imported> {
  const r = (await sdk.ImportCampaignRecipients({ campaignId, mediaId, mapping })).importCampaignRecipients;
  if (r.__typename !== 'CampaignRecipientsImported') throw new Error(JSON.stringify(r));
  return r;
}

describe('importCampaignRecipients', () => {
  it('maps columns by the header, quotes and all, reports invalid rows by row and column, and adds nothing twice when run again', async () => {
    const csv = [
      '\uFEFFphone, name ,amount,ref,city',
      '+918800000001,Asha,"1,000",r1,Pune',
      '918800000002,"Ravi ""R""",200,r2,"New',
      'Delhi"',
      'bad,X,1,r3,Y',
      '',
      '+918800000004,Only,,r4,Z',
      '+918800000001,Again,5,r5,Q',
      '+918800000006,Same ref,6,r1,Q',
      '+918800000007,Short',
    ].join('\r\n');
    const mediaId = await uploadCsv(h.url, h.adminKey, csv);
    const c = await smsCampaign(admin, 'imported');
    const first = await importCsv(admin, c.id, mediaId);
    expect(first).toMatchObject({ rows: 7, accepted: 3, duplicates: 2, invalidCount: 2, suppressed: 0 });
    // Each by its row as a spreadsheet numbers it (a quoted cell over two lines is one row, a
    // blank line is a row) and the column that made it invalid.
    expect(first.invalid.map((i) => [i.row, i.field])).toEqual([
      [4, 'phone'],
      [9, 'amount'],
    ]);
    expect(first.invalid[0]!.reason).toMatch(/^phone "bad" is not a valid phone number/);
    expect(first.campaign.counters).toMatchObject({ scheduled: 3, total: 3, invalid: 2 });

    const messages = (await admin.CampaignMessages({ id: c.id, first: 10 })).campaign!.messages.edges.map(
      (e) => e.node,
    );
    const ravi = messages.find((m) => m.externalRef === 'r2');
    expect(ravi).toMatchObject({
      to: '+918800000002',
      metadata: { city: 'New\r\nDelhi' },
      content: { text: 'Dear Ravi "R", you owe 200' },
    });
    expect(messages.find((m) => m.externalRef === 'r1')?.content).toMatchObject({ text: 'Dear Asha, you owe 1,000' });

    const again = await importCsv(admin, c.id, mediaId);
    expect(again).toMatchObject({ rows: 7, accepted: 0, duplicates: 5, invalidCount: 2 });
    expect(again.campaign.counters).toMatchObject({ total: 3, invalid: 2 });
  });

  it('refuses mappings that do not fit the file, files that are not CSV, and unknown media', async () => {
    const mediaId = await uploadCsv(h.url, h.adminKey, 'phone,name\n+918800000001,Asha\n', 'fit.csv');
    const c = await smsCampaign(admin, 'refusals');
    const cases: Array<[CsvColumnMapping[], string]> = [
      [[{ column: 'mobile', field: 'to' }], 'mapping.0.column'],
      [[{ column: 'name', field: 'params.1' }], 'mapping'],
      [
        [
          { column: 'phone', field: 'to' },
          { column: 'name', field: 'params.2' },
        ],
        'mapping',
      ],
      [[{ column: 'phone', field: 'recipient' }], 'mapping.0.field'],
      [[{ column: 'phone', field: 'metadata.__proto__' }], 'mapping.0.field'],
      [
        [
          { column: 'phone', field: 'to' },
          { column: 'name', field: 'to' },
        ],
        'mapping.1.field',
      ],
      [[], 'mapping'],
    ];
    for (const [mapping, field] of cases) {
      const r = (await admin.ImportCampaignRecipients({ campaignId: c.id, mediaId, mapping })).importCampaignRecipients;
      expect(r).toMatchObject({ __typename: 'ValidationError', field });
    }
    const image = await fetch(`${h.url}/api/media/upload`, {
      method: 'POST',
      headers: { apikey: h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ mediaType: 'image', filename: 'x.png', data: png().toString('base64') }),
    });
    const imageId = ((await image.json()) as { mediaId: string }).mediaId;
    const notCsv = (await admin.ImportCampaignRecipients({ campaignId: c.id, mediaId: imageId, mapping: MAPPING }))
      .importCampaignRecipients;
    expect(notCsv).toMatchObject({ __typename: 'ValidationError', field: 'mediaId' });
    const unknown = (
      await admin.ImportCampaignRecipients({ campaignId: c.id, mediaId: 'no-such-media', mapping: MAPPING })
    ).importCampaignRecipients;
    expect(unknown.__typename).toBe('NotFoundError');
    const campaign = (await admin.Campaign({ id: c.id })).campaign!;
    expect(campaign.counters).toMatchObject({ total: 0, invalid: 0 });
  });

  it('keeps the rows before a malformed one and says where the file broke', async () => {
    const mediaId = await uploadCsv(
      h.url,
      h.adminKey,
      'phone,name,amount\n+918800000011,Asha,1\n+918800000012,"Ravi,2\n',
      'broken.csv',
    );
    const c = await smsCampaign(admin, 'broken');
    const mapping = MAPPING.slice(0, 3);
    const r = (await admin.ImportCampaignRecipients({ campaignId: c.id, mediaId, mapping })).importCampaignRecipients;
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'mediaId' });
    expect((await admin.Campaign({ id: c.id })).campaign!.counters).toMatchObject({ total: 1 });
  });
});

// Below the ephemeral range (32768 up), where the tests' own outgoing connections take ports.
const freePort = () => 20_000 + Math.floor(Math.random() * 12_000);

describe('an import interrupted by a killed Herald', () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    await killAllWorkers();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('run again on a new Herald ends with each recipient exactly once', async () => {
    const ROWS = 30_000;
    const INVALID_EVERY = 100;
    dataDir = await mkdtemp(join(tmpdir(), 'herald-import-kill-'));
    database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
    const key = randomKey();
    const env = {
      ...(database ? { DATABASE_URL: database.url! } : {}),
      HERALD_DATA_DIR: dataDir,
      HERALD_MEDIA_DIR: join(dataDir, 'media'),
      HERALD_BOOTSTRAP_API_KEY: key,
      HERALD_WORKERS: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const sdkOf = (port: number) =>
      getSdk(new GraphQLClient(`http://127.0.0.1:${port}/graphql`, { headers: { authorization: `Bearer ${key}` } }));

    const lines = ['phone,name,amount'];
    for (let i = 0; i < ROWS; i++)
      lines.push(
        i % INVALID_EVERY === 0 ? `bad-${i},N${i},${i}` : `+9188${String(100_000_000 + i).slice(1)},N${i},${i}`,
      );
    const invalidRows = ROWS / INVALID_EVERY;

    const portA = freePort();
    const a = spawnServer({ ...env, PORT: String(portA) }, { readyTimeoutMs: 60_000 });
    await a.ready;
    const sdkA = sdkOf(portA);
    const mediaId = await uploadCsv(`http://127.0.0.1:${portA}`, key, lines.join('\n'));
    const c = await smsCampaign(sdkA, 'killed');
    const mapping = MAPPING.slice(0, 3);
    const running = sdkA.ImportCampaignRecipients({ campaignId: c.id, mediaId, mapping }).catch((err: unknown) => err);
    // Killed once some chunks are stored, before the last.
    await eventually(
      async () => (await sdkA.Campaign({ id: c.id })).campaign!.counters.total,
      (total) => total > 0,
      60_000,
    );
    await a.kill('SIGKILL');
    expect(await running).toBeInstanceOf(Error);

    const portB = freePort() + 1;
    const b = spawnServer({ ...env, PORT: String(portB) }, { readyTimeoutMs: 60_000 });
    await b.ready;
    const sdkB = sdkOf(portB);
    const partial = (await sdkB.Campaign({ id: c.id })).campaign!.counters;
    expect(partial.total).toBeGreaterThan(0);
    expect(partial.total).toBeLessThan(ROWS - invalidRows);

    const rerun = await importCsv(sdkB, c.id, mediaId, mapping);
    expect(rerun.rows).toBe(ROWS);
    expect(rerun.accepted + rerun.duplicates).toBe(ROWS - invalidRows);
    expect(rerun.duplicates).toBe(partial.total);
    expect(rerun.campaign.counters).toMatchObject({
      total: ROWS - invalidRows,
      scheduled: ROWS - invalidRows,
      invalid: invalidRows,
    });
    await b.kill('SIGTERM');
  }, 180_000);
});
