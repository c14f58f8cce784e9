import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns, messages } from '../src/db/schema.js';
import { rowsOf } from '../src/db/raw-rows.js';
import { newId } from '../src/ids.js';
import { MEDIAN_SAMPLE } from '../src/messaging/stats.js';
import type { Channel, MessageStatus } from '../src/vocabulary.js';
import type { MessageStatsQuery, MessageStatsQueryVariables } from './client/sdk.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// messageStats over a data set whose answers are worked out by hand below. Messages are written
// through plain SQL, as any status writer could: the database records when each reached SENT,
// DELIVERED and READ (migration 0007), so each message follows its own path of statuses at
// chosen times. The week of 2026-03-02 (a Monday); the window asked for is 2026-03-01 to 03-08.

type Seed = {
  /** When Herald accepted it (UTC). */
  created: string;
  channel: Channel;
  template?: string;
  provider?: string;
  campaign?: keyof typeof campaignIds;
  tags?: string[];
  /** The statuses it then went through, with seconds after `created`. */
  path?: [MessageStatus, number][];
  /** Its status from the start, when not QUEUED. */
  initial?: MessageStatus;
  errorCode?: string;
};

// Numbered as in the comments of the expectations.
const SEEDS: Seed[] = [
  // 1-5: the "invoice" template on WhatsApp.
  {
    created: '2026-03-02T09:15:00Z',
    channel: 'WHATSAPP',
    template: 'invoice',
    provider: 'wa',
    path: [
      ['SENT', 10],
      ['DELIVERED', 20],
      ['READ', 70],
    ],
  },
  {
    created: '2026-03-02T09:40:00Z',
    channel: 'WHATSAPP',
    template: 'invoice',
    provider: 'wa',
    path: [
      ['SENT', 5],
      ['DELIVERED', 35],
    ],
  },
  // Read without a delivery report: delivered then too.
  {
    created: '2026-03-02T10:05:00Z',
    channel: 'WHATSAPP',
    template: 'invoice',
    provider: 'wa',
    path: [
      ['SENT', 5],
      ['READ', 125],
    ],
  },
  {
    created: '2026-03-03T09:10:00Z',
    channel: 'WHATSAPP',
    template: 'invoice',
    provider: 'wa',
    path: [
      ['SENT', 5],
      ['UNDELIVERED', 60],
    ],
    errorCode: '131026',
  },
  // Refused by the provider: it never left Herald.
  {
    created: '2026-03-03T09:20:00Z',
    channel: 'WHATSAPP',
    template: 'invoice',
    provider: 'wa',
    path: [['FAILED', 1]],
    errorCode: '131047',
  },
  // 6-11: the "promo" template, campaign C1, tagged spring.
  {
    created: '2026-03-02T18:00:00Z',
    channel: 'WHATSAPP',
    template: 'promo',
    provider: 'wa',
    campaign: 'C1',
    tags: ['spring'],
    path: [
      ['SENT', 1],
      ['DELIVERED', 3],
      ['READ', 5],
    ],
  },
  {
    created: '2026-03-02T18:01:00Z',
    channel: 'WHATSAPP',
    template: 'promo',
    provider: 'wa',
    campaign: 'C1',
    tags: ['spring'],
    path: [
      ['SENT', 1],
      ['DELIVERED', 5],
    ],
  },
  // Failed after it was sent: it left Herald.
  {
    created: '2026-03-02T18:02:00Z',
    channel: 'WHATSAPP',
    template: 'promo',
    provider: 'wa',
    campaign: 'C1',
    tags: ['spring'],
    path: [
      ['SENT', 1],
      ['FAILED', 30],
    ],
    errorCode: '131049',
  },
  // 00:10 on Tuesday in Asia/Kolkata.
  {
    created: '2026-03-02T18:40:00Z',
    channel: 'WHATSAPP',
    template: 'promo',
    provider: 'wa',
    campaign: 'C1',
    tags: ['spring'],
    path: [
      ['SENT', 1],
      ['UNDELIVERED', 40],
    ],
    errorCode: '131049',
  },
  // Waiting for a retry: its error is not a failure (yet).
  {
    created: '2026-03-04T18:04:00Z',
    channel: 'WHATSAPP',
    template: 'promo',
    provider: 'wa',
    campaign: 'C1',
    tags: ['spring'],
    errorCode: 'RATE_LIMITED',
  },
  {
    created: '2026-03-04T18:05:00Z',
    channel: 'WHATSAPP',
    template: 'promo',
    provider: 'wa',
    campaign: 'C1',
    tags: ['spring'],
    path: [['EXPIRED', 3600]],
    errorCode: 'EXPIRED',
  },
  // 12-17: SMS and email without a template.
  {
    created: '2026-03-02T09:30:00Z',
    channel: 'SMS',
    provider: 'twilio',
    campaign: 'C2',
    path: [
      ['SENT', 2],
      ['DELIVERED', 8],
    ],
  },
  // 05:00 on Wednesday in Asia/Kolkata.
  {
    created: '2026-03-03T23:30:00Z',
    channel: 'SMS',
    provider: 'twilio',
    campaign: 'C2',
    path: [
      ['SENT', 2],
      ['DELIVERED', 4],
    ],
  },
  { created: '2026-03-03T12:00:00Z', channel: 'SMS', provider: 'twilio', tags: ['spring'], path: [['SENT', 2]] },
  { created: '2026-03-03T12:30:00Z', channel: 'SMS', path: [['CANCELED', 60]] },
  { created: '2026-03-03T13:00:00Z', channel: 'SMS', initial: 'SCHEDULED' },
  { created: '2026-03-04T08:00:00Z', channel: 'EMAIL' },
  // Outside the window.
  {
    created: '2026-02-20T10:00:00Z',
    channel: 'SMS',
    provider: 'twilio',
    path: [
      ['SENT', 2],
      ['DELIVERED', 4],
    ],
  },
];

