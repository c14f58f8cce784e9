import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/raw-rows.js';
import { suppressions } from '../src/db/schema.js';
import type {
  AddCampaignRecipientsMutation,
  CampaignFieldsFragment,
  CampaignRecipientInput,
  CreateCampaignInput,
} from './client/sdk.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Campaigns through GraphQL: creation checks the content as a single send would, recipients
// are added in bulk (each row on its own: rendered, validated, suppressed or stored held), a
// recipient added twice is added once, refused rows are counted once, and counters equal the
// messages' own counts. Another tenant sees none of it.

let h: TestHerald;
let admin: Sdk;
let other: Sdk;
let tenantId: string;

beforeAll(async () => {
  h = await startHerald();
  admin = h.sdk();
  tenantId = (await admin.Viewer()).viewer.tenant.id;
  const created = await admin.CreateTenant({ name: 'Campaign Other' });
  if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error('tenant not created');
  other = h.sdk(created.createTenant.key);
});
afterAll(() => h?.stop());

const db = () => h.herald.database.db;
type Added = Extract<AddCampaignRecipientsMutation['addCampaignRecipients'], { __typename: 'CampaignRecipientsAdded' }>;

async function create(input: CreateCampaignInput, sdk = admin): Promise<CampaignFieldsFragment> {
  const r = (await sdk.CreateCampaign({ input })).createCampaign;
  if (r.__typename !== 'Campaign') throw new Error(`expected a Campaign, got ${JSON.stringify(r)}`);
  return r;
}

async function add(campaignId: string, recipients: CampaignRecipientInput[], sdk = admin): Promise<Added> {
  const r = (await sdk.AddCampaignRecipients({ campaignId, recipients })).addCampaignRecipients;
  if (r.__typename !== 'CampaignRecipientsAdded') throw new Error(`expected an answer, got ${JSON.stringify(r)}`);
  return r;
}

async function refusal(input: CreateCampaignInput) {
  const r = (await admin.CreateCampaign({ input })).createCampaign;
  if (r.__typename !== 'ValidationError') throw new Error(`expected a refusal, got ${JSON.stringify(r)}`);
  return r;
}

/** The campaign's messages per status, counted by the database itself. */
async function countsInSql(campaignId: string): Promise<Record<string, number>> {
  const rows = rowsOf<{ status: string; n: number }>(
    await db().execute(
      sql`select status, count(*)::int as n from messages where campaign_id = ${campaignId}::uuid group by status`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.status.toLowerCase(), r.n]));
}

const phone = (i: number) => `+9188${String(100_000_000 + i).slice(1)}`;
const sms = (text: string): CreateCampaignInput['content'] => ({ sms: { text } });

