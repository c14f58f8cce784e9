import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { heraldSql, nowMs, sleep, startFakeTwilio, twilioRoute } from './lib/children.js';
import { GraphQLClient } from './lib/graphql-client.js';
import type { BenchOptions } from './lib/options.js';
import type { ScenarioReport } from './lib/report.js';
import { startHerald } from './lib/server.js';
import { paced, summarize } from './lib/paced.js';
import type { Target } from './lib/targets.js';

// Scenario "campaign": BENCH_CAMPAIGN_RECIPIENTS (default 1,000,000) recipients added to one SMS
// campaign through addCampaignRecipients, 10,000 per call (each rendered, validated, checked
// against the suppression list and stored held), then the same rows COPYed raw into a scratch
// table of the messages table's shape (its columns, defaults and indexes) in the same run: the
// floor the campaign path is judged against (target C2: >= 0.6x of raw COPY). PostgreSQL only.
//
// Then the drain (target C3): a second Herald with dispatch on and SMS routed to the fake Twilio
// (own process, recording when each request arrived) gets a campaign of
// BENCH_CAMPAIGN_DRAIN_RECIPIENTS (50,000) with no rate of its own. Single sendSms at 5/s for
// BENCH_SECONDS, first with nothing else to send, then while the campaign drains; each single
// send's answer->provider time is read from the fake's log. The drain rate is the campaign's
// messages sent in that window. C3: the single sends' p99 while draining <= 2x idle.

const RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 1_000_000);
const PER_CALL = 10_000;
/** Calls in flight: one validates while the previous one stores. */
const IN_FLIGHT = 2;
const TEXT = 'Dear {{1}}, your invoice {{2}} is due';
const DRAIN_RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_DRAIN_RECIPIENTS ?? 50_000);
const SINGLE_RATE = 5;

const phone = (i: number) => `+9188${String(100_000_000 + i).slice(1)}`;
const recipient = (i: number) => ({ to: phone(i), params: [`Customer ${i}`, `INV-${i}`], externalRef: `ref-${i}` });

const ADD = `mutation($id: ID!, $r: [CampaignRecipientInput!]!) {
  addCampaignRecipients(campaignId: $id, recipients: $r) {
    __typename
    ... on CampaignRecipientsAdded { accepted duplicates invalidCount }
    ... on Error { message }
  }
}`;

export async function campaign(opts: BenchOptions): Promise<ScenarioReport> {
  const added = await addPhase(opts);
  const drained = await drainPhase(opts);
  return { rows: [], notes: [...added.notes, ...drained.notes], targets: [...added.targets, ...drained.targets] };
}

type Phase = { notes: string[]; targets: Target[] };

