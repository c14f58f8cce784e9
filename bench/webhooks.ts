import { createHmac, randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { cpuMeter, heraldSql, sleep } from './lib/children.js';
import { enqueueSms } from './lib/enqueue.js';
import { bareQuery, GraphQLClient } from './lib/graphql-client.js';
import { runLoad } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { memoryKb } from './lib/proc.js';
import type { ResultRow, ScenarioReport } from './lib/report.js';
import { startHerald } from './lib/server.js';
import type { Target } from './lib/targets.js';

// Scenario "webhooks": signed sandbox status reports POSTed to /webhooks/sandbox by concurrent
// clients (closed loop), one event per request, then 50 per request, after the bare
// `{ __typename }` query on the same server, the floor the 1-per-request case is judged against
// (target P4: 1 per request >= 0.6x the bare req/s; 50 per request >= 10x the events/s of 1). Herald answers 200 only
// after the reports are committed, so every acknowledged event must be a `message_events` row
// of kind 'provider': checked after each case. PostgreSQL only.
//
// Set-up: M messages (BENCH_WEBHOOK_MESSAGES) are accepted and sent through the sandbox
// provider, whose own reports are an hour away; their provider ids are read from the database.
// Event k reports on message k mod M: the first M are "delivered", the rest "read", each with
// its own event id (so none is a duplicate): the first two rounds change statuses, later
// rounds are recorded without a change, as repeated reports are.

const MESSAGES = Number(process.env.BENCH_WEBHOOK_MESSAGES ?? 20_000);
const SECRET = randomBytes(16).toString('hex');

function signed(body: string): Record<string, string> {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
  return { 'content-type': 'application/json', 'herald-sandbox-signature': `t=${t},v1=${v1}` };
}

export async function webhooks(opts: BenchOptions): Promise<ScenarioReport> {
  const herald = await startHerald(opts, {
    HERALD_WORKERS: '4',
    HERALD_SANDBOX_WEBHOOK_SECRET: SECRET,
    HERALD_SANDBOX_DELAY_MS: '3600000',
    HERALD_RECONCILE_AFTER_MS: '3600000',
    HERALD_RATE_LIMITS: 'sandbox=100000',
  });
  const sql = heraldSql(herald);
  const pool = new Pool(herald.url, { connections: opts.concurrency });
  try {
    await enqueueSms(herald, MESSAGES, 'Herald bench webhooks');
    const deadline = Date.now() + 120_000;
    const sent = async () =>
      (await sql<{ n: number }[]>`select count(*)::int as n from messages where status = 'SENT'`)[0]!.n;
    while ((await sent()) < MESSAGES) {
      if (Date.now() > deadline) throw new Error(`the sandbox did not send ${MESSAGES} messages within 120 s`);
      await sleep(250);
    }
    const ids = (await sql<{ id: string }[]>`select provider_message_id as id from messages order by id`).map(
      (r) => r.id,
    );

    const rows: ResultRow[] = [];
    const notes: string[] = [`${MESSAGES} SENT messages; ${opts.concurrency} clients, one request in flight each`];
    const load = {
      concurrency: opts.concurrency,
      warmupMs: opts.warmupMs,
      durationMs: opts.durationMs,
      serverPid: herald.pid,
    };
    const client = new GraphQLClient(herald.url, herald.apiKey, opts.concurrency);
    const floor = await runLoad(load, () => bareQuery(client)).finally(() => client.close());
    rows.push({
      scenario: 'webhooks',
      case: 'bare { __typename }',
      database: herald.database,
      concurrency: opts.concurrency,
      result: floor,
    });
    for (const [reason, n] of floor.failures) notes.push(`bare query failed ${n}x: ${reason}`);
    const eventsPerSecond: Record<number, number> = {};
    const durable: boolean[] = [];
    let k = 0; // events so far, over both cases
    const timestamp = Math.floor(Date.now() / 1000);
    for (const perRequest of [1, 50]) {
      const count = async () =>
        (
          await sql<{ provider: number; status: number; pending: number }[]>`
          select (select count(*)::int from message_events where kind = 'provider') as provider,
                 (select count(*)::int from message_events where kind = 'status') as status,
                 (select count(*)::int from pending_provider_events) as pending`
        )[0]!;
      const before = await count();
      let acked = 0;
      const post = async () => {
        const events = Array.from({ length: perRequest }, () => {
          const i = k++;
          return {
            id: `bench-${i}`,
            providerMessageId: ids[i % MESSAGES]!,
            status: i < MESSAGES ? 'delivered' : 'read',
            timestamp,
          };
        });
        const body = JSON.stringify({ events });
        const res = await pool.request({ path: '/webhooks/sandbox', method: 'POST', headers: signed(body), body });
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 120)}`);
        acked += perRequest;
      };
      let meter: ReturnType<typeof cpuMeter> | undefined; // over the measured window only
      const window = setTimeout(
        () => (meter = cpuMeter({ Herald: herald.pid, 'bench client': process.pid })),
        opts.warmupMs,
      );
      let cpu = '';
      const end = setTimeout(() => (cpu = meter?.read().text ?? ''), opts.warmupMs + opts.durationMs);
      const result = await runLoad(load, post);
      clearTimeout(window);
      clearTimeout(end);
      const after = await count();
      const stored = after.provider - before.provider;
      eventsPerSecond[perRequest] = result.rps * perRequest;
      durable.push(stored === acked);
      rows.push({
        scenario: 'webhooks',
        case: `${perRequest} event${perRequest > 1 ? 's' : ''}/request`,
        database: herald.database,
        concurrency: opts.concurrency,
        result,
      });
      notes.push(
        `${perRequest}/request: ${(result.rps * perRequest).toFixed(0)} events/s acknowledged in the window (${result.rps.toFixed(0)} requests/s); ` +
          `durability: ${acked} events acknowledged over the whole case, ${stored} provider rows stored ` +
          `(${stored === acked ? 'equal' : `MISMATCH of ${stored - acked}`}), ${after.pending - before.pending} parked; ` +
          `${after.status - before.status} status changes applied`,
        `  ${cpu}`,
      );
      for (const [reason, n] of result.failures) notes.push(`${perRequest}/request failed ${n}x: ${reason}`);
    }
    const mem = memoryKb(herald.pid);
    if (mem)
      notes.push(
        `server RSS after the run: ${(mem.rss / 1024).toFixed(0)} MiB (peak ${(mem.peak / 1024).toFixed(0)} MiB)`,
      );
    const one = eventsPerSecond[1]!;
    const fifty = eventsPerSecond[50]!;
    const targets: Target[] = [
      {
        id: 'P4',
        label: 'ingest, 1 event/request',
        figure: `${one.toFixed(0)} events/s vs bare ${floor.rps.toFixed(0)} req/s`,
        value: one / floor.rps,
        unit: 'x',
        versus: 'bare',
        goal: { cmp: '>=', value: 0.6 },
      },
      {
        id: 'P4',
        label: 'ingest, 50 events/request',
        figure: `${fifty.toFixed(0)} vs ${one.toFixed(0)} events/s at 1/request`,
        value: fifty / one,
        unit: 'x',
        versus: '1/request',
        goal: { cmp: '>=', value: 10 },
      },
    ];
    // Not a ratio: a lost acknowledged event fails the run's purpose whatever the speed.
    if (durable.some((ok) => !ok))
      notes.push('DURABILITY MISMATCH: acknowledged events were not all stored (see above)');
    return { rows, notes, targets };
  } finally {
    await pool.close();
    await sql.end();
    await herald.stop();
  }
}
