import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/raw-rows.js';
import { eventually } from './support/clock.js';
import { type FakeSmsMedia, startFakeSmsMedia } from './support/fake-smsmedia.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Fair dispatch: a draining campaign never makes a single send wait for it. The provider (a
// local SMSMedia) holds the calls a test wants in flight, so what is observed is the order in
// which messages reach it, never how long they took.

const SINGLE = '+919500000001';
/** The fake sees numbers without "+". */
const digits = (to: string) => to.slice(1);

function smsmediaEnv(fake: FakeSmsMedia, env: Record<string, string>): Record<string, string> {
  return {
    HERALD_POLL_MS: '50',
    HERALD_RECONCILE_AFTER_MS: '86400000',
    HERALD_ROUTE_SMS: 'smsmedia',
    SMSMEDIA_API_KEY: fake.apiKey,
    SMSMEDIA_BASE_URL: fake.url,
    SMSMEDIA_SENDER_ID: 'HERALD',
    HERALD_RATE_LIMITS: 'smsmedia=1000',
    ...env,
  };
}

async function startedCampaign(sdk: Sdk, tos: string[]): Promise<{ id: string; campaignId: string }> {
  const created = await sdk.CreateCampaign({
    input: { name: 'Offers', channel: 'SMS', content: { sms: { text: 'Hello {{1}}, 20% off today' } } },
  });
  if (created.createCampaign.__typename !== 'Campaign') throw new Error(JSON.stringify(created.createCampaign));
  const { id, campaignId } = created.createCampaign;
  const added = await sdk.AddCampaignRecipients({
    campaignId: id,
    recipients: tos.map((to, i) => ({ to, params: [`Customer ${i}`] })),
  });
  if (added.addCampaignRecipients.__typename !== 'CampaignRecipientsAdded')
    throw new Error(JSON.stringify(added.addCampaignRecipients));
  const started = await sdk.StartCampaign({ id });
  expect(started.startCampaign).toMatchObject({ __typename: 'Campaign', status: 'RUNNING' });
  return { id, campaignId };
}

async function sendSingle(sdk: Sdk, to = SINGLE): Promise<string> {
  const r = await sdk.SendSms({ input: { to, text: 'Your code is 4711' } });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  return r.sendSms.messageId;
}