async function addPhase(opts: BenchOptions): Promise<Phase> {
  if (opts.db !== 'postgres') throw new Error('the campaign scenario compares with COPY: PostgreSQL only');
  const herald = await startHerald(opts, { HERALD_WORKERS: '0' });
  const sql = heraldSql(herald);
  const client = new GraphQLClient(herald.url, herald.apiKey, IN_FLIGHT);
  try {
    const created = await client.post(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { campaignId } } }`,
      { input: { name: 'bench', channel: 'SMS', content: { sms: { text: TEXT, senderId: 'HERALD' } } } },
    );
    const campaignId = (created.body?.data?.createCampaign as { campaignId?: string } | undefined)?.campaignId;
    if (!campaignId) throw new Error(`createCampaign failed: ${JSON.stringify(created.body)}`);

    // Herald: every call waits for its answer (committed) before the next one is sent.
    let next = 0;
    let accepted = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < RECIPIENTS) {
        const from = next;
        next = Math.min(RECIPIENTS, next + PER_CALL);
        const r = Array.from({ length: next - from }, (_, i) => recipient(from + i));
        const res = await client.post(ADD, { id: campaignId, r });
        const answer = res.body?.data?.addCampaignRecipients as { accepted?: number } | undefined;
        if (answer?.accepted === undefined)
          throw new Error(`addCampaignRecipients failed: ${JSON.stringify(res.body)}`);
        accepted += answer.accepted;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const heraldSeconds = (performance.now() - started) / 1000;
    if (accepted !== RECIPIENTS) throw new Error(`expected ${RECIPIENTS} accepted, got ${accepted}`);

    // Raw COPY of the same rows into a table of the same shape.
    await sql.unsafe('create table bench_campaign_copy (like messages including defaults including indexes)');
    const tenantId = (await sql<{ id: string }[]>`select tenant_id as id from campaigns limit 1`)[0]!.id;
    const at = new Date().toISOString();
    function* lines(): Generator<string> {
      for (let i = 0; i < RECIPIENTS; i++) {
        const r = recipient(i);
        const body = TEXT.replace('{{1}}', r.params[0]!).replace('{{2}}', r.params[1]!);
        const options = JSON.stringify({ encoding: 'GSM7', segments: 1, flash: false });
        yield `${randomUUID()}\t${tenantId}\tSMS\tSCHEDULED\t${at}\t${r.to}\tHERALD\t${body}\t${options}\t${r.externalRef}\t{}\tMARKETING\t${campaignId}\t${at}\t${at}\n`;
      }
    }
    const copyStarted = performance.now();
    const writable = await sql`copy bench_campaign_copy (id, tenant_id, channel, status, status_at, recipient, sender,
      body, channel_options, external_ref, tags, category, campaign_id, created_at, updated_at) from stdin`.writable();
    await pipeline(Readable.from(lines()), writable);
    const copySeconds = (performance.now() - copyStarted) / 1000;
    const copied = (await sql<{ n: number }[]>`select count(*)::int as n from bench_campaign_copy`)[0]!.n;
    if (copied !== RECIPIENTS) throw new Error(`COPY stored ${copied} rows, not ${RECIPIENTS}`);

    const heraldRate = RECIPIENTS / heraldSeconds;
    const copyRate = RECIPIENTS / copySeconds;
    const target: Target = {
      id: 'C2',
      label: 'campaign add',
      figure: `addCampaignRecipients ${Math.round(heraldRate)} recipients/s, raw COPY ${Math.round(copyRate)} rows/s`,
      value: heraldRate / copyRate,
      unit: 'x',
      versus: 'raw COPY',
      goal: { cmp: '>=', value: 0.6 },
    };
    return {
      notes: [
        `${RECIPIENTS} recipients in calls of ${PER_CALL} (${IN_FLIGHT} in flight): ${heraldSeconds.toFixed(1)} s, ${Math.round(heraldRate)} recipients/s`,
        `raw COPY of the same rows into a table of the messages' shape: ${copySeconds.toFixed(1)} s, ${Math.round(copyRate)} rows/s`,
      ],
      targets: [target],
    };
  } finally {
    await client.close();
    await sql.end({ timeout: 5 });
    await herald.stop();
  }
}

const SEND_SMS = `mutation($input: SendSmsInput!) { sendSms(input: $input) { __typename } }`;