describe('createCampaign', () => {
  it('creates a DRAFT campaign with its defaults, MARKETING unless told', async () => {
    const c = await create({
      name: '  Diwali offers ',
      channel: 'SMS',
      content: { sms: { text: 'Hi {{1}}, {{2}} off today', senderId: 'HERALD' } },
      ratePerSecond: 50,
      tags: ['promo', 'q4'],
      callbackUrl: 'https://callbacks.example.com/herald',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(c).toMatchObject({
      name: 'Diwali offers',
      channel: 'SMS',
      category: 'MARKETING',
      status: 'DRAFT',
      ratePerSecond: 50,
      tags: ['promo', 'q4'],
      callbackUrl: 'https://callbacks.example.com/herald',
      startedAt: null,
      content: { __typename: 'CampaignSmsContent', text: 'Hi {{1}}, {{2}} off today', senderId: 'HERALD' },
      counters: { total: 0, scheduled: 0, invalid: 0, suppressed: 0 },
    });
    const read = (await admin.Campaign({ id: c.id })).campaign;
    expect(read?.campaignId).toBe(c.campaignId);
    // The plain id works too, and the Node interface answers for it.
    expect((await admin.Campaign({ id: c.campaignId })).campaign?.id).toBe(c.id);
    expect((await admin.Node({ id: c.id })).node).toMatchObject({ __typename: 'Campaign', id: c.id });
  });

  it('refuses content as a single send would, naming the field, and stores nothing', async () => {
    const before = (await admin.Campaigns({ first: 100 })).campaigns.edges.length;
    const cases: Array<[CreateCampaignInput, string]> = [
      [{ name: 'x', channel: 'SMS', content: {} }, 'content.sms'],
      [
        { name: 'x', channel: 'SMS', content: { whatsApp: { templateName: 'promo' }, sms: { text: 'hi' } } },
        'content.whatsApp',
      ],
      [{ name: 'x', channel: 'SMS', content: sms('Hi {{name}}') }, 'content.sms.text'],
      [{ name: 'x', channel: 'SMS', content: sms('Hi {{1}} and {{3}}') }, 'content.sms'],
      [
        { name: 'x', channel: 'SMS', content: { sms: { text: 'hi', senderId: 'far too long sender' } } },
        'content.sms.senderId',
      ],
      [{ name: 'x', channel: 'SMS', content: sms('   ') }, 'content.sms.text'],
      [{ name: ' ', channel: 'SMS', content: sms('hi') }, 'name'],
      [{ name: 'x', channel: 'SMS', content: sms('hi'), ratePerSecond: 0 }, 'ratePerSecond'],
      [{ name: 'x', channel: 'SMS', content: sms('hi'), tags: ['no spaces'] }, 'tags.0'],
      [{ name: 'x', channel: 'SMS', content: sms('hi'), callbackUrl: 'ftp://example.com/x' }, 'callbackUrl'],
      [
        { name: 'x', channel: 'SMS', content: sms('hi'), validUntil: new Date(Date.now() - 1000).toISOString() },
        'validUntil',
      ],
      [
        { name: 'x', channel: 'WHATSAPP', content: { whatsApp: { templateName: 'Bad Name' } } },
        'content.whatsApp.templateName',
      ],
      [
        {
          name: 'x',
          channel: 'WHATSAPP',
          content: {
            whatsApp: { templateName: 'promo', mediaType: 'IMAGE', mediaId: '01890a5d-ac96-774b-bcce-b302099a8057' },
          },
        },
        'content.whatsApp.mediaId',
      ],
      [{ name: 'x', channel: 'EMAIL', content: { email: { subject: 'Hi {{1}}' } } }, 'content.email.text'],
      [
        { name: 'x', channel: 'EMAIL', content: { email: { subject: 'Hi', text: 'x', from: 'not-an-address' } } },
        'content.email.from',
      ],
    ];
    for (const [input, field] of cases) {
      const r = await refusal(input);
      expect(`${field}: ${r.field}`).toBe(`${field}: ${field}`);
      expect(r.message.length).toBeGreaterThan(0);
    }
    expect((await admin.Campaigns({ first: 100 })).campaigns.edges.length).toBe(before);
  });
});

describe('addCampaignRecipients', () => {
  it('renders and stores each valid recipient as a held message, reports each invalid one, skips the suppressed', async () => {
    await db()
      .insert(suppressions)
      .values({
        tenantId,
        channel: 'SMS',
        recipient: phone(3),
        reason: 'STOP reply',
        source: 'INBOUND',
        createdAt: new Date(),
      });
    const validUntil = new Date(Date.now() + 3_600_000).toISOString();
    const c = await create({
      name: 'bills',
      channel: 'SMS',
      content: { sms: { text: 'Dear {{1}}, you owe {{2}}', senderId: 'HERALD' } },
      tags: ['bills'],
      callbackUrl: 'https://callbacks.example.com/bills',
      validUntil,
    });
    const recipients: CampaignRecipientInput[] = [
      { to: phone(0), params: ['Asha', '₹100'], externalRef: 'inv-0', metadata: { plan: 'gold' } },
      { to: phone(1).slice(1), params: ['Ravi', '₹200'] }, // digits without the plus, as the guide writes them
      { to: 'not a number', params: ['X', '1'] },
      { to: phone(3), params: ['Opted', 'Out'] },
      { to: phone(4), params: ['Only one'] },
      { to: phone(5), params: ['Nul\u0000', '1'] },
      { to: phone(6), params: ['Mina', '₹600'], metadata: { nested: { deep: true } } },
    ];
    const r = await add(c.id, recipients);
    expect(r).toMatchObject({ accepted: 3, duplicates: 0, suppressed: 1, invalidCount: 3 });
    expect(r.invalid.map((i) => [i.row, i.field])).toEqual([
      [2, 'to'],
      [4, 'params'],
      [5, 'params.0'],
    ]);
    expect(r.invalid[1]!.reason).toMatch(/2 values/);
    expect(r.campaign.counters).toMatchObject({ scheduled: 3, total: 3, invalid: 3, suppressed: 1 });

    const page = (await admin.CampaignMessages({ id: c.id, first: 10 })).campaign!.messages;
    const byTo = new Map(page.edges.map((e) => [e.node.to, e.node]));
    expect([...byTo.keys()].sort()).toEqual([phone(0), phone(1), phone(6)]);
    expect(byTo.get(phone(0))).toMatchObject({
      status: 'SCHEDULED',
      nextAttemptAt: null,
      externalRef: 'inv-0',
      metadata: { plan: 'gold' },
      tags: ['bills'],
      callbackUrl: 'https://callbacks.example.com/bills',
      validUntil,
      content: { __typename: 'SmsContent', text: 'Dear Asha, you owe ₹100', senderId: 'HERALD', segments: 1 },
    });
    expect(byTo.get(phone(1))?.content).toMatchObject({ text: 'Dear Ravi, you owe ₹200' });
    expect(await countsInSql(c.campaignId)).toEqual({ scheduled: 3 });
  });

  it('adds a recipient once, by address or by externalRef, and counts a refused row once however often it is added', async () => {
    const c = await create({ name: 'again', channel: 'SMS', content: sms('Hello {{1}}') });
    const rows: CampaignRecipientInput[] = [
      { to: phone(10), params: ['A'], externalRef: 'a' },
      { to: phone(11), params: ['B'], externalRef: 'b' },
      { to: phone(10), params: ['A again'] }, // same address in the same call
      { to: 'nope', params: ['C'] },
    ];
    const first = await add(c.id, rows);
    expect(first).toMatchObject({ accepted: 2, duplicates: 1, invalidCount: 1 });
    const again = await add(c.id, [...rows, { to: phone(12), params: ['D'], externalRef: 'b' }]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 4, invalidCount: 1 });
    expect(again.campaign.counters).toMatchObject({ total: 2, scheduled: 2, invalid: 1, suppressed: 0 });
    expect(await countsInSql(c.campaignId)).toEqual({ scheduled: 2 });
  });

  it('fills WhatsApp template params per recipient, checked against the registered template', async () => {
    const t = await admin.CreateTemplate({
      input: { channel: 'WHATSAPP', name: 'invoice_due', body: 'Hi {{1}}, {{2}} is due' },
    });
    expect(t.createTemplate.__typename).toBe('Template');
    const c = await create({
      name: 'invoices',
      channel: 'WHATSAPP',
      category: 'UTILITY',
      content: { whatsApp: { templateName: 'invoice_due', language: 'en' } },
    });
    expect(c.content).toMatchObject({
      __typename: 'CampaignWhatsAppContent',
      templateName: 'invoice_due',
      mediaType: 'NONE',
    });
    const r = await add(c.id, [
      { to: phone(20), params: ['Asha', '₹100'] },
      { to: phone(21), params: ['Ravi'] },
      { to: phone(22), params: ['', '₹1'] },
    ]);
    expect(r).toMatchObject({ accepted: 1, invalidCount: 2 });
    expect(r.invalid.map((i) => [i.row, i.field])).toEqual([
      [1, 'params'],
      [2, 'params.0'],
    ]);
    const [m] = (await admin.CampaignMessages({ id: c.id, first: 5 })).campaign!.messages.edges;
    expect(m!.node.content).toMatchObject({ templateName: 'invoice_due', language: 'en', params: ['Asha', '₹100'] });
  });

  it('fills email subject, html (values escaped) and text', async () => {
    const c = await create({
      name: 'newsletter',
      channel: 'EMAIL',
      content: {
        email: { subject: 'News for {{1}}', html: '<p>Hello {{1}}</p>', text: 'Hello {{1}}', from: 'news@example.com' },
      },
    });
    const r = await add(c.id, [
      { to: 'Reader@Example.com', params: ['<b>Ann & Bo</b>'] },
      { to: 'not-mail', params: ['x'] },
    ]);
    expect(r).toMatchObject({ accepted: 1, invalidCount: 1, invalid: [{ row: 1, field: 'to' }] });
    const [m] = (await admin.CampaignMessages({ id: c.id, first: 5 })).campaign!.messages.edges;
    expect(m!.node).toMatchObject({
      to: 'reader@example.com',
      content: {
        subject: 'News for <b>Ann & Bo</b>',
        htmlBody: '<p>Hello &lt;b&gt;Ann &amp; Bo&lt;/b&gt;</p>',
        textBody: 'Hello <b>Ann & Bo</b>',
      },
    });
  });

  it('sends UTILITY campaigns to suppressed recipients', async () => {
    await db()
      .insert(suppressions)
      .values({
        tenantId,
        channel: 'SMS',
        recipient: phone(30),
        reason: 'STOP reply',
        source: 'INBOUND',
        createdAt: new Date(),
      });
    const c = await create({ name: 'otp', channel: 'SMS', category: 'UTILITY', content: sms('Your bill is ready') });
    expect(await add(c.id, [{ to: phone(30) }])).toMatchObject({ accepted: 1, suppressed: 0 });
  });

  it('takes 10,000 recipients in one call and refuses more', async () => {
    const c = await create({ name: 'big', channel: 'SMS', content: sms('Sale {{1}}') });
    const many = Array.from({ length: 10_000 }, (_, i) => ({ to: phone(100_000 + i), params: [String(i)] }));
    const r = await add(c.id, many);
    expect(r).toMatchObject({ accepted: 10_000, duplicates: 0, invalidCount: 0 });
    expect(r.campaign.counters).toMatchObject({ scheduled: 10_000, total: 10_000 });
    expect(await countsInSql(c.campaignId)).toEqual({ scheduled: 10_000 });
    const tooMany = (await admin.AddCampaignRecipients({ campaignId: c.id, recipients: [...many, { to: phone(1) }] }))
      .addCampaignRecipients;
    expect(tooMany).toMatchObject({ __typename: 'ValidationError', field: 'recipients' });
  });

  it('refuses unknown campaigns and campaigns that no longer take recipients', async () => {
    const missing = (
      await admin.AddCampaignRecipients({ campaignId: 'no-such-campaign', recipients: [{ to: phone(1) }] })
    ).addCampaignRecipients;
    expect(missing.__typename).toBe('NotFoundError');
    const c = await create({ name: 'done', channel: 'SMS', content: sms('hi') });
    await db().execute(sql`update campaigns set status = 'COMPLETED' where id = ${c.campaignId}::uuid`);
    const closed = (await admin.AddCampaignRecipients({ campaignId: c.id, recipients: [{ to: phone(1) }] }))
      .addCampaignRecipients;
    expect(closed).toMatchObject({ __typename: 'CampaignStateError', status: 'COMPLETED' });
    expect(await countsInSql(c.campaignId)).toEqual({});
  });
});

describe('reading campaigns', () => {
  it('lists campaigns newest first, by status, in pages', async () => {
    const a = await create({ name: 'page a', channel: 'SMS', content: sms('a') });
    const b = await create({ name: 'page b', channel: 'SMS', content: sms('b') });
    const first = (await admin.Campaigns({ first: 1 })).campaigns;
    expect(first.edges[0]!.node.id).toBe(b.id);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await admin.Campaigns({ first: 1, after: first.pageInfo.endCursor })).campaigns;
    expect(second.edges[0]!.node.id).toBe(a.id);
    const completed = (await admin.Campaigns({ first: 100, status: 'COMPLETED' })).campaigns.edges;
    expect(completed.every((e) => e.node.status === 'COMPLETED')).toBe(true);
    expect(completed.some((e) => e.node.id === a.id)).toBe(false);
  });

  it('keeps counters exact when their delta rows are folded', async () => {
    const c = await create({ name: 'folded', channel: 'SMS', content: sms('Hi {{1}}') });
    // One delta row per call; each answer reads the counters, which folds them past 64 rows.
    for (let i = 0; i < 70; i++) await add(c.id, [{ to: phone(60_000 + i), params: [String(i)] }]);
    const pieces = async () =>
      rowsOf<{ n: number }>(
        await db().execute(
          sql`select count(*)::int as n from campaign_counts where campaign_id = ${c.campaignId}::uuid`,
        ),
      )[0]!.n;
    expect(await pieces()).toBeLessThan(70);
    expect((await admin.Campaign({ id: c.id })).campaign!.counters).toMatchObject({ scheduled: 70, total: 70 });
    await db().execute(
      sql`update messages set status = 'CANCELED' where campaign_id = ${c.campaignId}::uuid and recipient = ${phone(60_000)}`,
    );
    expect((await admin.Campaign({ id: c.id })).campaign!.counters).toMatchObject({
      scheduled: 69,
      canceled: 1,
      total: 70,
    });
    expect(await countsInSql(c.campaignId)).toEqual({ scheduled: 69, canceled: 1 });
  });

  it("filters a campaign's messages like the messages query", async () => {
    const c = await create({ name: 'filters', channel: 'SMS', content: sms('Hi {{1}}') });
    await add(c.id, [
      { to: phone(40), params: ['a'], externalRef: 'r40' },
      { to: phone(41), params: ['b'], externalRef: 'r41' },
    ]);
    const byTo = (await admin.CampaignMessages({ id: c.id, first: 10, filter: { to: phone(41).slice(1) } })).campaign!
      .messages.edges;
    expect(byTo.map((e) => e.node.externalRef)).toEqual(['r41']);
    const queued = (await admin.CampaignMessages({ id: c.id, first: 10, filter: { status: 'QUEUED' } })).campaign!
      .messages.edges;
    expect(queued).toEqual([]);
  });

  it("keeps every tenant's campaigns to itself", async () => {
    const c = await create({ name: 'private', channel: 'SMS', content: sms('Hi {{1}}') });
    await add(c.id, [{ to: phone(50), params: ['a'] }]);
    expect((await other.Campaign({ id: c.id })).campaign).toBeNull();
    expect((await other.Campaign({ id: c.campaignId })).campaign).toBeNull();
    expect((await other.Node({ id: c.id })).node).toBeNull();
    expect((await other.Campaigns({ first: 100 })).campaigns.edges).toEqual([]);
    const foreign = (
      await other.AddCampaignRecipients({ campaignId: c.id, recipients: [{ to: phone(51), params: ['b'] }] })
    ).addCampaignRecipients;
    expect(foreign.__typename).toBe('NotFoundError');
    expect(await countsInSql(c.campaignId)).toEqual({ scheduled: 1 });
  });
});
