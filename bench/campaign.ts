import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { heraldSql } from './lib/children.js';
import { GraphQLClient } from './lib/graphql-client.js';
import type { BenchOptions } from './lib/options.js';
import type { ScenarioReport } from './lib/report.js';
import { startHerald } from './lib/server.js';
import type { Target } from './lib/targets.js';

// Scenario "campaign": BENCH_CAMPAIGN_RECIPIENTS (default 1,000,000) recipients added to one SMS
// campaign through addCampaignRecipients, 10,000 per call (each rendered, validated, checked
// against the suppression list and stored held), then the same rows COPYed raw into a scratch
// table of the messages table's shape (its columns, defaults and indexes) in the same run: the
// floor the campaign path is judged against (target C2: >= 0.6x of raw COPY). PostgreSQL only.

const RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 1_000_000);
const PER_CALL = 10_000;
/** Calls in flight: one validates while the previous one stores. */
const IN_FLIGHT = 2;
const TEXT = 'Dear {{1}}, your invoice {{2}} is due';

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
      rows: [],
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
