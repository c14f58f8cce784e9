import { fileURLToPath } from 'node:url';
import { cpuMeter, heraldSql, nowMs, sleep, spawnTsx, type Child } from './lib/children.js';
import { benchPhone } from './lib/enqueue.js';
import { GraphQLClient } from './lib/graphql-client.js';
import type { LoadResult } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { paced, summarize } from './lib/paced.js';
import { cpuSeconds, memoryKb } from './lib/proc.js';
import type { ResultRow, ScenarioReport } from './lib/report.js';
import { startHerald, type HeraldProcess } from './lib/server.js';
import type { Target } from './lib/targets.js';

// Scenario "fanout": status events pushed to live subscribers of one tenant (targets P5a, P5a',
// P5b, P5c). The subscribers live in BENCH_FANOUT_PROCESSES load-generator processes
// (bench/lib/subscribers.ts), so that parsing their frames is not one event loop's work. Herald
// runs API-only (HERALD_WORKERS=0), so each sendSms publishes exactly one event (QUEUED).
//
// "commit->client" is the time from the change's occurredAt (set by Herald just before the
// transaction that stores it: an upper bound of the time from its commit) to the client's
// receipt, both wall clocks of this machine.
//
// 0. sendSms at BENCH_FANOUT_RATE per second without subscribers: its p99 alone.
// 1. P5a: BENCH_FANOUT_CLIENTS (1,000) graphql-ws subscribers of `messageEvents`, sendSms at
//    BENCH_FANOUT_RATE per second (open loop): commit->client of every (client, event) pair, and
//    sendSms p99 against step 0.
// 2. P5b: three single sends to the same 1,000: commit->last client; then the same 1,000
//    sockets' worth of plain WebSockets on a bare `ws` server (bench/lib/bare-ws.ts, own
//    process) that writes the same frame, encoded once, to each: request->last client.
// 3. P5a': 1,000 subscribers each watching its own message (`messageStatusChanged`), SCHEDULED
//    messages made for them; events at BENCH_FANOUT_WATCH_RATE (1,000) per second injected as
//    Herald's own transport carries committed changes (NOTIFY on its channel, 10 per statement
//    every 10 ms, occurredAt = the statement's start). PostgreSQL only.
// 4. P5c: BENCH_FANOUT_BROADCAST_CLIENTS (10,000) `messageEvents` subscribers: Herald's RSS with
//    all connected, then three single sends 3 s apart: request->last client.

const CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 1_000);
const BROADCAST_CLIENTS = Number(process.env.BENCH_FANOUT_BROADCAST_CLIENTS ?? 10_000);
const RATE = Number(process.env.BENCH_FANOUT_RATE ?? 10);
const WATCH_RATE = Number(process.env.BENCH_FANOUT_WATCH_RATE ?? 1_000);
const PROCESSES = Number(process.env.BENCH_FANOUT_PROCESSES ?? 4);
const BROADCASTS = 3;

const SEND_SMS = `mutation Send($input: SendSmsInput!) { sendSms(input: $input) { __typename ... on Message { messageId } } }`;

type Mode = 'events' | 'watch' | 'bare';
type Receipts = {
  receipts: Record<string, number[]>;
  commit: Record<string, number[]>;
  cpu: number;
  errors: number;
};

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

const share = (total: number, n: number, i: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);