describe('one pipeline claiming one message at a time', () => {
  let h: TestHerald;
  let fake: FakeSmsMedia;
  beforeAll(async () => {
    fake = await startFakeSmsMedia();
    h = await startHerald(
      smsmediaEnv(fake, { HERALD_WORKERS: '1', HERALD_DISPATCH_BATCH: '1', HERALD_RETRY_BASE_MS: '100' }),
    );
  });
  afterAll(async () => {
    fake?.releaseHeld();
    await h?.stop();
    await fake?.close();
  });

  const db = () => h.herald.database.db;

  it('claims a single send ahead of campaign messages that were due before it', async () => {
    const sdk = h.sdk();
    // The campaign's first call is held, so its other messages fall due while the pipeline waits.
    fake.script({ hold: true, times: 1 });
    const tos = Array.from({ length: 20 }, (_, i) => `+9197${String(i).padStart(8, '0')}`);
    const campaign = await startedCampaign(sdk, tos);
    await eventually(
      async () => fake.requests.length,
      (n) => n === 1,
    );
    // All 19 others are due (and waiting) before the single send is accepted.
    await eventually(
      async () =>
        rowsOf<{ n: number }>(
          await db().execute(sql`select count(*)::int as n from messages
            where campaign_id = ${campaign.campaignId}::uuid and status = 'SCHEDULED' and next_attempt_at <= now()`),
        )[0]!.n,
      (n) => n === 19,
    );

    await sendSingle(sdk);
    fake.releaseHeld();
    await eventually(
      async () => fake.requests.length,
      (n) => n === 21,
    );
    // The held campaign call, then the single send, then the 19 campaign messages due before it.
    expect(fake.requests.map((r) => r.params.mobile)).toEqual([
      expect.stringMatching(/^9197/),
      digits(SINGLE),
      ...Array.from({ length: 19 }, () => expect.stringMatching(/^9197/)),
    ]);
  });

  it("pausing holds the campaign's retries too; resuming sends them", async () => {
    const sdk = h.sdk();
    fake.reset();
    const to = '+919300000001';
    // The first call is refused for 2 s: the message waits QUEUED for its retry.
    fake.script({ to: digits(to), status: 429, retryAfter: 2, times: 1 });
    const campaign = await startedCampaign(sdk, [to]);
    const retry = await eventually(
      async () =>
        rowsOf<{ status: string; attempts: number }>(
          await db().execute(
            sql`select status, attempts from messages where campaign_id = ${campaign.campaignId}::uuid`,
          ),
        )[0],
      (m) => m?.status === 'QUEUED' && m.attempts === 1,
    );
    expect(retry).toBeDefined();
    const paused = await sdk.PauseCampaign({ id: campaign.id });
    expect(paused.pauseCampaign).toMatchObject({ status: 'PAUSED' });

    // Well past its retry time, and after the dispatcher has claimed and sent something since.
    await eventually(
      async () =>
        rowsOf<{ past: boolean }>(
          await db().execute(sql`select now() > next_attempt_at + interval '300 milliseconds' as past
            from messages where campaign_id = ${campaign.campaignId}::uuid`),
        )[0]!.past,
      (past) => past,
    );
    await sendSingle(sdk, '+919300000099');
    await eventually(
      async () => fake.requests.some((r) => r.params.mobile === '919300000099'),
      (sent) => sent,
    );
    expect(fake.requests.filter((r) => r.params.mobile === digits(to))).toHaveLength(1);
    expect((await sdk.Campaign({ id: campaign.id })).campaign!.counters).toMatchObject({ queued: 1, sent: 0 });

    await sdk.ResumeCampaign({ id: campaign.id });
    const done = await eventually(
      async () => (await sdk.Campaign({ id: campaign.id })).campaign!,
      (c) => c.status === 'COMPLETED',
    );
    expect(done.counters).toMatchObject({ queued: 0, sending: 0, sent: 1 });
    expect(fake.requests.filter((r) => r.params.mobile === digits(to))).toHaveLength(2);
  });
});

describe('several pipelines', () => {
  let h: TestHerald;
  let fake: FakeSmsMedia;
  beforeAll(async () => {
    fake = await startFakeSmsMedia();
    h = await startHerald(smsmediaEnv(fake, { HERALD_WORKERS: '2', HERALD_DISPATCH_BATCH: '10' }));
  });
  afterAll(async () => {
    fake?.releaseHeld();
    await h?.stop();
    await fake?.close();
  });

  it('keep one for single sends: a single send reaches the provider while every campaign call is held', async () => {
    const sdk = h.sdk();
    // Every campaign call is held until released; the single send's number is answered at once.
    fake.script({ hold: true });
    fake.script({ to: digits(SINGLE) });
    const tos = Array.from({ length: 50 }, (_, i) => `+9196${String(i).padStart(8, '0')}`);
    const campaign = await startedCampaign(sdk, tos);
    const campaignCalls = () => fake.requests.filter((r) => r.params.mobile?.startsWith('9196'));
    await eventually(
      async () => campaignCalls().length,
      (n) => n > 0,
    );

    await sendSingle(sdk);
    await eventually(
      async () => fake.requests.some((r) => r.params.mobile === digits(SINGLE)),
      (sent) => sent,
    );
    // Overtaken: every campaign call made so far is still waiting for its answer.
    expect(campaignCalls().length).toBeGreaterThan(0);
    expect(campaignCalls().length).toBeLessThanOrEqual(10);
    expect(campaignCalls().every((r) => r.status === undefined)).toBe(true);

    const done = await eventually(
      async () => {
        fake.releaseHeld();
        return (await sdk.Campaign({ id: campaign.id })).campaign!;
      },
      (c) => c.status === 'COMPLETED',
    );
    expect(done.counters).toMatchObject({ sent: 50 });
    expect(new Set(campaignCalls().map((r) => r.params.mobile)).size).toBe(50);
  });
});
