import {
  cpuMeter,
  heraldSql,
  nowMs,
  sleep,
  startFakeTwilio,
  startWorker,
  twilioRoute,
  type Child,
  type FakeTwilioProcess,
} from './lib/children.js';
import { benchPhone, enqueueSms } from './lib/enqueue.js';
import { GraphQLClient } from './lib/graphql-client.js';
import type { LoadResult } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { paced, summarize } from './lib/paced.js';
import type { ResultRow, ScenarioReport } from './lib/report.js';
import { startHerald } from './lib/server.js';
import type { Target } from './lib/targets.js';
import { bareTwilioLoop } from './lib/bare-twilio.js';

// Scenario "dispatch": QUEUED -> SENT through the Twilio provider, which makes a real HTTP call
// to test/support/fake-twilio.ts running as its own process. PostgreSQL only.
//
// A (throughput): N messages are queued through the API with dispatch off (HERALD_WORKERS=0),
//   then worker-only processes (src/worker.ts) send them all. messages/s = N over the time from
//   the first claim to the last SENT, both read from the database, so process start-up is not
//   counted. BENCH_DISPATCH_CONFIGS="WxBxP[xK],..." tries HERALD_WORKERS x HERALD_DISPATCH_BATCH
//   x DATABASE_POOL_SIZE with K worker processes (default 4x100x10x2, the fastest of those
//   tried on 2 cores; see docs/benchmarks.md); the fastest is kept for B. Then, on the same fake,
//   a bare HTTP loop posts the same N requests with the concurrency the dispatcher had (K x
//   min(W x B, the provider's 256 connections)): the ceiling Herald is judged against (P3).
// B (latency): sendSms at BENCH_DISPATCH_RATES per second, open loop ("half" = half of A's
//   best; default "half,200", since the accept path and dispatch then share the two cores),
//   with dispatch in the API process (as `npm start`) and in the K worker processes. Latency = the
//   fake's receipt of a message minus the moment its sendSms answered, matched by the "#seq" in
//   the text; the fake records requests only here.

const MESSAGES = Number(process.env.BENCH_DISPATCH_MESSAGES ?? 50_000);
const CONFIGS = (process.env.BENCH_DISPATCH_CONFIGS ?? '4x100x10x2').split(',').map((c) => {
  const [workers, batch, pool, processes = 1] = c.split('x').map(Number);
  if (!workers || !batch || !pool || !processes)
    throw new Error(`BENCH_DISPATCH_CONFIGS: "${c}" is not WORKERSxBATCHxPOOL[xPROCESSES]`);
  return {
    workers,
    batch,
    pool,
    processes,
    name: `${processes > 1 ? `${processes} workers x ` : ''}${workers}x${batch} pool ${pool}`,
  };
});
type Config = (typeof CONFIGS)[number];

const TEXT = 'Herald bench dispatch: your one-time code is 123456.';
/** Connections of the Twilio provider's pool per process (its default), which caps the calls in flight. */
const PROVIDER_CONNECTIONS = 256;
const SEND_SMS = `mutation Send($input: SendSmsInput!) { sendSms(input: $input) { __typename } }`;
const MAX_IN_FLIGHT = 256;

function heraldEnv(fake: FakeTwilioProcess, c: Config, workers: number): Record<string, string> {
  return {
    ...twilioRoute(fake),
    HERALD_WORKERS: String(workers),
    HERALD_DISPATCH_BATCH: String(c.batch),
    DATABASE_POOL_SIZE: String(c.pool),
  };
}

const result = (r: Partial<LoadResult>): LoadResult => ({
  ok: 0,
  errors: 0,
  seconds: NaN,
  rps: NaN,
  p50: NaN,
  p99: NaN,
  max: NaN,
  failures: new Map(),
  serverCpu: undefined,
  clientCpu: NaN,
  ...r,
});

/** Provider calls in flight when every pipeline of every worker process sends a full batch. */
const callsInFlight = (c: Config) => c.processes * Math.min(c.workers * c.batch, PROVIDER_CONNECTIONS);