/** Spreads `total` more subscribers over the processes; resolves once they are all counted. */
async function grow(
  herald: HeraldProcess,
  children: Child[],
  total: number,
  mode: Mode,
  extra: { ids?: string[]; url?: string } = {},
): Promise<string> {
  const before = mode === 'bare' ? 0 : await subscribers(herald);
  const started = nowMs();
  let offset = 0;
  const answers = await Promise.all(
    children.map((c, i) => {
      const n = share(total, children.length, i);
      const ids = extra.ids?.slice(offset, offset + n);
      offset += n;
      return ask<{ opened: number; failed: number }>(c, { open: n, mode, ids, url: extra.url });
    }),
  );
  const failed = answers.reduce((n, a) => n + a.failed, 0);
  let count = mode === 'bare' ? total - failed : await subscribers(herald);
  for (
    const deadline = Date.now() + 30_000;
    mode !== 'bare' && count < before + total - failed && Date.now() < deadline;
    count = await subscribers(herald)
  )
    await sleep(100);
  const what = mode === 'bare' ? 'bare sockets' : 'subscribers';
  return `${count} ${what} (${total} ${mode} opened in ${((nowMs() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} failed to connect` : ''})`;
}

async function drop(herald: HeraldProcess, children: Child[], mode: Mode): Promise<void> {
  await Promise.all(children.map((c) => ask(c, { drop: mode })));
  if (mode === 'bare') return;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100))
    if ((await subscribers(herald)) === 0) return;
}

async function collect(children: Child[]) {
  const answers = await Promise.all(children.map((c) => ask<Receipts>(c, { collect: true })));
  const byMessage = new Map<string, number[]>();
  const commit = new Map<string, number[]>();
  for (const a of answers) {
    for (const [id, times] of Object.entries(a.receipts)) byMessage.set(id, [...(byMessage.get(id) ?? []), ...times]);
    for (const [id, ms] of Object.entries(a.commit)) commit.set(id, [...(commit.get(id) ?? []), ...ms]);
  }
  return { byMessage, commit, cpu: answers.map((a) => a.cpu), errors: answers.reduce((n, a) => n + a.errors, 0) };
}

const rssMiB = (herald: HeraldProcess) => (memoryKb(herald.pid)?.rss ?? NaN) / 1024;
const rss = (herald: HeraldProcess) => `${rssMiB(herald).toFixed(0)} MiB`;
const ms = (v: number) => `${v.toFixed(1)} ms`;

function latencyRow(
  herald: HeraldProcess,
  name: string,
  concurrency: number,
  l: ReturnType<typeof summarize>,
  errors: number,
  seconds: number,
  serverCpu?: number,
): ResultRow {
  const result: LoadResult = {
    ok: l.n,
    errors,
    seconds,
    rps: l.n / seconds,
    p50: l.p50,
    p99: l.p99,
    max: l.max,
    failures: new Map(),
    serverCpu,
    clientCpu: NaN,
  };
  return { scenario: 'fanout', case: name, database: herald.database, concurrency, result };
}

export async function fanout(opts: BenchOptions): Promise<ScenarioReport> {
  const herald = await startHerald(opts, { HERALD_WORKERS: '0' });
  const client = new GraphQLClient(herald.url, herald.apiKey, 64);
  const entry = fileURLToPath(new URL('./lib/subscribers.ts', import.meta.url));
  const wsUrl = `${herald.url.replace(/^http/, 'ws')}/graphql`;
  const children = Array.from({ length: PROCESSES }, () =>
    spawnTsx(opts, entry, [wsUrl, herald.apiKey], process.env, true),
  );
  const bare = spawnTsx(opts, fileURLToPath(new URL('./lib/bare-ws.ts', import.meta.url)), [], process.env);
  const notes: string[] = [];
  const rows: ResultRow[] = [];
  const targets: Target[] = [];
  const seconds = opts.durationMs / 1000;
  const trigger = async (seq: number, sendAt?: string) => {
    const sentAt = nowMs();
    const res = await client.post(SEND_SMS, {
      input: { to: benchPhone(seq), text: `fan-out ${seq}`, ...(sendAt ? { sendAt } : {}) },
    });
    const id = (res.body?.data?.sendSms as { messageId?: string } | undefined)?.messageId;
    if (!id) throw new Error(`sendSms: HTTP ${res.status}`);
    return { id, sentAt, answeredAt: nowMs() };
  };
  /** sendSms at RATE for the warm-up and the window; the sends of the window. */
  const pacedSends = async (first: number, meterPids?: Record<string, number>) => {
    const sends: Array<{ id: string; sentAt: number; answeredAt: number }> = [];
    let failures = 0;
    let meter: ReturnType<typeof cpuMeter> | undefined;
    const window = setTimeout(() => (meter = meterPids && cpuMeter(meterPids)), opts.warmupMs);
    const windowStart = nowMs() + opts.warmupMs;
    await paced(RATE, opts.warmupMs + opts.durationMs, 64, (seq) =>
      trigger(first + seq).then(
        (s) => void (s.sentAt >= windowStart && sends.push(s)),
        () => void failures++,
      ),
    );
    clearTimeout(window);
    return { sends, failures, cpu: meter?.read() };
  };
  try {
    // 0. sendSms alone.
    const alone = await pacedSends(0);
    const aloneRtt = summarize(alone.sends.map((s) => s.answeredAt - s.sentAt));
    notes.push(
      `Herald RSS with 0 subscribers: ${rss(herald)}; sendSms at ${RATE}/s without subscribers: p50 ${ms(aloneRtt.p50)}, p99 ${ms(aloneRtt.p99)}, max ${ms(aloneRtt.max)}`,
    );

    // 1. P5a: CLIENTS subscribers, RATE events per second.
    notes.push(`${await grow(herald, children, CLIENTS, 'events')}; Herald RSS ${rss(herald)}`);
    await collect(children);
    const pids = { Herald: herald.pid, ...Object.fromEntries(children.map((c, i) => [`clients ${i + 1}`, c.pid])) };
    const { sends, failures, cpu } = await pacedSends(1000, pids);
    await sleep(2_000); // stragglers
    const got = await collect(children);
    const commit = summarize(sends.flatMap((s) => got.commit.get(s.id) ?? []));
    const l = summarize(sends.flatMap((s) => (got.byMessage.get(s.id) ?? []).map((t) => t - s.sentAt)));
    const afterAnswer = summarize(sends.flatMap((s) => (got.byMessage.get(s.id) ?? []).map((t) => t - s.answeredAt)));
    const rtt = summarize(sends.map((s) => s.answeredAt - s.sentAt));
    const expected = sends.length * CLIENTS;
    rows.push(
      latencyRow(
        herald,
        `commit->client, ${CLIENTS} subscribers, ${RATE} events/s`,
        CLIENTS,
        commit,
        expected - commit.n + failures,
        seconds,
        cpu?.each.Herald,
      ),
      latencyRow(herald, `sendSms with ${CLIENTS} subscribers`, 64, rtt, failures, seconds),
      latencyRow(herald, 'sendSms without subscribers', 64, aloneRtt, alone.failures, seconds),
    );
    notes.push(
      `${CLIENTS} subscribers, ${sends.length} events in the window: ${l.n} of ${expected} deliveries received ` +
        `(${got.errors} subscription errors, ${failures} failed sends)`,
      `  commit->client p50 ${ms(commit.p50)}, p99 ${ms(commit.p99)}, max ${ms(commit.max)}; request->client p50 ${ms(l.p50)}, p99 ${ms(l.p99)}; ` +
        `answer->client p50 ${ms(afterAnswer.p50)}, p99 ${ms(afterAnswer.p99)} (negative: before the answer); ` +
        `sendSms round trip p50 ${ms(rtt.p50)}, p99 ${ms(rtt.p99)}`,
      `  ${cpu?.text}; Herald RSS ${rss(herald)}; Herald CPU per delivery ${(((cpu?.seconds.Herald ?? NaN) * 1e6) / Math.max(1, commit.n)).toFixed(1)} µs`,
    );
    targets.push(
      {
        id: 'P5a',
        label: `commit->client, ${CLIENTS} subscribers at ${RATE} events/s`,
        figure: `p99 of ${commit.n} deliveries`,
        value: commit.p99,
        unit: ' ms',
        goal: { cmp: '<=', value: 20 },
      },
      {
        id: 'P5a',
        label: `sendSms p99 with ${CLIENTS} subscribers`,
        figure: `${ms(rtt.p99)} with, ${ms(aloneRtt.p99)} without`,
        value: rtt.p99 / aloneRtt.p99,
        unit: 'x',
        versus: 'without',
        goal: { cmp: '<=', value: 1.2 },
      },
    );

    // 2. P5b: broadcast to CLIENTS, Herald against a bare ws server.
    const heraldLasts: number[] = [];
    const cpuBefore = cpuSeconds(herald.pid) ?? NaN;
    for (let i = 0; i < BROADCASTS; i++) {
      const s = await trigger(50_000 + i);
      await sleep(1_000);
      const b = await collect(children);
      const c = b.commit.get(s.id) ?? [];
      heraldLasts.push(c.length === CLIENTS ? Math.max(...c) : NaN);
    }
    // Herald's CPU over the three broadcasts (and 3 s of idling beside them), per delivery.
    const perDelivery = (((cpuSeconds(herald.pid) ?? NaN) - cpuBefore) * 1e6) / (BROADCASTS * CLIENTS);
    await drop(herald, children, 'events');
    const { url: bareUrl } = JSON.parse(await bare.firstLine) as { url: string };
    notes.push(await grow(herald, children, CLIENTS, 'bare', { url: bareUrl }));
    await collect(children);
    const bareLasts: number[] = [];
    const bareCpuBefore = cpuSeconds(bare.pid) ?? NaN;
    for (let i = 0; i < BROADCASTS; i++) {
      const messageId = `bare-${i}`;
      const sentAt = nowMs();
      await fetch(`${bareUrl.replace(/^ws/, 'http')}/broadcast`, {
        method: 'POST',
        body: JSON.stringify({ messageId, occurredAt: new Date().toISOString() }),
      });
      await sleep(1_000);
      const times = (await collect(children)).byMessage.get(messageId) ?? [];
      bareLasts.push(times.length === CLIENTS ? Math.max(...times) - sentAt : NaN);
    }
    const barePerDelivery = (((cpuSeconds(bare.pid) ?? NaN) - bareCpuBefore) * 1e6) / (BROADCASTS * CLIENTS);
    await drop(herald, children, 'bare');
    const hl = summarize(heraldLasts);
    const bl = summarize(bareLasts);
    notes.push(
      `broadcast to ${CLIENTS}: Herald commit->last ${heraldLasts.map((v) => v.toFixed(1)).join(', ')} ms; ` +
        `bare ws request->last ${bareLasts.map((v) => v.toFixed(1)).join(', ')} ms (NaN: not every client had it); ` +
        `CPU per delivery: Herald ${perDelivery.toFixed(1)} µs (sendSms included), bare ws ${barePerDelivery.toFixed(1)} µs`,
    );
    targets.push({
      id: 'P5b',
      label: `broadcast to ${CLIENTS}, time to last`,
      figure: `Herald ${ms(hl.p50)}, bare ws ${ms(bl.p50)} (medians of ${BROADCASTS})`,
      value: hl.p50 / bl.p50,
      unit: 'x',
      versus: 'bare ws',
      goal: { cmp: '<=', value: 1.5 },
    });

    // 3. P5a': each subscriber watches its own message.
    let watch: ReturnType<typeof summarize> | undefined;
    if (herald.database.startsWith('PostgreSQL')) {
      const sendAt = new Date(Date.now() + 86_400_000).toISOString();
      const ids: string[] = [];
      for (let i = 0; i < CLIENTS; i += 32)
        ids.push(
          ...(
            await Promise.all(
              Array.from({ length: Math.min(32, CLIENTS - i) }, (_, j) => trigger(60_000 + i + j, sendAt)),
            )
          ).map((s) => s.id),
        );
      notes.push(`${await grow(herald, children, CLIENTS, 'watch', { ids })}; Herald RSS ${rss(herald)}`);
      await sleep(500);
      await collect(children); // the replays (SCHEDULED)
      const sql = heraldSql(herald);
      try {
        const [{ tenantId }] = await sql<
          [{ tenantId: string }]
        >`select tenant_id as "tenantId" from messages where id = ${ids[0]!}`;
        const windowStart = nowMs() + opts.warmupMs;
        let seq = 0;
        let sent = 0;
        await paced(100, opts.warmupMs + opts.durationMs, 16, async () => {
          const occurredAt = new Date().toISOString();
          const changes = Array.from({ length: WATCH_RATE / 100 }, () => ({
            messageId: ids[seq++ % ids.length],
            tenantId,
            channel: 'SMS',
            recipient: '+918800000000',
            externalRef: null,
            tags: [],
            status: 'SENT',
            previousStatus: 'SENDING',
            errorCode: null,
            errorMessage: null,
            occurredAt,
          }));
          await sql`select pg_notify('herald_events', ${JSON.stringify({ t: 'herald:status', d: changes })})`;
          if (nowMs() >= windowStart) sent += changes.length;
        });
        await sleep(2_000);
        const w = await collect(children);
        // Receipts of the window only: occurredAt after its start.
        const all = [...w.commit.values()].flat();
        const inWindow: number[] = [];
        for (const [id, list] of w.byMessage) {
          const lat = w.commit.get(id) ?? [];
          list.forEach((at, k) => {
            if (at - lat[k]! >= windowStart) inWindow.push(lat[k]!);
          });
        }
        watch = summarize(inWindow);
        notes.push(
          `${CLIENTS} messageStatusChanged subscribers, ${WATCH_RATE} events/s: ${inWindow.length} of ${sent} events of the window received ` +
            `(${all.length} in all, ${w.errors} errors); commit->client p50 ${ms(watch.p50)}, p99 ${ms(watch.p99)}, max ${ms(watch.max)}`,
        );
        rows.push(
          latencyRow(
            herald,
            `commit->client, ${CLIENTS} own-message subscribers, ${WATCH_RATE} events/s`,
            CLIENTS,
            watch,
            sent - inWindow.length,
            seconds,
          ),
        );
      } finally {
        await sql.end();
      }
      await drop(herald, children, 'watch');
    }
    targets.push({
      id: "P5a'",
      label: `commit->client, ${CLIENTS} own-message subscribers at ${WATCH_RATE} events/s`,
      figure: watch ? `p99 of ${watch.n} deliveries` : 'PostgreSQL only',
      value: watch?.p99 ?? NaN,
      unit: ' ms',
      goal: { cmp: '<=', value: 20 },
    });

    // 4. P5c: broadcast to BROADCAST_CLIENTS.
    notes.push(`${await grow(herald, children, BROADCAST_CLIENTS, 'events')}; Herald RSS ${rss(herald)}`);
    const connectedRss = rssMiB(herald);
    await collect(children); // whatever arrived meanwhile
    const lasts: number[] = [];
    const bigCpuBefore = cpuSeconds(herald.pid) ?? NaN;
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
      lasts.push(t.n === BROADCAST_CLIENTS ? t.max : NaN);
      notes.push(
        `broadcast ${i + 1} to ${BROADCAST_CLIENTS}: ${t.n} received; after the request: first ${t.min.toFixed(0)} ms, half ${t.p50.toFixed(0)} ms, ` +
          `last ${t.max.toFixed(0)} ms; sendSms answered after ${(s.answeredAt - s.sentAt).toFixed(0)} ms, ` +
          `a /healthz sent 150 ms after it took ${health.toFixed(0)} ms`,
      );
    }
    const bigPerDelivery = (((cpuSeconds(herald.pid) ?? NaN) - bigCpuBefore) * 1e6) / (BROADCASTS * BROADCAST_CLIENTS);
    notes.push(
      `Herald CPU per delivery over the ${BROADCASTS} broadcasts to ${BROADCAST_CLIENTS}: ${bigPerDelivery.toFixed(1)} µs (sendSms, /healthz and 9 s of idling included)`,
    );
    const b = summarize(lasts);
    rows.push({
      scenario: 'fanout',
      case: `request->last of ${BROADCAST_CLIENTS} (${BROADCASTS} broadcasts)`,
      database: herald.database,
      concurrency: BROADCAST_CLIENTS,
      // req/s here: deliveries per second of the median broadcast.
      result: {
        ok: BROADCASTS,
        errors: lasts.filter((v) => !Number.isFinite(v)).length,
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
      `Herald RSS with ${BROADCAST_CLIENTS} subscribers: ${connectedRss.toFixed(0)} MiB connected, ${rss(herald)} after the broadcasts (peak ${((memoryKb(herald.pid)?.peak ?? NaN) / 1024).toFixed(0)} MiB)`,
    );
    targets.push(
      {
        id: 'P5c',
        label: `broadcast to ${BROADCAST_CLIENTS}, time to last`,
        figure: `request->last, median of ${BROADCASTS}`,
        value: b.p50,
        unit: ' ms',
        goal: { cmp: '<=', value: 300 },
      },
      {
        id: 'P5c',
        label: `RSS with ${BROADCAST_CLIENTS} subscribers`,
        figure: 'VmRSS with all connected',
        value: connectedRss,
        unit: ' MiB',
        goal: { cmp: '<=', value: 400 },
      },
    );
    const output = herald.output().trim();
    if (output) notes.push(`Herald printed (tail):\n${output.split('\n').slice(-8).join('\n')}`);
    return { rows, notes, targets };
  } finally {
    await Promise.all(children.map((c) => ask(c, { close: true }).catch(() => {})));
    await Promise.all([...children, bare].map((c) => c.stop()));
    await client.close();
    await herald.stop();
  }
}
