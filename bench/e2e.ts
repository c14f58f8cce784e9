import type postgres from 'postgres';
import { cpuSeconds } from './lib/proc.js';
import { cpuMeter, heraldSql, sleep, startCallbackReceiver, startFakeTwilio, twilioRoute } from './lib/children.js';
import { benchPhone } from './lib/enqueue.js';
import { GraphQLClient } from './lib/graphql-client.js';
import type { LoadResult } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { summarize } from './lib/paced.js';
import type { ScenarioReport } from './lib/report.js';
import { startHerald } from './lib/server.js';
import type { Target } from './lib/targets.js';

// Scenario "e2e" (target P7): the whole life of BENCH_E2E_MESSAGES (100,000) SMS and what it
// costs in CPU, summed over every process that takes part. PostgreSQL only.
//
// - Herald starts with its default settings except what routes SMS to Twilio: the fake Twilio
//   (test/support/fake-twilio.ts, own process) as TWILIO_BASE_URL, HERALD_PUBLIC_URL = Herald's
//   address so that every send carries a StatusCallback, and a rate limit that does not bind.
// - The fake answers each send like Twilio and, 1 s later, posts the three status callbacks
//   (sent, delivered, read) to that URL, form-encoded and signed with X-Twilio-Signature, each
//   after the previous one was answered.
// - One customer callback endpoint is registered (bench/lib/callback-receiver.ts, own process:
//   answers 200 and counts), so every status change is also a customer callback.
// - The messages are accepted through sendSms over HTTP, closed loop, BENCH_CONCURRENCY clients.
// - Done when every message is final (READ, or failed) and no callback is pending, read from
//   Herald's database (once the fake has posted all its reports, so the polling costs little).
//
// CPU per message = CPU seconds from just before the first send to completion, over the
// messages, of: Herald's whole process tree (API and dispatch, however many processes `npm
// start` makes), the fake, the receiver and every PostgreSQL server process (live ones plus the
// postmaster's reaped children: backends that exited). The load generator's own CPU is reported
// but not counted. Other activity on the machine, and other databases on the same PostgreSQL
// server, pollute the figure: run it on a quiet machine.

const MESSAGES = Number(process.env.BENCH_E2E_MESSAGES ?? 100_000);
const CALLBACK_DELAY_MS = 1000;
const GOAL_MS_PER_MESSAGE = 0.5;

const SEND_SMS = `mutation Send($input: SendSmsInput!) { sendSms(input: $input) { __typename } }`;
const CREATE_ENDPOINT = `mutation Endpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { __typename }
}`;

