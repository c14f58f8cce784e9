import { fileURLToPath } from 'node:url';
import { cpuMeter, nowMs, sleep, spawnTsx, type Child } from './lib/children.js';
import { benchPhone } from './lib/enqueue.js';
import { GraphQLClient } from './lib/graphql-client.js';
import type { LoadResult } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { paced, summarize } from './lib/paced.js';
import { memoryKb } from './lib/proc.js';
import type { ResultRow, ScenarioReport } from './lib/report.js';
import { startHerald, type HeraldProcess } from './lib/server.js';

// Scenario "fanout": status events pushed to graphql-ws subscribers of `messageEvents`, all of
// one tenant. The clients live in BENCH_FANOUT_PROCESSES load-generator processes
// (bench/lib/subscribers.ts), so that parsing their frames is not one event loop's work.
//
// 1. BENCH_FANOUT_CLIENTS (1,000) subscribers; sendSms at BENCH_FANOUT_RATE per second (open
//    loop). Herald runs API-only (HERALD_WORKERS=0), so each send publishes exactly one event
//    (QUEUED). Herald publishes after the commit but before it answers, and the answer waits
//    for the fan-out, so the answer is no reference: latency of each (client, event) pair is
//    measured from the moment the triggering sendSms was sent, an upper bound that includes the
//    accept path up to the commit (its round trip without subscribers is printed beside it).
// 2. BENCH_FANOUT_BROADCAST_CLIENTS (10,000) subscribers; single sends, 3 s apart: the time
//    from the request until the last client has the event.
// Herald's RSS is read with 0, 1,000 and 10,000 subscribers.

const CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 1_000);
const BROADCAST_CLIENTS = Number(process.env.BENCH_FANOUT_BROADCAST_CLIENTS ?? 10_000);
const RATE = Number(process.env.BENCH_FANOUT_RATE ?? 10);
const PROCESSES = Number(process.env.BENCH_FANOUT_PROCESSES ?? 4);
const BROADCASTS = 3;

const SEND_SMS = `mutation Send($input: SendSmsInput!) { sendSms(input: $input) { __typename ... on Message { messageId } } }`;

type Receipts = { receipts: Record<string, number[]>; cpu: number; errors: number };

function ask<T>(child: Child, msg: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const exited = () => reject(new Error(`subscriber process exited:\n${child.output()}`));
    child.process.once('exit', exited);
    child.process.once('message', (answer) => {
      child.process.off('exit', exited);
      resolve(answer as T);
    });
    child.process.send(msg);
  });
}

async function subscribers(herald: HeraldProcess): Promise<number> {
  const res = await fetch(`${herald.url}/metrics`, { headers: { authorization: `Bearer ${herald.apiKey}` } });
  return Number(/^herald_subscribers (\d+)/m.exec(await res.text())?.[1]);
}

