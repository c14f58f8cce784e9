import fc from 'fast-check';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { rowsOf } from '../src/db/raw-rows.js';
import { newId } from '../src/ids.js';
import { foldMessageCounts } from '../src/messaging/count-fold.js';
import { MEDIAN_SAMPLE, messageStats, type MessageStatsDimension } from '../src/messaging/stats.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../src/vocabulary.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

// messageStats counts from the quarter-hour counts that triggers on `messages` keep
// (migration 0016) and takes large groups' medians from the sample index. Checked here against
// the messages themselves, whatever wrote them: inserts, status changes (the milestones trigger
// sets sent/delivered/read), edits of what groups are made of, deletes, folds in between, and
// writers racing folds; windows that cut quarter hours; a time zone half an hour off UTC.

let testDb: TestDatabase;
let database: Database;
const db = () => database.db;
const campaignIds: string[] = [];
/** Recipients are unique (a campaign has each once). */
let recipients = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = openDatabase({ url: testDb.url, dataDir: testDb.dataDir, loadDataDir: testDb.loadDataDir, poolSize: 6 });
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

async function newTenant(): Promise<string> {
  const id = newId();
  await db().execute(sql`insert into tenants (id, name, created_at) values (${id}, ${`counts ${id}`}, now())`);
  for (const name of ['spring', 'autumn']) {
    const campaign = newId();
    await db().execute(sql`
      insert into campaigns (id, tenant_id, name, channel, category, status, content, created_at, updated_at)
      values (${campaign}, ${id}, ${name}, 'SMS', 'MARKETING', 'RUNNING', '{}'::jsonb, now(), now())`);
    campaignIds.push(campaign);
  }
  return id;
}

// Two hours from 10:00 UTC; minutes and seconds land on both sides of quarter hours.
const BASE = Date.parse('2026-05-04T10:00:00Z');
const TEMPLATES = [null, 'invoice', 'promo'] as const;
const PROVIDERS = [null, 'twilio', 'smsmedia'] as const;
const TAGS = [[], ['billing'], ['billing', 'vip']] as const;
const CODES = [null, '30003', '131026'] as const;

type NewMessage = {
  offsetSeconds: number;
  channel: 'SMS' | 'WHATSAPP';
  template: number;
  provider: number;
  campaign: number;
  tags: number;
  status: MessageStatus;
};
type Command =
  | { kind: 'insert'; messages: NewMessage[] }
  | { kind: 'status'; pick: number[]; status: MessageStatus; code: number }
  | { kind: 'edit'; pick: number[]; provider: number; tags: number }
  | { kind: 'delete'; pick: number[] }
  | { kind: 'fold' };