async function throughput(
  opts: BenchOptions,
  c: Config,
  notes: string[],
): Promise<{ herald: ResultRow; ceiling: ResultRow }> {
  const fake = await startFakeTwilio(opts, false);
  const herald = await startHerald(opts, heraldEnv(fake, c, 0));
  const sql = heraldSql(herald);
  const workers: Child[] = [];
  try {
    const enqueueSeconds = await enqueueSms(herald, MESSAGES, TEXT);
    for (let i = 0; i < c.processes; i++)
      workers.push(startWorker(opts, herald, { HERALD_WORKERS: String(c.workers) }));
    const pids = Object.fromEntries(workers.map((w, i) => [`worker${c.processes > 1 ? ` ${i + 1}` : ''}`, w.pid]));
    let meter: ReturnType<typeof cpuMeter> | undefined; // from the first claim on
    let count = { sent: 0, failed: 0, queued: MESSAGES };
    for (const deadline = Date.now() + 180_000; Date.now() < deadline && count.sent + count.failed < MESSAGES; ) {
      await sleep(meter ? 250 : 20);
      const [row] = await sql<(typeof count)[]>`
        select count(*) filter (where status = 'SENT')::int as sent,
               count(*) filter (where status in ('FAILED', 'EXPIRED'))::int as failed,
               count(*) filter (where status = 'QUEUED')::int as queued
        from messages`;
      count = row!;
      meter ??= count.queued < MESSAGES ? cpuMeter({ ...pids, 'fake Twilio': fake.pid }) : undefined;
      const dead = workers.find((w) => w.process.exitCode !== null);
      if (dead) throw new Error(`worker exited:\n${dead.output()}`);
    }
    const cpu = meter?.read();
    const [span] = await sql<{ seconds: number }[]>`
      select extract(epoch from (select max(status_at) from messages where status = 'SENT')
                              - (select min(occurred_at) from message_events where kind = 'status' and status = 'SENDING'))::float8 as seconds`;
    const seconds = span!.seconds;
    const rate = count.sent / seconds;
    notes.push(
      `${c.name}: ${count.sent} SENT, ${count.failed} failed in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} msg/s; ${cpu?.text}` +
        `${count.sent + count.failed < MESSAGES ? ' TIMED OUT' : ''} (queue filled through REST at ${(MESSAGES / enqueueSeconds).toFixed(0)} msg/s)`,
    );
    const workerCpu = Object.keys(pids).reduce((sum, name) => sum + (cpu?.each[name] ?? NaN), 0);

    // The ceiling, once Herald's workers are done (stopped, so they take no CPU).
    await Promise.all(workers.map((w) => w.stop()));
    const concurrency = callsInFlight(c);
    const bareMeter = cpuMeter({ 'fake Twilio': fake.pid, 'bench client (the loop)': process.pid });
    const bare = await bareTwilioLoop(fake, MESSAGES, concurrency, TEXT);
    notes.push(
      `  bare HTTP loop, ${concurrency} in flight: ${bare.sent} sent, ${bare.failed} failed in ${bare.seconds.toFixed(2)} s = ` +
        `${bare.rate.toFixed(0)} msg/s; Herald reached ${(rate / bare.rate).toFixed(2)}x of it; ${bareMeter.read().text}`,
    );
    for (const [why, n] of bare.failures) notes.push(`  bare HTTP loop failed ${n}x: ${why}`);
    return {
      herald: {
        scenario: 'dispatch',
        case: `QUEUED->SENT, ${c.name}`,
        database: herald.database,
        concurrency: c.workers * c.processes,
        result: result({ ok: count.sent, errors: count.failed, seconds, rps: rate, serverCpu: workerCpu }),
      },
      ceiling: {
        scenario: 'dispatch',
        case: `bare HTTP loop to the fake, ${concurrency} in flight`,
        database: '-',
        concurrency,
        result: result({ ok: bare.sent, errors: bare.failed, seconds: bare.seconds, rps: bare.rate }),
      },
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await sql.end();
    await herald.stop();
    await fake.stop();
  }
}

async function latency(
  opts: BenchOptions,
  c: Config,
  rate: number,
  separateWorker: boolean,
  notes: string[],
): Promise<ResultRow> {
  const fake = await startFakeTwilio(opts, true);
  const herald = await startHerald(opts, heraldEnv(fake, c, separateWorker ? 0 : c.workers));
  const workers = Array.from({ length: separateWorker ? c.processes : 0 }, () =>
    startWorker(opts, herald, { HERALD_WORKERS: String(c.workers) }),
  );
  const client = new GraphQLClient(herald.url, herald.apiKey, MAX_IN_FLIGHT);
  const sql = heraldSql(herald);
  const commits = async () =>
    (
      await sql<
        { n: number }[]
      >`select xact_commit::float8 as n from pg_stat_database where datname = current_database()`
    )[0]!.n;
  const mode = separateWorker ? `${c.processes} worker process${c.processes > 1 ? 'es' : ''}` : 'in-process dispatch';
  try {
    await sleep(2_000); // the workers' start-up
    const sent: Array<{ at: number; answered: number }> = [];
    const failures = new Map<string, number>();
    const windowStart = nowMs() + opts.warmupMs;
    let meter: ReturnType<typeof cpuMeter> | undefined;
    const pids = {
      Herald: herald.pid,
      ...Object.fromEntries(workers.map((w, i) => [`worker ${i + 1}`, w.pid])),
      'fake Twilio': fake.pid,
      'bench client': process.pid,
    };
    let commitsBefore: Promise<number> | undefined;
    const warm = setTimeout(() => {
      meter = cpuMeter(pids);
      commitsBefore = commits();
    }, opts.warmupMs);
    const { issued, skipped } = await paced(rate, opts.warmupMs + opts.durationMs, MAX_IN_FLIGHT, async (seq) => {
      const at = nowMs();
      const input = { to: benchPhone(seq), text: `Herald bench #${seq}: your one-time code is 123456.` };
      try {
        const res = await client.post(SEND_SMS, { input });
        if ((res.body?.data?.sendSms as { __typename?: string } | undefined)?.__typename !== 'Message')
          throw new Error(`HTTP ${res.status}`);
        sent[seq] = { at, answered: nowMs() };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        failures.set(why, (failures.get(why) ?? 0) + 1);
      }
    });
    clearTimeout(warm);
    const cpu = meter?.read();
    // Transactions per message and messages per claim: the cost of waking on every accept.
    await sleep(1_000); // PostgreSQL publishes a backend's counters at most once a second
    const transactions = (await commits()) - (await commitsBefore!);
    const [claims] = await sql<{ messages: number; claims: number }[]>`
      select count(*)::int as messages, count(distinct (occurred_at, payload->>'worker'))::int as claims
      from message_events where kind = 'status' and status = 'SENDING'`;

    // Wait for everything accepted to reach the fake, then match receipts to sends.
    const accepted = sent.filter(Boolean).length;
    let received: Array<{ receivedAt: number; body?: string }> = [];
    for (const deadline = Date.now() + 30_000; received.length < accepted && Date.now() < deadline; ) {
      await sleep(250);
      received = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as typeof received;
    }
    const fromAnswer: number[] = [];
    const fromRequest: number[] = [];
    const roundTrip: number[] = [];
    for (const r of received) {
      const s = sent[Number(/#(\d+):/.exec(r.body ?? '')?.[1])];
      if (!s || s.at < windowStart) continue;
      fromAnswer.push(r.receivedAt - s.answered);
      fromRequest.push(r.receivedAt - s.at);
      roundTrip.push(s.answered - s.at);
    }
    const [a, e, m] = [summarize(fromAnswer), summarize(fromRequest), summarize(roundTrip)];
    const ms = (v: number) => v.toFixed(1);
    notes.push(
      `latency, ${mode}, ${c.workers}x${c.batch} pool ${c.pool}, ${rate}/s: ${issued} sendSms issued, ${skipped} not issued (${MAX_IN_FLIGHT} in flight), ${accepted} accepted, ` +
        `${received.length} reached the fake; ${a.n} measured after the warm-up`,
      `  answer->provider p50 ${ms(a.p50)} ms, p99 ${ms(a.p99)} ms, max ${ms(a.max)} ms (min ${ms(a.min)}); ` +
        `request->provider p50 ${ms(e.p50)} ms, p99 ${ms(e.p99)} ms; sendSms round trip p50 ${ms(m.p50)} ms, p99 ${ms(m.p99)} ms`,
      `  ${cpu?.text}`,
      `  ${(transactions / a.n).toFixed(1)} database transactions committed per message ` +
        `in the window; ${(claims!.messages / claims!.claims).toFixed(1)} messages per claim that found any`,
    );
    for (const [why, n] of failures) notes.push(`  sendSms failed ${n}x: ${why}`);
    return {
      scenario: 'dispatch',
      case: `answer->provider at ${rate}/s, ${mode}`,
      database: herald.database,
      concurrency: MAX_IN_FLIGHT,
      result: result({
        ok: a.n,
        errors: [...failures.values()].reduce((x, y) => x + y, 0) + skipped,
        seconds: opts.durationMs / 1000,
        rps: a.n / (opts.durationMs / 1000),
        p50: a.p50,
        p99: a.p99,
        max: a.max,
        serverCpu: cpu
          ? Object.entries(cpu.each).reduce(
              (sum, [name, v]) => sum + (name === 'Herald' || name.startsWith('worker') ? v : 0),
              0,
            )
          : undefined,
      }),
    };
  } finally {
    await client.close();
    await Promise.all(workers.map((w) => w.stop()));
    await sql.end();
    await herald.stop();
    await fake.stop();
  }
}

export async function dispatch(opts: BenchOptions): Promise<ScenarioReport> {
  if (opts.db !== 'postgres') throw new Error('dispatch runs on PostgreSQL only (worker processes share the database)');
  const notes = [
    `${MESSAGES} messages per throughput run; Herald, its workers, the fake Twilio, PostgreSQL and this client share the machine`,
  ];
  const runs: Array<{ herald: ResultRow; ceiling: ResultRow }> = [];
  for (const c of CONFIGS) runs.push(await throughput(opts, c, notes));
  const rows = runs.flatMap((r) => [r.herald, r.ceiling]);
  const best = runs.reduce((a, b) => (b.herald.result.rps > a.herald.result.rps ? b : a));
  const c = CONFIGS[runs.indexOf(best)]!;
  const targets: Target[] = [
    {
      id: 'P3',
      label: `dispatch, ${c.name}`,
      figure: `${best.herald.result.rps.toFixed(0)} msg/s vs bare HTTP loop ${best.ceiling.result.rps.toFixed(0)} msg/s`,
      value: best.herald.result.rps / best.ceiling.result.rps,
      unit: 'x',
      versus: 'bare loop',
      goal: { cmp: '>=', value: 0.5 },
    },
  ];
  for (const r of (process.env.BENCH_DISPATCH_RATES ?? 'half,200').split(',')) {
    // Rounded to 50/s, but never to 0 (a small run's half may be under 25/s).
    const rate =
      r === 'half'
        ? Math.max(1, Math.round(best.herald.result.rps / 2 / 50) * 50 || Math.round(best.herald.result.rps / 2))
        : Number(r);
    if (!(rate > 0)) throw new Error(`BENCH_DISPATCH_RATES: "${r}" is neither "half" nor a rate`);
    for (const separateWorker of [false, true]) {
      const row = await latency(opts, c, rate, separateWorker, notes);
      rows.push(row);
      if (r === 'half')
        targets.push({
          id: 'P3',
          label: `accept->provider p99 at half the best throughput, ${separateWorker ? 'worker processes' : 'in-process dispatch'}`,
          figure: `answer->provider p99 at ${rate}/s, ${row.result.ok} measured, ${row.result.errors} not sent or failed`,
          value: row.result.p99,
          unit: ' ms',
          goal: { cmp: '<=', value: 50 },
        });
    }
  }
  return { rows, notes, targets };
}
