import { GraphQLClient, type GraphQLResponse } from './lib/graphql-client.js';
import { runLoad } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { memoryKb } from './lib/proc.js';
import type { ResultRow, ScenarioReport } from './lib/report.js';
import { startHerald } from './lib/server.js';

// Scenario "send": accepting SMS through the GraphQL mutation, which validates the input and
// stores the message and its first event durably, against a bare `{ __typename }` query on the
// same server: the HTTP + auth + GraphQL floor that every operation pays.
//
// Herald runs API-only (HERALD_WORKERS=0) so the figure is the accept path alone, not accept
// plus in-process delivery of the growing queue; set HERALD_WORKERS to measure both together.

const BARE = '{ __typename }';
const SEND_SMS = `mutation Send($input: SendSmsInput!) {
  sendSms(input: $input) {
    __typename
    ... on Message { id status }
    ... on ValidationError { field message }
  }
}`;

function failure(res: GraphQLResponse): string {
  const first = res.body?.errors?.[0] as { message?: string } | undefined;
  if (first?.message) return `HTTP ${res.status}: ${first.message}`;
  return res.body
    ? `HTTP ${res.status}: unexpected data ${JSON.stringify(res.body.data)?.slice(0, 120)}`
    : `HTTP ${res.status}: not JSON`;
}

async function bare(client: GraphQLClient): Promise<void> {
  const res = await client.post(BARE);
  if (res.status !== 200 || res.body?.data?.__typename !== 'Query') throw new Error(failure(res));
}

async function sendSms(client: GraphQLClient, seq: number): Promise<void> {
  // Vary recipient and text (and with it length) a little so nothing is trivially repeated.
  const input = {
    to: `+9188000${String(seq % 100_000).padStart(5, '0')}`,
    text: `Herald bench ${seq}: your one-time code is ${(seq * 7919) % 1_000_000}.${' Thanks!'.repeat(seq % 4)}`,
  };
  const res = await client.post(SEND_SMS, { input });
  const result = res.body?.data?.sendSms as { __typename?: string; field?: string; message?: string } | undefined;
  if (res.status === 200 && result?.__typename === 'Message') return;
  if (result?.__typename === 'ValidationError')
    throw new Error(`ValidationError on ${result.field}: ${result.message}`);
  throw new Error(failure(res));
}

export async function send(opts: BenchOptions): Promise<ScenarioReport> {
  const workers = process.env.HERALD_WORKERS ?? '0';
  const herald = await startHerald(opts, { HERALD_WORKERS: workers });
  const client = new GraphQLClient(herald.url, herald.apiKey, opts.concurrency);
  try {
    // One of each up front, so a broken set-up fails with its reason instead of 100% errors.
    await bare(client);
    await sendSms(client, 0);

    const load = {
      concurrency: opts.concurrency,
      warmupMs: opts.warmupMs,
      durationMs: opts.durationMs,
      serverPid: herald.pid,
    };
    const row = (name: string, result: ResultRow['result']): ResultRow => ({
      scenario: 'send',
      case: name,
      database: herald.database,
      concurrency: opts.concurrency,
      result,
    });
    const baseline = row('bare { __typename }', await runLoad(load, () => bare(client)));
    const sms = row('sendSms mutation', await runLoad(load, (seq) => sendSms(client, seq + 1)));

    const notes = [
      `database: ${herald.database}; in-process dispatch ${workers === '0' ? 'off (HERALD_WORKERS=0)' : `on (HERALD_WORKERS=${workers})`}`,
      `send is ${(sms.result.rps / baseline.result.rps).toFixed(2)}x the bare query ` +
        `(${sms.result.rps.toFixed(0)} vs ${baseline.result.rps.toFixed(0)} req/s)`,
    ];
    const mem = memoryKb(herald.pid);
    if (mem)
      notes.push(
        `server RSS after the run: ${(mem.rss / 1024).toFixed(0)} MiB (peak ${(mem.peak / 1024).toFixed(0)} MiB)`,
      );
    for (const r of [baseline, sms]) {
      for (const [reason, count] of r.result.failures) notes.push(`${r.case} failed ${count}x: ${reason}`);
    }
    if (baseline.result.errors + sms.result.errors > 0 && herald.output().trim()) {
      notes.push(`server output (tail):\n${herald.output().split('\n').slice(-10).join('\n')}`);
    }
    return { rows: [baseline, sms], notes };
  } finally {
    await client.close();
    await herald.stop();
  }
}
