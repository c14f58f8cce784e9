import { bareQuery, GraphQLClient, type GraphQLResponse } from './lib/graphql-client.js';
import { runLoad } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { memoryKb } from './lib/proc.js';
import type { ResultRow, ScenarioReport } from './lib/report.js';
import { startHerald } from './lib/server.js';
import type { Target } from './lib/targets.js';

// Scenario "send": accepting SMS through the GraphQL mutation, which validates the input and
// stores the message and its first event durably, against a bare `{ __typename }` query on the
// same server: the HTTP + auth + GraphQL floor that every operation pays. Two servers, one after
// the other:
//
// 1. API-only (HERALD_WORKERS=0): the accept path alone, not accept plus delivery of the growing
//    queue (target P1: throughput and p99 against the bare query's).
// 2. Default start: Herald with `npm start`'s settings (whatever the environment sets, nothing
//    added by this scenario), the sandbox provider delivering what is sent, so dispatch runs
//    while sendSms is measured (target P1d). HERALD_WORKERS and the like in the environment
//    reach this server only.

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

const bare = (client: GraphQLClient) => bareQuery(client, failure);

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

const P1D_GOAL = { postgres: 0.6, pglite: 0.5 };

/** Bare query then sendSms on one server, each with its own warm-up. */
async function pair(
  opts: BenchOptions,
  env: Record<string, string | undefined>,
  mode: string,
  notes: string[],
): Promise<[ResultRow, ResultRow]> {
  const herald = await startHerald(opts, env);
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
      case: `${name}, ${mode}`,
      database: herald.database,
      concurrency: opts.concurrency,
      result,
    });
    const baseline = row('bare { __typename }', await runLoad(load, () => bare(client)));
    const sms = row('sendSms mutation', await runLoad(load, (seq) => sendSms(client, seq + 1)));

    notes.push(
      `${mode}: send is ${(sms.result.rps / baseline.result.rps).toFixed(2)}x the bare query ` +
        `(${sms.result.rps.toFixed(0)} vs ${baseline.result.rps.toFixed(0)} req/s)`,
    );
    const mem = memoryKb(herald.pid);
    if (mem)
      notes.push(
        `${mode}: server RSS after the run: ${(mem.rss / 1024).toFixed(0)} MiB (peak ${(mem.peak / 1024).toFixed(0)} MiB)`,
      );
    for (const r of [baseline, sms]) {
      for (const [reason, count] of r.result.failures) notes.push(`${r.case} failed ${count}x: ${reason}`);
    }
    if (baseline.result.errors + sms.result.errors > 0 && herald.output().trim()) {
      notes.push(`server output (tail):\n${herald.output().split('\n').slice(-10).join('\n')}`);
    }
    return [baseline, sms];
  } finally {
    await client.close();
    await herald.stop();
  }
}

export async function send(opts: BenchOptions): Promise<ScenarioReport> {
  const notes: string[] = [];
  const [bareApi, smsApi] = await pair(opts, { HERALD_WORKERS: '0' }, 'API-only', notes);
  const [bareDefault, smsDefault] = await pair(opts, {}, 'default start', notes);
  const workers = process.env.HERALD_WORKERS;
  notes.unshift(
    `database: ${bareApi.database}; default start: ${workers === undefined ? "Herald's defaults" : `HERALD_WORKERS=${workers} from the environment`}, sandbox provider`,
  );
  const rps = (r: ResultRow) => r.result.rps.toFixed(0);
  const p99 = (r: ResultRow) => r.result.p99.toFixed(1);
  const targets: Target[] = [
    {
      id: 'P1',
      label: 'accept, API-only',
      figure: `sendSms ${rps(smsApi)} vs bare ${rps(bareApi)} req/s`,
      value: smsApi.result.rps / bareApi.result.rps,
      unit: 'x',
      versus: 'bare',
      goal: { cmp: '>=', value: 0.75 },
    },
    {
      id: 'P1',
      label: 'accept p99, API-only',
      figure: `sendSms p99 ${p99(smsApi)} vs bare ${p99(bareApi)} ms`,
      value: smsApi.result.p99 / bareApi.result.p99,
      unit: 'x',
      versus: 'bare',
      goal: { cmp: '<=', value: 2 },
    },
    {
      id: 'P1d',
      label: `default start, dispatch on (${opts.db === 'postgres' ? 'PostgreSQL' : 'PGlite'})`,
      figure: `sendSms ${rps(smsDefault)} vs bare ${rps(bareDefault)} req/s`,
      value: smsDefault.result.rps / bareDefault.result.rps,
      unit: 'x',
      versus: 'bare',
      goal: { cmp: '>=', value: P1D_GOAL[opts.db] },
    },
  ];
  return { rows: [bareApi, smsApi, bareDefault, smsDefault], notes, targets };
}