const pick = fc.array(fc.nat(), { minLength: 1, maxLength: 12 });
const status = fc.constantFrom(...MESSAGE_STATUSES);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      messages: fc.array(
        fc.record({
          offsetSeconds: fc.integer({ min: 0, max: 2 * 3600 - 1 }),
          channel: fc.constantFrom('SMS' as const, 'WHATSAPP' as const),
          template: fc.nat(TEMPLATES.length - 1),
          provider: fc.nat(PROVIDERS.length - 1),
          campaign: fc.nat(2),
          tags: fc.nat(TAGS.length - 1),
          status,
        }),
        { minLength: 1, maxLength: 25 },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('status' as const), pick, status, code: fc.nat(CODES.length - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      pick,
      provider: fc.nat(PROVIDERS.length - 1),
      tags: fc.nat(TAGS.length - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fold' as const) }) },
);

async function ids(tenantId: string): Promise<string[]> {
  return rowsOf<{ id: string }>(
    await db().execute(sql`select id from messages where tenant_id = ${tenantId} order by id`),
  ).map((r) => r.id);
}

async function run(tenantId: string, c: Command, tenantCampaigns: string[]): Promise<void> {
  if (c.kind === 'fold') {
    await foldMessageCounts(db());
    return;
  }
  if (c.kind === 'insert') {
    const values = c.messages.map((m) => {
      const at = new Date(BASE + m.offsetSeconds * 1000).toISOString();
      const campaign = m.campaign === 0 ? null : tenantCampaigns[m.campaign - 1]!;
      return sql`(${newId()}, ${tenantId}, ${m.channel}::channel, ${m.status}::message_status, ${at}::timestamptz,
        ${`+1415${5_550_000 + recipients++}`}, '{}'::jsonb, ${TEMPLATES[m.template]}, ${PROVIDERS[m.provider]}, ${campaign}::uuid,
        ${`{${TAGS[m.tags]!.join(',')}}`}::text[], ${at}::timestamptz, ${at}::timestamptz)`;
    });
    await db().execute(sql`
      insert into messages (id, tenant_id, channel, status, status_at, recipient, channel_options, template_name,
        provider, campaign_id, tags, created_at, updated_at)
      values ${sql.join(values, sql`, `)}`);
    return;
  }
  const all = await ids(tenantId);
  if (all.length === 0) return;
  const chosen = [...new Set(c.pick.map((i) => all[i % all.length]!))];
  const inList = sql`id in (${sql.join(
    chosen.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  if (c.kind === 'status') {
    await db().execute(sql`
      update messages set status = ${c.status}::message_status, status_at = now(), last_error_code = ${CODES[c.code]}
      where ${inList}`);
  } else if (c.kind === 'edit') {
    await db().execute(sql`
      update messages set provider = ${PROVIDERS[c.provider]}, tags = ${`{${TAGS[c.tags]!.join(',')}}`}::text[]
      where ${inList}`);
  } else {
    await db().execute(sql`delete from messages where ${inList}`);
  }
}

type Stored = {
  created_at: string;
  channel: string;
  template_name: string | null;
  provider: string | null;
  campaign_id: string | null;
  status: MessageStatus;
  code: string | null;
  sent: boolean;
  delivered: boolean;
  read: boolean;
};

const KOLKATA_MS = 330 * 60_000;

/** The figures messageStats should give, worked out here from the messages as stored. */
function expected(stored: Stored[], from: number, to: number, groupBy: MessageStatsDimension[], timeZone: string) {
  const keyOf = (m: Stored) => {
    const at = Date.parse(m.created_at) + (timeZone === 'UTC' ? 0 : KOLKATA_MS);
    const parts: Record<MessageStatsDimension, unknown> = {
      STATUS: m.status,
      CHANNEL: m.channel,
      TEMPLATE: m.template_name,
      PROVIDER: m.provider,
      CAMPAIGN: m.campaign_id,
      DAY: new Date(at).toISOString().slice(0, 10),
      HOUR_OF_DAY: new Date(at).getUTCHours(),
      DAY_OF_WEEK: new Date(at).getUTCDay() || 7,
    };
    return JSON.stringify(groupBy.map((d) => parts[d]));
  };
  const groups = new Map<string, { total: number; sent: number; delivered: number; read: number; codes: string[] }>();
  for (const m of stored) {
    const at = Date.parse(m.created_at);
    if (at < from || at >= to) continue;
    const g = groups.get(keyOf(m)) ?? { total: 0, sent: 0, delivered: 0, read: 0, codes: [] };
    g.total++;
    g.sent += Number(m.sent);
    g.delivered += Number(m.delivered);
    g.read += Number(m.read);
    if (m.code !== null && ['FAILED', 'UNDELIVERED', 'EXPIRED'].includes(m.status)) g.codes.push(m.code);
    groups.set(keyOf(m), g);
  }
  return [...groups]
    .map(([key, g]) => ({
      key,
      total: g.total,
      sent: g.sent,
      delivered: g.delivered,
      read: g.read,
      codes: g.codes.length,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

const DIMENSION_OF: Record<MessageStatsDimension, string> = {
  STATUS: 'status',
  CHANNEL: 'channel',
  TEMPLATE: 'template',
  PROVIDER: 'provider',
  CAMPAIGN: 'campaign',
  DAY: 'day',
  HOUR_OF_DAY: 'hourOfDay',
  DAY_OF_WEEK: 'dayOfWeek',
};

describe('delivery counts kept by triggers', () => {
  it('equal what the messages say, after any mix of inserts, status changes, edits, deletes and folds, in any window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: -600, max: 2 * 3600 }),
        fc.integer({ min: 1, max: 3 * 3600 }),
        fc.subarray(['STATUS', 'CHANNEL', 'TEMPLATE', 'PROVIDER', 'CAMPAIGN', 'HOUR_OF_DAY', 'DAY'] as const, {
          maxLength: 3,
        }),
        fc.constantFrom('UTC', 'Asia/Kolkata'),
        async (commands, fromSeconds, lengthSeconds, groupBy, timeZone) => {
          const tenantId = await newTenant();
          const tenantCampaigns = campaignIds.slice(-2);
          for (const c of commands) await run(tenantId, c, tenantCampaigns);

          const stored = rowsOf<Stored>(
            await db().execute(sql`
              select created_at, channel::text, template_name, provider, campaign_id::text, status::text,
                last_error_code as code, sent_at is not null as sent, delivered_at is not null as delivered,
                read_at is not null as read
              from messages where tenant_id = ${tenantId}`),
          ).map((m) => ({ ...m, created_at: new Date(m.created_at).toISOString() }));
          const from = BASE + fromSeconds * 1000;
          const to = from + lengthSeconds * 1000;
          const answer = await messageStats(db(), tenantId, { from: new Date(from), to: new Date(to) }, [...groupBy], {
            now: new Date(to),
            timeZone,
          });
          const got = answer.groups
            .map((g) => ({
              key: JSON.stringify(groupBy.map((d) => g.key[DIMENSION_OF[d] as keyof typeof g.key] ?? null)),
              total: g.total,
              sent: g.sent,
              delivered: g.delivered,
              read: g.read,
              codes: g.failureCodes.reduce((n, c) => n + c.count, 0),
            }))
            .filter((g) => groupBy.length > 0 || g.total > 0)
            .sort((a, b) => a.key.localeCompare(b.key));
          expect(got).toEqual(expected(stored, from, to, [...groupBy], timeZone));
        },
      ),
      { numRuns: 25 },
    );
  }, 180_000);

  it('stay exact while several writers change statuses and folds run at the same time', async () => {
    const tenantId = await newTenant();
    await db().execute(sql`
      insert into messages (id, tenant_id, channel, status, status_at, recipient, channel_options, created_at, updated_at)
      select gen_random_uuid(), ${tenantId}, 'SMS', 'QUEUED', t, '+14155550100', '{}'::jsonb, t, t
      from generate_series(0, 1999) i, lateral (select ${new Date(BASE).toISOString()}::timestamptz + i * interval '3 seconds' as t) at`);
    const all = await ids(tenantId);
    const path: MessageStatus[] = ['SENDING', 'SENT', 'DELIVERED', 'READ'];
    // Each writer walks its own share of the messages through the path, a few at a time, while
    // folds run in between.
    const writer = async (w: number) => {
      const mine = all.filter((_, i) => i % 4 === w);
      for (const next of path) {
        for (let i = 0; i < mine.length; i += 50) {
          const batch = mine.slice(i, i + 50).map((id) => sql`${id}::uuid`);
          await db().execute(
            sql`update messages set status = ${next}::message_status, status_at = now() where id in (${sql.join(batch, sql`, `)})`,
          );
        }
      }
    };
    let writing = true;
    const folds = (async () => {
      let n = 0;
      while (writing) n += await foldMessageCounts(db(), 200);
      return n;
    })();
    await Promise.all([0, 1, 2, 3].map(writer));
    writing = false;
    expect(await folds).toBeGreaterThan(0);

    const answer = await messageStats(db(), tenantId, { from: new Date(BASE), to: new Date(BASE + 86_400_000) }, [], {
      now: new Date(BASE + 86_400_000),
    });
    expect(answer.groups[0]).toMatchObject({ total: 2000, sent: 2000, delivered: 2000, read: 2000 });
    expect(answer.groups[0]!.counts.READ).toBe(2000);
    // Folded to the end, what is left is one row per quarter hour and combination.
    for (let moved = 1; moved > 0; ) moved = await foldMessageCounts(db());
    const [left] = rowsOf<{ rows: number; changes: number }>(
      await db().execute(sql`
        select (select count(*) from message_counts where tenant_id = ${tenantId})::int as rows,
          (select count(*) from message_count_changes where tenant_id = ${tenantId})::int as changes`),
    );
    // 2,000 messages three seconds apart: 100 minutes, 7 quarter hours.
    expect(left).toEqual({ rows: 7, changes: 0 });
  }, 120_000);
});

describe('medians of large groups', () => {
  // 20,000 WhatsApp messages over 2026-05-04 (UTC), all delivered after i % 997 tenths of a
  // second, 60% read a minute or more after that, then 150 on the next day and 12,000 on the day
  // after: in Asia/Kolkata (UTC+5:30) days of thousands beside one of a few hundred.
  let tenantId: string;
  const counts = [20_000, 150, 12_000];
  const sampleKey = sql`((get_byte(uuid_send(id), 14) << 8) | get_byte(uuid_send(id), 15))`;
  const threshold = (n: SQL) =>
    sql`case when ${n} <= ${MEDIAN_SAMPLE} then 65536 else ceil(65536.0 * ${MEDIAN_SAMPLE} / ${n}) end`;
  const window = { from: new Date(BASE - 86_400_000), to: new Date(BASE + 4 * 86_400_000) };

  beforeAll(async () => {
    tenantId = await newTenant();
    for (const [day, n] of counts.entries()) {
      const start = Date.parse('2026-05-04T00:00:00Z') + day * 86_400_000;
      await db().execute(sql`
        insert into messages (id, tenant_id, channel, status, status_at, recipient, channel_options,
          created_at, updated_at, sent_at, delivered_at, read_at)
        select md5(${`sampled ${day} `} || i)::uuid, ${tenantId}, 'WHATSAPP',
          case when i % 5 < 3 then 'READ' else 'DELIVERED' end::message_status,
          t, '+1415' || (5550000 + i), '{}'::jsonb, t, t, t,
          t + make_interval(secs => (i % 997) / 10.0),
          case when i % 5 < 3 then t + make_interval(secs => (i % 997) / 10.0 + 60 + i % 61) end
        from generate_series(0, ${n - 1}) i,
          lateral (select ${new Date(start).toISOString()}::timestamptz + i * (interval '1 day' / ${n}) as t) at`);
    }
    await db().execute(sql`analyze messages`);
  }, 60_000);

  /** Each local day's medians over the sample its size calls for, straight from the table. */
  async function expected(timeZone: string, byDay: boolean) {
    const day = byDay ? sql`to_char(created_at at time zone ${timeZone}, 'YYYY-MM-DD')` : sql`null::text`;
    return rowsOf<{ day: string | null; d: number; r: number }>(
      await db().execute(sql`
        with m as (
          select ${day} as day, delivered_at - sent_at as to_delivered, read_at - sent_at as to_read, ${sampleKey} as s
          from messages where tenant_id = ${tenantId}
        ), g as (
          select day, count(*) as delivered, count(to_read) as read from m group by day
        )
        select m.day, extract(epoch from percentile_cont(0.5) within group (order by to_delivered)
            filter (where s < ${threshold(sql`g.delivered`)}))::float8 as d,
          extract(epoch from percentile_cont(0.5) within group (order by to_read)
            filter (where to_read is not null and s < ${threshold(sql`g.read`)}))::float8 as r
        from m join g on g.day is not distinct from m.day group by m.day order by m.day`),
    );
  }

  it('are those of the sample their size calls for, read from the index of delivered messages', async () => {
    const scans = async () => {
      await db().execute(sql`select pg_stat_force_next_flush()`);
      const [row] = rowsOf<{ n: number }>(
        await db().execute(
          sql`select idx_scan::int as n from pg_stat_user_indexes where indexrelname = 'messages_delay_sample_idx'`,
        ),
      );
      return row?.n ?? 0;
    };
    const before = await scans();
    const answer = await messageStats(db(), tenantId, window, [], { now: window.to });
    const [all] = await expected('UTC', false);
    const total = counts.reduce((a, b) => a + b, 0);
    expect(answer.groups[0]).toMatchObject({
      total,
      delivered: total,
      medianSecondsToDelivered: all!.d,
      medianSecondsToRead: all!.r,
    });
    // Each connection reports its index scans within a second or so.
    await expect.poll(scans, { timeout: 5_000, interval: 250 }).toBeGreaterThan(before);
  }, 60_000);

  it('by DAY in a zone off UTC: small days whole, large ones sampled, each day its own', async () => {
    const answer = await messageStats(db(), tenantId, window, ['DAY'], { now: window.to, timeZone: 'Asia/Kolkata' });
    const want = await expected('Asia/Kolkata', true);
    expect(want.length).toBe(4);
    expect(answer.groups.map((g) => [g.key.day, g.medianSecondsToDelivered, g.medianSecondsToRead])).toEqual(
      want.map((w) => [w.day, w.d, w.r]),
    );
  }, 60_000);
});