/** Spreads `total` more clients over the processes; resolves once Herald counts them all. */
async function grow(herald: HeraldProcess, children: Child[], total: number): Promise<string> {
  const before = await subscribers(herald);
  const started = nowMs();
  const answers = await Promise.all(
    children.map((c, i) =>
      ask<{ opened: number; failed: number }>(c, {
        open: Math.floor(total / children.length) + (i < total % children.length ? 1 : 0),
      }),
    ),
  );
  const failed = answers.reduce((n, a) => n + a.failed, 0);
  let count = await subscribers(herald);
  for (
    const deadline = Date.now() + 30_000;
    count < before + total - failed && Date.now() < deadline;
    count = await subscribers(herald)
  )
    await sleep(100);
  return `${count} subscribers (${total} opened in ${((nowMs() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} failed to connect` : ''})`;
}

async function collect(
  children: Child[],
): Promise<{ byMessage: Map<string, number[]>; cpu: number[]; errors: number }> {
  const answers = await Promise.all(children.map((c) => ask<Receipts>(c, { collect: true })));
  const byMessage = new Map<string, number[]>();
  for (const a of answers)
    for (const [id, times] of Object.entries(a.receipts)) byMessage.set(id, [...(byMessage.get(id) ?? []), ...times]);
  return { byMessage, cpu: answers.map((a) => a.cpu), errors: answers.reduce((n, a) => n + a.errors, 0) };
}

const rss = (herald: HeraldProcess) => `${((memoryKb(herald.pid)?.rss ?? NaN) / 1024).toFixed(0)} MiB`;

export async function fanout(opts: BenchOptions): Promise<ScenarioReport> {
  const herald = await startHerald(opts, { HERALD_WORKERS: '0' });
  const client = new GraphQLClient(herald.url, herald.apiKey, 64);
  const entry = fileURLToPath(new URL('./lib/subscribers.ts', import.meta.url));
  const wsUrl = `${herald.url.replace(/^http/, 'ws')}/graphql`;
  const children = Array.from({ length: PROCESSES }, () =>
    spawnTsx(opts, entry, [wsUrl, herald.apiKey], process.env, true),
  );
  const notes: string[] = [];
  const rows: ResultRow[] = [];
  const trigger = async (seq: number) => {
    const sentAt = nowMs();
    const res = await client.post(SEND_SMS, { input: { to: benchPhone(seq), text: `fan-out ${seq}` } });
    const id = (res.body?.data?.sendSms as { messageId?: string } | undefined)?.messageId;
    if (!id) throw new Error(`sendSms: HTTP ${res.status}`);
    return { id, sentAt, answeredAt: nowMs() };
  };
  try {
    const idle: number[] = []; // sendSms round trips without subscribers, after a warm-up
    for (let i = 0; i < 40; i++) idle.push(await trigger(i).then((s) => s.answeredAt - s.sentAt));
    const alone = summarize(idle.slice(20));
    notes.push(
      `Herald RSS with 0 subscribers: ${rss(herald)}; sendSms round trip without subscribers p50 ${alone.p50.toFixed(1)} ms, max ${alone.max.toFixed(1)} ms`,
    );

    // 1. Latency with CLIENTS subscribers.
    notes.push(`${await grow(herald, children, CLIENTS)}; Herald RSS ${rss(herald)}`);
    const sends: Array<{ id: string; sentAt: number; answeredAt: number }> = [];
    let failures = 0;
    let meter: ReturnType<typeof cpuMeter> | undefined;
    const window = setTimeout(
      () =>
        (meter = cpuMeter({
          Herald: herald.pid,
          ...Object.fromEntries(children.map((c, i) => [`clients ${i + 1}`, c.pid])),
        })),
      opts.warmupMs,
    );
    const windowStart = nowMs() + opts.warmupMs;
    await paced(RATE, opts.warmupMs + opts.durationMs, 64, (seq) =>
      trigger(1000 + seq).then(
        (s) => void (s.sentAt >= windowStart && sends.push(s)),
        () => void failures++,
      ),
    );
    clearTimeout(window);
    const cpu = meter?.read();
    await sleep(2_000); // stragglers
    const got = await collect(children);
    const l = summarize(sends.flatMap((s) => (got.byMessage.get(s.id) ?? []).map((t) => t - s.sentAt)));
    const afterAnswer = summarize(sends.flatMap((s) => (got.byMessage.get(s.id) ?? []).map((t) => t - s.answeredAt)));
    const answer = summarize(sends.map((s) => s.answeredAt - s.sentAt));
    const expected = sends.length * CLIENTS;
    const result: LoadResult = {
      ok: l.n,
      errors: expected - l.n + failures,
      seconds: opts.durationMs / 1000,
      rps: l.n / (opts.durationMs / 1000),
      p50: l.p50,
      p99: l.p99,
      max: l.max,
      failures: new Map(),
      serverCpu: cpu?.each.Herald,
      clientCpu: NaN,
    };
    rows.push({
      scenario: 'fanout',
      case: `request->client, ${CLIENTS} subscribers, ${RATE} events/s`,
      database: herald.database,
      concurrency: CLIENTS,
      result,
    });
    notes.push(
      `${CLIENTS} subscribers, ${sends.length} events in the window: ${l.n} of ${expected} deliveries received ` +
        `(${got.errors} subscription errors, ${failures} failed sends)`,
      `  request->client p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms, min ${l.min.toFixed(1)} ms; ` +
        `answer->client p50 ${afterAnswer.p50.toFixed(1)} ms, p99 ${afterAnswer.p99.toFixed(1)} ms (negative: before the answer); ` +
        `sendSms round trip p50 ${answer.p50.toFixed(1)} ms, p99 ${answer.p99.toFixed(1)} ms`,
      `  ${cpu?.text}; Herald RSS ${rss(herald)}`,
    );

    // 2. Broadcast to BROADCAST_CLIENTS subscribers.
    notes.push(`${await grow(herald, children, BROADCAST_CLIENTS - CLIENTS)}; Herald RSS ${rss(herald)}`);
    await collect(children); // whatever arrived meanwhile
    const lasts: number[] = [];
    for (let i = 0; i < BROADCASTS; i++) {
      // A health check sent meanwhile shows whether the event loop is free during the broadcast.
      const probe = sleep(150).then(async () => {
        const at = nowMs();
        await (await fetch(`${herald.url}/healthz`)).arrayBuffer();
        return nowMs() - at;
      });
      const s = await trigger(100_000 + i);
      const health = await probe;
      await sleep(3_000);
      const b = await collect(children);
      const t = summarize((b.byMessage.get(s.id) ?? []).map((at) => at - s.sentAt));
      lasts.push(t.max);
      notes.push(
        `broadcast ${i + 1} to ${BROADCAST_CLIENTS}: ${t.n} received; after the request: first ${t.min.toFixed(0)} ms, half ${t.p50.toFixed(0)} ms, ` +
          `last ${t.max.toFixed(0)} ms; sendSms answered after ${(s.answeredAt - s.sentAt).toFixed(0)} ms, ` +
          `a /healthz sent 150 ms after it took ${health.toFixed(0)} ms`,
      );
    }
    const b = summarize(lasts);
    rows.push({
      scenario: 'fanout',
      case: `time to last of ${BROADCAST_CLIENTS} (${BROADCASTS} broadcasts)`,
      database: herald.database,
      concurrency: BROADCAST_CLIENTS,
      // req/s here: deliveries per second of the median broadcast.
      result: {
        ok: BROADCASTS,
        errors: 0,
        seconds: NaN,
        rps: BROADCAST_CLIENTS / (b.p50 / 1000),
        p50: b.p50,
        p99: b.p99,
        max: b.max,
        failures: new Map(),
        serverCpu: undefined,
        clientCpu: NaN,
      },
    });
    notes.push(
      `Herald RSS with ${BROADCAST_CLIENTS} subscribers after the broadcasts: ${rss(herald)} (peak ${((memoryKb(herald.pid)?.peak ?? NaN) / 1024).toFixed(0)} MiB)`,
    );
    const output = herald.output().trim();
    if (output) notes.push(`Herald printed (tail):\n${output.split('\n').slice(-8).join('\n')}`);
    return { rows, notes };
  } finally {
    await Promise.all(children.map((c) => ask(c, { close: true }).catch(() => {})));
    await Promise.all(children.map((c) => c.stop()));
    await client.close();
    await herald.stop();
  }
}