const WINDOW = { from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z' };
const ZERO = {
  scheduled: 0,
  queued: 0,
  sending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  undelivered: 0,
  expired: 0,
  canceled: 0,
};

let h: TestHerald;
let sdk: Sdk;
let otherSdk: Sdk;
let tenantId: string;
let otherTenantId: string;
const campaignIds: Record<'C1' | 'C2' | 'other', string> = { C1: '', C2: '', other: '' };

const db = () => h.herald.database.db;

async function newCampaign(tenant: string, name: string): Promise<string> {
  const now = new Date();
  const id = newId();
  await db()
    .insert(campaigns)
    .values({
      id,
      tenantId: tenant,
      name,
      channel: 'WHATSAPP',
      category: 'MARKETING',
      status: 'RUNNING',
      content: { templateName: 'promo' },
      createdAt: now,
      updatedAt: now,
    });
  return id;
}

async function seed(tenant: string, seeds: Seed[], recipientBase: number): Promise<void> {
  const ids = seeds.map(() => newId());
  await db()
    .insert(messages)
    .values(
      seeds.map((s, i) => ({
        id: ids[i]!,
        tenantId: tenant,
        channel: s.channel,
        status: s.initial ?? ('QUEUED' as const),
        statusAt: new Date(s.created),
        recipient: s.channel === 'EMAIL' ? `person${recipientBase + i}@example.com` : `+1415555${recipientBase + i}`,
        templateName: s.template ?? null,
        provider: s.provider ?? null,
        campaignId: s.campaign ? campaignIds[s.campaign] : null,
        tags: s.tags ?? [],
        lastErrorCode: s.errorCode ?? null,
        channelOptions: {},
        createdAt: new Date(s.created),
        updatedAt: new Date(s.created),
      })),
    );
  for (const [i, s] of seeds.entries()) {
    for (const [status, seconds] of s.path ?? []) {
      const at = new Date(new Date(s.created).getTime() + seconds * 1000);
      await db().update(messages).set({ status, statusAt: at, updatedAt: at }).where(eq(messages.id, ids[i]!));
    }
  }
}

beforeAll(async () => {
  h = await startHerald();
  sdk = h.sdk();
  tenantId = (await sdk.Viewer()).viewer.tenant.id;
  const other = await createTenant('Stats Other');
  otherSdk = h.sdk(other.key);
  otherTenantId = other.tenantId;
  campaignIds.C1 = await newCampaign(tenantId, 'spring promo');
  campaignIds.C2 = await newCampaign(tenantId, 'sms reminders');
  campaignIds.other = await newCampaign(otherTenantId, 'other promo');
  await seed(tenantId, SEEDS, 1000);
  // The other tenant: the same template, in the same window, in its own campaign.
  await seed(
    otherTenantId,
    SEEDS.slice(0, 3).map((s) => ({ ...s, campaign: 'other' as const })),
    2000,
  );
}, 60_000);
afterAll(() => h?.stop());

type Stats = Extract<MessageStatsQuery['messageStats'], { __typename: 'MessageStats' }>;
type Group = Stats['groups'][number];

async function stats(variables: MessageStatsQueryVariables, client: Sdk = sdk): Promise<Stats> {
  const r = await client.MessageStats(variables);
  if (r.messageStats.__typename !== 'MessageStats') throw new Error(JSON.stringify(r.messageStats));
  return r.messageStats;
}

async function refusal(variables: MessageStatsQueryVariables): Promise<{ field: string; message: string }> {
  const r = await sdk.MessageStats(variables);
  if (r.messageStats.__typename !== 'ValidationError') throw new Error(`not refused: ${JSON.stringify(r)}`);
  return r.messageStats;
}

/** A group's key without the dimensions it was not grouped by. */
const keyOf = (g: Group) => Object.fromEntries(Object.entries(g.key).filter(([, v]) => v !== null));
const totals = (s: Stats) => s.groups.map((g) => [keyOf(g), g.total]);

describe('messageStats: the figures of a data set with known answers', () => {
  it('without groupBy: one group of every message in the window, with counts, rates, failure codes and medians', async () => {
    const s = await stats({ filter: WINDOW });
    expect(s).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z', timeZone: 'UTC' });
    expect(s.groupBy).toEqual([]);
    expect(s.groups).toHaveLength(1);
    const [all] = s.groups;
    expect(all).toEqual({
      key: {
        status: null,
        channel: null,
        template: null,
        provider: null,
        campaignId: null,
        day: null,
        hourOfDay: null,
        dayOfWeek: null,
      },
      total: 17,
      // 1,3,6 read; 2,7,12,13 delivered; 14 sent; 4,9 undelivered; 5,8 failed; 10,17 queued.
      counts: {
        ...ZERO,
        scheduled: 1,
        queued: 2,
        sent: 1,
        delivered: 4,
        read: 3,
        failed: 2,
        undelivered: 2,
        expired: 1,
        canceled: 1,
      },
      // Left Herald: 1-4, 6-9, 12-14 (5 was refused; 10, 11 and 15-17 never went out).
      sent: 11,
      delivered: 7,
      read: 3,
      deliveredRate: 7 / 11,
      readRate: 3 / 7,
      // 10's RATE_LIMITED waits for a retry: not a failure. Ties by code.
      failureCodes: [
        { code: '131049', count: 2 },
        { code: '131026', count: 1 },
        { code: '131047', count: 1 },
        { code: 'EXPIRED', count: 1 },
      ],
      // Seconds sent -> delivered: 10, 30, 120, 2, 4, 6, 2; sent -> read: 60, 120, 4.
      medianSecondsToDelivered: 6,
      medianSecondsToRead: 60,
    });
  });

  it('by TEMPLATE: each template with its own figures, messages without one last', async () => {
    const s = await stats({ filter: WINDOW, groupBy: ['TEMPLATE'] });
    expect(s.groupBy).toEqual(['TEMPLATE']);
    const [invoice, promo, none] = s.groups;
    expect(s.groups).toHaveLength(3);
    expect(invoice).toMatchObject({
      key: { template: 'invoice' },
      total: 5,
      counts: { ...ZERO, delivered: 1, read: 2, failed: 1, undelivered: 1 },
      sent: 4,
      delivered: 3,
      read: 2,
      deliveredRate: 0.75,
      readRate: 2 / 3,
      failureCodes: [
        { code: '131026', count: 1 },
        { code: '131047', count: 1 },
      ],
      // 10, 30, 120 -> 30; read 60, 120 -> 90 (interpolated).
      medianSecondsToDelivered: 30,
      medianSecondsToRead: 90,
    });
    expect(promo).toMatchObject({
      key: { template: 'promo' },
      total: 6,
      counts: { ...ZERO, queued: 1, delivered: 1, read: 1, failed: 1, undelivered: 1, expired: 1 },
      sent: 4,
      delivered: 2,
      read: 1,
      deliveredRate: 0.5,
      readRate: 0.5,
      failureCodes: [
        { code: '131049', count: 2 },
        { code: 'EXPIRED', count: 1 },
      ],
      medianSecondsToDelivered: 3,
      medianSecondsToRead: 4,
    });
    expect(none).toMatchObject({
      key: { template: null },
      total: 6,
      counts: { ...ZERO, scheduled: 1, queued: 1, sent: 1, delivered: 2, canceled: 1 },
      sent: 3,
      delivered: 2,
      read: 0,
      deliveredRate: 2 / 3,
      readRate: 0,
      failureCodes: [],
      medianSecondsToDelivered: 4,
      medianSecondsToRead: null,
    });
  });

  it('by CHANNEL and STATUS: both keys, in the order of the vocabulary', async () => {
    const s = await stats({ filter: WINDOW, groupBy: ['CHANNEL', 'STATUS'] });
    expect(totals(s)).toEqual([
      [{ channel: 'WHATSAPP', status: 'QUEUED' }, 1],
      [{ channel: 'WHATSAPP', status: 'DELIVERED' }, 2],
      [{ channel: 'WHATSAPP', status: 'READ' }, 3],
      [{ channel: 'WHATSAPP', status: 'FAILED' }, 2],
      [{ channel: 'WHATSAPP', status: 'UNDELIVERED' }, 2],
      [{ channel: 'WHATSAPP', status: 'EXPIRED' }, 1],
      [{ channel: 'SMS', status: 'SCHEDULED' }, 1],
      [{ channel: 'SMS', status: 'SENT' }, 1],
      [{ channel: 'SMS', status: 'DELIVERED' }, 2],
      [{ channel: 'SMS', status: 'CANCELED' }, 1],
      [{ channel: 'EMAIL', status: 'QUEUED' }, 1],
    ]);
    const failed = s.groups.find((g) => g.key.channel === 'WHATSAPP' && g.key.status === 'FAILED')!;
    // 8 failed after it was sent, 5 before.
    expect(failed).toMatchObject({ sent: 1, delivered: 0, deliveredRate: 0, readRate: null });
  });

  it('by CAMPAIGN and STATUS: campaigns by id, single sends last', async () => {
    const s = await stats({ filter: WINDOW, groupBy: ['CAMPAIGN', 'STATUS'] });
    const c1 = [
      [{ campaignId: campaignIds.C1, status: 'QUEUED' }, 1],
      [{ campaignId: campaignIds.C1, status: 'DELIVERED' }, 1],
      [{ campaignId: campaignIds.C1, status: 'READ' }, 1],
      [{ campaignId: campaignIds.C1, status: 'FAILED' }, 1],
      [{ campaignId: campaignIds.C1, status: 'UNDELIVERED' }, 1],
      [{ campaignId: campaignIds.C1, status: 'EXPIRED' }, 1],
    ];
    const c2 = [[{ campaignId: campaignIds.C2, status: 'DELIVERED' }, 2]];
    expect(totals(s)).toEqual([
      ...(campaignIds.C1 < campaignIds.C2 ? [...c1, ...c2] : [...c2, ...c1]),
      [{ status: 'SCHEDULED' }, 1],
      [{ status: 'QUEUED' }, 1],
      [{ status: 'SENT' }, 1],
      [{ status: 'DELIVERED' }, 1],
      [{ status: 'READ' }, 2],
      [{ status: 'FAILED' }, 1],
      [{ status: 'UNDELIVERED' }, 1],
      [{ status: 'CANCELED' }, 1],
    ]);
  });

  it('by PROVIDER: messages never routed have none', async () => {
    const s = await stats({ filter: WINDOW, groupBy: ['PROVIDER'] });
    expect(s.groups.map((g) => [g.key.provider, g.total, g.sent, g.delivered])).toEqual([
      ['twilio', 3, 3, 2],
      ['wa', 11, 8, 5],
      [null, 3, 0, 0],
    ]);
  });

  it('by DAY and DAY_OF_WEEK in UTC, and in another time zone', async () => {
    expect(totals(await stats({ filter: WINDOW, groupBy: ['DAY'] }))).toEqual([
      [{ day: '2026-03-02' }, 8],
      [{ day: '2026-03-03' }, 6],
      [{ day: '2026-03-04' }, 3],
    ]);
    expect(totals(await stats({ filter: WINDOW, groupBy: ['DAY_OF_WEEK'] }))).toEqual([
      [{ dayOfWeek: 1 }, 8],
      [{ dayOfWeek: 2 }, 6],
      [{ dayOfWeek: 3 }, 3],
    ]);
    // +05:30: 9 moves to Tuesday and 13 to Wednesday; the name is taken in any case.
    const kolkata = await stats({ filter: WINDOW, groupBy: ['DAY', 'DAY_OF_WEEK'], timeZone: 'asia/kolkata' });
    expect(kolkata.timeZone).toBe('Asia/Kolkata');
    expect(totals(kolkata)).toEqual([
      [{ day: '2026-03-02', dayOfWeek: 1 }, 7],
      [{ day: '2026-03-03', dayOfWeek: 2 }, 6],
      [{ day: '2026-03-04', dayOfWeek: 3 }, 4],
    ]);
  });

  it('by HOUR_OF_DAY with a channel filter', async () => {
    const s = await stats({ filter: { ...WINDOW, channel: 'WHATSAPP' }, groupBy: ['HOUR_OF_DAY'] });
    expect(s.groups.map((g) => [g.key.hourOfDay, g.total, g.sent, g.delivered, g.deliveredRate])).toEqual([
      [9, 4, 3, 2, 2 / 3],
      [10, 1, 1, 1, 1],
      [18, 6, 4, 2, 0.5],
    ]);
    const kolkata = await stats({
      filter: { ...WINDOW, channel: 'WHATSAPP' },
      groupBy: ['HOUR_OF_DAY'],
      timeZone: 'Asia/Kolkata',
    });
    expect(kolkata.groups.map((g) => [g.key.hourOfDay, g.total])).toEqual([
      [0, 1],
      [14, 3],
      [15, 2],
      [23, 5],
    ]);
  });

  it('filters by template, tag, provider and campaign (plain or global id)', async () => {
    const total = async (filter: MessageStatsQueryVariables['filter']) =>
      (await stats({ filter: { ...WINDOW, ...filter } })).groups[0]!.total;
    expect(await total({ template: 'invoice' })).toBe(5);
    expect(await total({ tag: 'spring' })).toBe(7);
    expect(await total({ provider: 'twilio' })).toBe(3);
    expect(await total({ campaign: campaignIds.C1 })).toBe(6);
    expect(await total({ campaign: campaignIds.C1.toUpperCase() })).toBe(6);
    expect(await total({ campaign: encodeGlobalID('Campaign', campaignIds.C2) })).toBe(2);
    expect(await total({ template: 'invoice', channel: 'SMS' })).toBe(0);
    expect(await total({ from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' })).toBe(1);
    // from is inclusive (1 at 09:15), to exclusive (12 at 09:30).
    expect(await total({ from: '2026-03-02T09:15:00Z', to: '2026-03-02T09:30:00Z' })).toBe(1);
    // Nothing matches: still one group, of zeros.
    const empty = await stats({ filter: { ...WINDOW, template: 'none' } });
    expect(empty.groups).toEqual([
      expect.objectContaining({
        total: 0,
        counts: ZERO,
        sent: 0,
        deliveredRate: null,
        readRate: null,
        failureCodes: [],
        medianSecondsToDelivered: null,
        medianSecondsToRead: null,
      }),
    ]);
    expect((await stats({ filter: { ...WINDOW, template: 'none' }, groupBy: ['DAY'] })).groups).toEqual([]);
  });

  it('default window: the last 30 days up to now', async () => {
    const now = Date.now();
    const day = 86_400_000;
    await seed(
      otherTenantId,
      [
        { created: new Date(now - day).toISOString(), channel: 'SMS', template: 'recent' },
        { created: new Date(now - 40 * day).toISOString(), channel: 'SMS', template: 'recent' },
      ],
      3000,
    );
    const s = await stats({ filter: { template: 'recent' } }, otherSdk);
    expect(s.groups[0]!.total).toBe(1);
    expect(new Date(s.to).getTime() - new Date(s.from).getTime()).toBe(30 * day);
    expect(Math.abs(new Date(s.to).getTime() - now)).toBeLessThan(60_000);
  });
});

describe('messageStats: tenants', () => {
  it("sees only the caller's messages; another tenant's campaign id matches nothing", async () => {
    const mine = await stats({ filter: { ...WINDOW, template: 'invoice' } });
    expect(mine.groups[0]!.total).toBe(5);
    const theirs = await stats({ filter: { ...WINDOW, template: 'invoice' }, groupBy: ['CAMPAIGN'] }, otherSdk);
    expect(totals(theirs)).toEqual([[{ campaignId: campaignIds.other }, 3]]);
    expect((await stats({ filter: { ...WINDOW, campaign: campaignIds.other } })).groups[0]!.total).toBe(0);
    expect((await stats({ filter: { ...WINDOW, campaign: campaignIds.C1 } }, otherSdk)).groups[0]!.total).toBe(0);
  });
});

describe('messageStats: large groups', () => {
  it('counts every message; a median past MEDIAN_SAMPLE delays is that of a sample, close to the exact one', async () => {
    const { key, tenantId: bigTenant } = await createTenant('Stats Big');
    const big = h.sdk(key);
    // 10,000 WhatsApp messages on 2026-03-03 (2.5 times MEDIAN_SAMPLE): sent at once, delivered
    // after i % 1000 tenths of a second, every other one read a minute after that; SMS messages
    // on the same day with their own delays, so the sampled group and an exact one sit side by
    // side. Ids are fixed (md5 of the number), so the sample, and the answer, are too.
    const n = 10_000;
    await db().execute(sql`
      insert into messages (id, tenant_id, channel, status, status_at, recipient, channel_options,
        created_at, updated_at, sent_at, delivered_at, read_at)
      select md5('big' || i)::uuid, ${bigTenant}, case when i < ${n} then 'WHATSAPP' else 'SMS' end::channel,
        case when i < ${n} and i % 2 = 0 then 'READ' else 'DELIVERED' end::message_status,
        t, '+1415' || (5550000 + i), '{}'::jsonb, t, t, t,
        t + make_interval(secs => case when i < ${n} then (i % 1000) / 10.0 else i - ${n} end),
        case when i < ${n} and i % 2 = 0 then t + make_interval(secs => (i % 1000) / 10.0 + 60) end
      from generate_series(0, ${n + 100 - 1}) i, (select '2026-03-03T10:00:00Z'::timestamptz as t) c`);
    const exact = rowsOf<{ channel: string; d: number; r: number | null }>(
      await db().execute(sql`
        select channel::text, extract(epoch from percentile_cont(0.5) within group (order by delivered_at - sent_at))::float8 as d,
          extract(epoch from percentile_cont(0.5) within group (order by read_at - sent_at))::float8 as r
        from messages where tenant_id = ${bigTenant} group by channel order by channel`),
    );
    const s = await stats({ filter: WINDOW, groupBy: ['CHANNEL'] }, big);
    const [wa, sms] = [
      s.groups.find((g) => g.key.channel === 'WHATSAPP')!,
      s.groups.find((g) => g.key.channel === 'SMS')!,
    ];
    expect([wa.total, wa.delivered, wa.read, sms.total, sms.delivered]).toEqual([n, n, n / 2, 100, 100]);
    const exactOf = (channel: string) => exact.find((e) => e.channel === channel)!;
    // Sampled: within 6% of the exact median (about 1.6% in rank, 19 times out of 20, is 3.2% of
    // these delays; fixed ids make this run's sample the same every time).
    expect(n).toBeGreaterThan(2 * MEDIAN_SAMPLE);
    expect(Math.abs(wa.medianSecondsToDelivered! / exactOf('WHATSAPP').d - 1)).toBeLessThan(0.06);
    expect(Math.abs(wa.medianSecondsToRead! / exactOf('WHATSAPP').r! - 1)).toBeLessThan(0.06);
    // Not sampled: exact.
    expect(sms.medianSecondsToDelivered).toBe(exactOf('SMS').d);
    expect(sms.medianSecondsToRead).toBeNull();
  }, 60_000);
});

describe('messageStats: what it refuses', () => {
  it('answers a ValidationError naming the field', async () => {
    const cases: [MessageStatsQueryVariables, string][] = [
      [{ filter: { from: '2026-03-08T00:00:00Z', to: '2026-03-01T00:00:00Z' } }, 'filter.to'],
      [{ filter: { from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' } }, 'filter.to'],
      [{ filter: { from: '2025-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' } }, 'filter.from'],
      [{ filter: { to: '2026-03-01T00:00:00Z', from: '2024-03-01T00:00:00Z' } }, 'filter.from'],
      [{ filter: { from: '2020-01-01T00:00:00Z' } }, 'filter.from'],
      [{ filter: { to: '0001-01-01T00:00:00Z' } }, 'filter.to'],
      [{ filter: { from: '0001-01-01T00:00:00Z', to: '0001-01-02T00:00:00Z' } }, 'filter.from'],
      [{ groupBy: ['DAY', 'STATUS', 'DAY'] }, 'groupBy.2'],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ timeZone: 'UTC\u0000' }, 'timeZone'],
      [{ filter: { campaign: 'not-a-campaign' } }, 'filter.campaign'],
      [{ filter: { campaign: encodeGlobalID('Message', 'x') } }, 'filter.campaign'],
      [{ filter: { template: 'in\u0000voice' } }, 'filter.template'],
      [{ filter: { tag: '\uD800' } }, 'filter.tag'],
      [{ filter: { provider: 'wa\u0000' } }, 'filter.provider'],
    ];
    for (const [variables, field] of cases) {
      expect((await refusal(variables)).field, JSON.stringify(variables)).toBe(field);
    }
  });

  it('more than 1,000 groups: a ValidationError on groupBy; 1,000 are answered', async () => {
    const { key, tenantId: manyTenant } = await createTenant('Stats Many');
    const many = h.sdk(key);
    const created = '2026-03-02T00:00:00Z';
    await db()
      .insert(messages)
      .values(
        Array.from({ length: 1001 }, (_, i) => ({
          id: newId(),
          tenantId: manyTenant,
          channel: 'SMS' as const,
          status: 'QUEUED' as const,
          statusAt: new Date(created),
          recipient: `+1415556${String(i).padStart(4, '0')}`,
          templateName: `t${String(i).padStart(4, '0')}`,
          channelOptions: {},
          // The last one a minute later, so a narrower window holds exactly 1,000.
          createdAt: new Date(new Date(created).getTime() + (i === 1000 ? 60_000 : 0)),
          updatedAt: new Date(created),
        })),
      );
    const r = await many.MessageStats({ filter: WINDOW, groupBy: ['TEMPLATE'] });
    expect(r.messageStats).toMatchObject({ __typename: 'ValidationError', field: 'groupBy' });
    const narrower = await stats(
      { filter: { from: WINDOW.from, to: '2026-03-02T00:00:30Z' }, groupBy: ['TEMPLATE'] },
      many,
    );
    expect(narrower.groups).toHaveLength(1000);
    expect(narrower.groups[999]!.key.template).toBe('t0999');
  });
});

describe('messageStats: hostile combinations', () => {
  const dimensions = [
    'STATUS',
    'CHANNEL',
    'TEMPLATE',
    'PROVIDER',
    'CAMPAIGN',
    'DAY',
    'HOUR_OF_DAY',
    'DAY_OF_WEEK',
  ] as const;
  const text = fc.oneof(
    fc.string(),
    fc.constantFrom('', '%', "'; drop table messages; --", '\\', '\u0000', '\uDC00', '🙂', 'x'.repeat(10_000)),
  );
  const instant = fc.constantFrom(
    '0001-01-01T00:00:00Z',
    '2026-03-01T00:00:00Z',
    '2026-03-02T09:15:00.000+05:30',
    '2026-03-08T00:00:00Z',
    '2027-03-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
  );
  const variables = fc.record(
    {
      groupBy: fc.array(fc.constantFrom(...dimensions), { maxLength: 10 }),
      timeZone: fc.oneof(fc.constantFrom('UTC', 'Europe/Paris', 'asia/kolkata', 'UTC+5', '', 'Etc/GMT-14'), text),
      filter: fc.record(
        {
          from: instant,
          to: instant,
          channel: fc.constantFrom('WHATSAPP', 'SMS', 'EMAIL'),
          campaign: fc.oneof(text, fc.uuid(), fc.constant(encodeGlobalID('Campaign', 'x'))),
          template: text,
          tag: text,
          provider: text,
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<MessageStatsQueryVariables>;

  it('answers figures or a ValidationError naming a field, whatever the combination', async () => {
    const answered = { MessageStats: 0, ValidationError: 0 };
    await fc.assert(
      fc.asyncProperty(variables, async (v) => {
        const r = (await sdk.MessageStats(v)).messageStats;
        answered[r.__typename]++;
        if (r.__typename === 'ValidationError') {
          expect(r.field).toMatch(/^(filter\.(from|to|campaign|template|tag|provider)|groupBy(\.\d+)?|timeZone)$/);
        } else {
          expect(r.__typename).toBe('MessageStats');
          expect(r.groups.length).toBeLessThanOrEqual(1000);
        }
      }),
      { numRuns: 80 },
    );
    // Both paths were taken: the statement ran on hostile values, and refusals were typed.
    expect(answered.MessageStats).toBeGreaterThan(0);
    expect(answered.ValidationError).toBeGreaterThan(0);
  });
});

async function createTenant(name: string): Promise<{ key: string; tenantId: string }> {
  const r = await sdk.CreateTenant({ name });
  if (r.createTenant.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(r));
  return { key: r.createTenant.key, tenantId: r.createTenant.tenant.id };
}