async function drainPhase(opts: BenchOptions): Promise<Phase> {
  const fake = await startFakeTwilio(opts, true);
  const herald = await startHerald(opts, {
    ...twilioRoute(fake),
  });
  const sql = heraldSql(herald);
  const client = new GraphQLClient(herald.url, herald.apiKey, 16);
  try {
    const created = await client.post(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { campaignId } } }`,
      { input: { name: 'drain', channel: 'SMS', content: { sms: { text: TEXT, senderId: 'HERALD' } } } },
    );
    const campaignId = (created.body?.data?.createCampaign as { campaignId?: string } | undefined)?.campaignId;
    if (!campaignId) throw new Error(`createCampaign failed: ${JSON.stringify(created.body)}`);
    for (let from = 0; from < DRAIN_RECIPIENTS; from += PER_CALL) {
      const r = Array.from({ length: Math.min(PER_CALL, DRAIN_RECIPIENTS - from) }, (_, i) => recipient(from + i));
      const res = await client.post(ADD, { id: campaignId, r });
      if ((res.body?.data?.addCampaignRecipients as { accepted?: number } | undefined)?.accepted === undefined)
        throw new Error(`addCampaignRecipients failed: ${JSON.stringify(res.body)}`);
    }

    // Single sends, marked "#<seq>:" so the fake's log tells them from the campaign's messages.
    const answered: number[] = [];
    let seqBase = 0;
    const singles = async () => {
      const base = seqBase;
      await paced(SINGLE_RATE, opts.durationMs, 16, async (seq) => {
        const res = await client.post(SEND_SMS, {
          input: { to: phone(9_000_000 + base + seq), text: `single #${base + seq}: code 123456` },
        });
        if ((res.body?.data?.sendSms as { __typename?: string } | undefined)?.__typename === 'Message')
          answered[base + seq] = nowMs();
      });
      seqBase += Math.ceil((SINGLE_RATE * opts.durationMs) / 1000) + 1;
      return [base, seqBase] as const;
    };
    const sentCount = async () =>
      (
        await sql<
          { n: number }[]
        >`select count(*)::int as n from messages where campaign_id = ${campaignId} and sent_at is not null`
      )[0]!.n;

    const idle = await singles();
    const started = await client.post(`mutation($id: ID!) { startCampaign(id: $id) { __typename } }`, {
      id: campaignId,
    });
    if ((started.body?.data?.startCampaign as { __typename?: string } | undefined)?.__typename !== 'Campaign')
      throw new Error(`startCampaign failed: ${JSON.stringify(started.body)}`);
    await sleep(2_000); // the release loop reaches its pace
    const sentBefore = await sentCount();
    const windowStarted = performance.now();
    const busy = await singles();
    const drainRate = ((await sentCount()) - sentBefore) / ((performance.now() - windowStarted) / 1000);
    await client.post(`mutation($id: ID!) { cancelCampaign(id: $id) { __typename } }`, { id: campaignId });
    await sleep(1_000);

    const received = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as Array<{
      receivedAt: number;
      body?: string;
    }>;
    const latencies = ([from, to]: readonly [number, number]) => {
      const out: number[] = [];
      for (const r of received) {
        const seq = Number(/single #(\d+):/.exec(r.body ?? '')?.[1] ?? Number.NaN);
        if (seq >= from && seq < to && answered[seq] !== undefined) out.push(r.receivedAt - answered[seq]!);
      }
      return summarize(out);
    };
    const [quiet, draining] = [latencies(idle), latencies(busy)];
    // Where a single send waited: answer->claim (its SENDING event, Herald's clock on this
    // machine) and claim->provider.
    const claims = new Map<number, number>();
    for (const r of await sql<{ body: string; at: Date }[]>`
      select m.body, e.occurred_at as at from messages m
      join message_events e on e.message_id = m.id and e.kind = 'status' and e.status = 'SENDING'
      where m.campaign_id is null`) {
      const seq = Number(/single #(\d+):/.exec(r.body)?.[1] ?? Number.NaN);
      if (!Number.isNaN(seq)) claims.set(seq, new Date(r.at).getTime());
    }
    const split = ([from, to]: readonly [number, number]) => {
      const toClaim: number[] = [];
      const toProvider: number[] = [];
      for (const r of received) {
        const seq = Number(/single #(\d+):/.exec(r.body ?? '')?.[1] ?? Number.NaN);
        const claimed = claims.get(seq);
        if (!(seq >= from && seq < to) || answered[seq] === undefined || claimed === undefined) continue;
        toClaim.push(claimed - answered[seq]!);
        toProvider.push(r.receivedAt - claimed);
      }
      const [a, b] = [summarize(toClaim), summarize(toProvider)];
      return `answer->claim p50 ${ms(a.p50)} / p99 ${ms(a.p99)} ms, claim->provider p50 ${ms(b.p50)} / p99 ${ms(b.p99)} ms`;
    };
    const ms = (v: number) => v.toFixed(1);
    return {
      notes: [
        `drain: ${DRAIN_RECIPIENTS} recipients, no ratePerSecond; ${Math.round(drainRate)} messages/s sent while measured`,
        `single sendSms at ${SINGLE_RATE}/s, answer->provider: idle p50 ${ms(quiet.p50)} ms, p99 ${ms(quiet.p99)} ms (${quiet.n}); ` +
          `while the campaign drains p50 ${ms(draining.p50)} ms, p99 ${ms(draining.p99)} ms (${draining.n})`,
        `of which, idle: ${split(idle)}; while draining: ${split(busy)}`,
      ],
      targets: [
        {
          id: 'C3',
          label: 'single send beside a draining campaign',
          figure: `answer->provider p99 ${ms(draining.p99)} ms while ${Math.round(drainRate)} campaign messages/s drain, idle ${ms(quiet.p99)} ms`,
          value: draining.p99 / quiet.p99,
          unit: 'x',
          versus: 'idle',
          goal: { cmp: '<=', value: 2 },
        },
      ],
    };
  } finally {
    await client.close();
    await sql.end({ timeout: 5 });
    await herald.stop();
    await fake.stop();
  }
}