/** CPU seconds so far of each live backend connected to Herald's database, by pid. */
async function backendCpu(sql: postgres.Sql): Promise<Map<number, number>> {
  const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`;
  return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid) ?? 0]));
}

/**
 * CPU seconds since `before` of the backends on Herald's database that are still live: a
 * cross-check of the PostgreSQL figure, which counts every database on the server. Backends
 * that exited meanwhile are missing, so it is a lower bound.
 */
function backendDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

type Progress = { final: number; read: number; pendingCallbacks: number; deliveredCallbacks: number };

export async function e2e(opts: BenchOptions): Promise<ScenarioReport> {
  if (opts.db !== 'postgres')
    throw new Error("e2e runs on PostgreSQL only (it reads Herald's database to know when all is final)");
  if (!(MESSAGES >= 1)) throw new Error('BENCH_E2E_MESSAGES must be at least 1');
  const fake = await startFakeTwilio(opts, false, [
    '--status-callbacks',
    'sent,delivered,read',
    '--callback-delay-ms',
    String(CALLBACK_DELAY_MS),
  ]);
  const receiver = await startCallbackReceiver(opts).catch(async (err) => {
    await fake.stop();
    throw err;
  });
  const herald = await startHerald(opts, (url) => ({
    ...twilioRoute(fake),
    HERALD_PUBLIC_URL: url,
  })).catch(async (err) => {
    await Promise.all([fake.stop(), receiver.stop()]);
    throw err;
  });
  const sql = heraldSql(herald);
  const client = new GraphQLClient(herald.url, herald.apiKey, opts.concurrency);
  const fakeCounters = async () =>
    (await (await fetch(`${fake.url}/__fake/callbacks`)).json()) as {
      delivered: number;
      retried: number;
      abandoned: number;
      pending: number;
    };
  try {
    const endpoint = await client.post(CREATE_ENDPOINT, { input: { url: receiver.url } });
    const created = endpoint.body?.data?.createWebhookEndpoint as { __typename?: string } | undefined;
    if (created?.__typename !== 'CreatedWebhookEndpoint')
      throw new Error(`could not register the callback endpoint: ${JSON.stringify(endpoint.body)}`);

    const backendsBefore = await backendCpu(sql);
    const meter = cpuMeter({
      Herald: { tree: herald.pid },
      'fake Twilio': { tree: fake.pid },
      'callback receiver': { tree: receiver.pid },
      'bench client': process.pid,
    });
    const started = performance.now();

    // Accept: closed loop, each client sends its next message once the previous one is answered.
    const latencies: number[] = [];
    const failures = new Map<string, number>();
    let next = 0;
    async function sender(): Promise<void> {
      while (next < MESSAGES) {
        const seq = next++;
        const at = performance.now();
        try {
          const input = { to: benchPhone(seq), text: `Herald bench e2e ${seq}: your one-time code is 123456.` };
          const res = await client.post(SEND_SMS, { input });
          const typename = (res.body?.data?.sendSms as { __typename?: string } | undefined)?.__typename;
          if (typename !== 'Message') throw new Error(`HTTP ${res.status}: ${typename ?? 'no answer'}`);
          latencies.push(performance.now() - at);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          failures.set(why, (failures.get(why) ?? 0) + 1);
        }
      }
    }
    await Promise.all(Array.from({ length: opts.concurrency }, sender));
    const acceptSeconds = (performance.now() - started) / 1000;
    const accepted = latencies.length;

    // Then wait for the end: first the fake's reports (cheap to ask), then Herald's database.
    let progress: Progress = { final: 0, read: 0, pendingCallbacks: NaN, deliveredCallbacks: 0 };
    let lastChange = Date.now();
    let lastKey = '';
    for (;;) {
      await sleep(500);
      const f = await fakeCounters();
      if (f.pending === 0) {
        const [row] = await sql<Progress[]>`
          select (select count(*)::int from messages
                   where status in ('READ', 'FAILED', 'UNDELIVERED', 'EXPIRED', 'CANCELED')) as final,
                 (select count(*)::int from messages where status = 'READ') as read,
                 (select count(*)::int from callback_deliveries where status = 'pending') as "pendingCallbacks",
                 (select count(*)::int from callback_deliveries where status = 'delivered') as "deliveredCallbacks"`;
        progress = row!;
        if (progress.final >= accepted && progress.pendingCallbacks === 0) break;
      }
      const key = JSON.stringify([f, progress]);
      if (key !== lastKey) [lastKey, lastChange] = [key, Date.now()];
      if (Date.now() - lastChange > 60_000)
        throw new Error(
          `no progress for 60 s: fake ${JSON.stringify(f)}, Herald ${JSON.stringify(progress)} of ${accepted} accepted\n` +
            herald.output().split('\n').slice(-10).join('\n'),
        );
    }
    const cpu = meter.read();
    const ownBackendSeconds = backendDelta(backendsBefore, await backendCpu(sql));
    const wall = (performance.now() - started) / 1000;
    const fakeEnd = await fakeCounters();
    const receiverCount = await receiver.received();

    const counted = ['Herald', 'fake Twilio', 'callback receiver', 'PostgreSQL'];
    const msPer = (seconds: number) => (seconds * 1000) / accepted;
    const total = counted.reduce((sum, name) => sum + cpu.seconds[name]!, 0);
    const [stuck] = await sql<{ n: number }[]>`
      select count(*)::int as n from messages where status not in ('READ', 'FAILED', 'UNDELIVERED', 'EXPIRED', 'CANCELED')`;
    const accept = summarize(latencies);
    const notes = [
      `${MESSAGES} messages, ${opts.concurrency} clients; Twilio through the fake (reports sent, delivered, read ` +
        `${CALLBACK_DELAY_MS / 1000} s after each answer, signed); one customer callback endpoint`,
      `${accepted} accepted in ${acceptSeconds.toFixed(1)} s (${(accepted / acceptSeconds).toFixed(0)}/s, sendSms p50 ` +
        `${accept.p50.toFixed(1)} ms, p99 ${accept.p99.toFixed(1)} ms); all final after ${wall.toFixed(1)} s = ` +
        `${(accepted / wall).toFixed(0)} messages/s end to end`,
      `final: ${progress.read} READ, ${progress.final - progress.read} failed, ${stuck!.n} not final; fake reports: ` +
        `${fakeEnd.delivered} answered 2xx, ${fakeEnd.retried} retried, ${fakeEnd.abandoned} abandoned; customer callbacks: ` +
        `${progress.deliveredCallbacks} delivered per Herald, ${receiverCount} received, ${progress.pendingCallbacks} pending`,
      `CPU per message: ${msPer(total).toFixed(3)} ms in all = ` +
        counted.map((name) => `${name} ${msPer(cpu.seconds[name]!).toFixed(3)}`).join(' + ') +
        ` ms; not counted: bench client ${msPer(cpu.seconds['bench client']!).toFixed(3)} ms`,
      `  ${cpu.text}`,
      `  of PostgreSQL's share, backends connected to Herald's database: at least ${msPer(ownBackendSeconds).toFixed(3)} ms ` +
        "per message (backends that exited in the run are missing); the rest is the server's own processes (WAL writer, " +
        'checkpointer...) and other databases',
      '  PostgreSQL = every postgres process on this machine (other databases too); Herald = its whole process tree; ' +
        'other activity on the machine (and the end-of-run polling, a few queries) pollutes the figures',
    ];
    if (receiverCount !== progress.deliveredCallbacks)
      notes.push(
        `  callbacks: the receiver counted ${receiverCount}, Herald recorded ${progress.deliveredCallbacks} delivered (redeliveries?)`,
      );
    for (const [why, n] of failures) notes.push(`sendSms failed ${n}x: ${why}`);
    const result: LoadResult = {
      ok: accepted,
      errors: MESSAGES - accepted,
      seconds: wall,
      rps: accepted / wall,
      p50: accept.p50,
      p99: accept.p99,
      max: accept.max,
      failures,
      serverCpu: cpu.each.Herald,
      clientCpu: cpu.each['bench client']!,
    };
    const targets: Target[] = [
      {
        id: 'P7',
        label: 'end to end, CPU per message',
        figure: `${accepted} messages final in ${wall.toFixed(1)} s (${(accepted / wall).toFixed(0)}/s), ${total.toFixed(1)} CPU s over all processes`,
        value: msPer(total),
        unit: ' ms',
        goal: { cmp: '<=', value: GOAL_MS_PER_MESSAGE },
      },
    ];
    return {
      rows: [
        {
          scenario: 'e2e',
          case: 'accept -> Twilio -> READ + callbacks',
          database: herald.database,
          concurrency: opts.concurrency,
          result,
        },
      ],
      notes,
      targets,
    };
  } finally {
    await client.close();
    await sql.end();
    await herald.stop();
    await Promise.all([fake.stop(), receiver.stop()]);
  }
}
