import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from './support/callback-receiver.js';
import { eventually } from './support/clock.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { startHerald, randomKey, type TestHerald } from './support/herald.js';
import { killAllWorkers, spawnSupervisedStart, spawnWorker } from './support/herald-process.js';

// /metrics after sandbox traffic: the counters and histograms next to the delivery gauges, with
// the exact figures the traffic makes; on PostgreSQL, also through npm start's two processes,
// where sends are counted in the dispatch process and served by the API's /metrics.

const DATABASE_URL = process.env.DATABASE_URL;
const WEBHOOK_SECRET = 'whsec_metrics_test_secret_0123456789';
const SEND = 'mutation SendOne($input: SendSmsInput!) { sendSms(input: $input) { ... on Message { messageId } } }';

/** A sample's value from Prometheus text; 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

async function readMetrics(url: string, key: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return res.text();
}

async function send(graphqlUrl: string, key: string, to: string, callbackUrl?: string): Promise<string> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: SEND,
      operationName: 'SendOne',
      variables: { input: { to, text: 'metrics', ...(callbackUrl ? { callbackUrl } : {}) } },
    }),
  });
  const body = (await res.json()) as { data: { sendSms: { messageId: string } } };
  return body.data.sendSms.messageId;
}

describe('/metrics in one process', () => {
  let h: TestHerald;
  let receiver: CallbackReceiver;
  beforeAll(async () => {
    h = await startHerald({
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_SANDBOX_DELAY_MS: '20',
      HERALD_RETRY_BASE_MS: '50',
      HERALD_CALLBACK_POLL_MS: '20',
      HERALD_SANDBOX_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    receiver = await startCallbackReceiver({ now: () => new Date() });
  });
  afterAll(async () => {
    await h?.stop();
    await receiver?.close();
  });

  it('counts accepted, sent, failed, delivered and read messages, provider calls, webhooks, callbacks and GraphQL operations', async () => {
    // Read twice (+61491570999), failed for good (…001), one failed attempt then read (…011).
    const ids = await Promise.all(
      ['+61491570999', '+61491570001', '+61491570011'].map((to) => send(h.graphqlUrl, h.adminKey, to, receiver.url)),
    );
    const final = new Set(['READ', 'FAILED']);
    await eventually(
      async () => ids.every((id) => receiver.received.some((c) => c.body.messageId === id && final.has(c.body.status))),
      Boolean,
    );
    // One refused webhook (no valid signature) and one not understood.
    const refused = await fetch(`${h.url}/webhooks/sandbox`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
    await refused.arrayBuffer();
    // And one applied (a report for an id Herald does not know yet is parked: still applied).
    const report = JSON.stringify({ events: [{ providerMessageId: 'sbx_n_0_unknown', status: 'delivered' }] });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${report}`).digest('hex');
    const applied = await fetch(`${h.url}/webhooks/sandbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'herald-sandbox-signature': `t=${t},v1=${v1}` },
      body: report,
    });
    expect(applied.status).toBe(200);
    await applied.arrayBuffer();

    // Callbacks are recorded after their POST is answered: wait until every one is counted.
    const text = await eventually(
      () => readMetrics(h.url, h.adminKey),
      (t) =>
        sample(t, 'herald_callback_delivery_duration_seconds_count', { result: 'delivered' }) ===
        receiver.received.length,
    );
    const sms = { channel: 'SMS' };
    const sandbox = { channel: 'SMS', provider: 'sandbox' };
    expect(sample(text, 'herald_messages_accepted_total', sms)).toBe(3);
    expect(sample(text, 'herald_messages_sent_total', sandbox)).toBe(2);
    expect(sample(text, 'herald_messages_failed_total', sandbox)).toBe(1);
    expect(sample(text, 'herald_messages_delivered_total', sandbox)).toBe(2);
    expect(sample(text, 'herald_messages_read_total', sandbox)).toBe(2);
    // Two calls answered, two refused (the permanent failure, the first attempt of …011).
    expect(sample(text, 'herald_provider_call_duration_seconds_count', { ...sandbox, result: 'ok' })).toBe(2);
    expect(sample(text, 'herald_provider_call_duration_seconds_count', { ...sandbox, result: 'error' })).toBe(2);
    expect(sample(text, 'herald_provider_call_duration_seconds_bucket', { ...sandbox, result: 'ok', le: '+Inf' })).toBe(
      2,
    );
    expect(sample(text, 'herald_webhook_reports_total', { provider: 'sandbox', result: 'bad_signature' })).toBe(1);
    expect(sample(text, 'herald_webhook_reports_total', { provider: 'sandbox', result: 'applied' })).toBe(1);
    expect(receiver.received.length).toBeGreaterThanOrEqual(9);
    expect(sample(text, 'herald_callback_delivery_duration_seconds_count', { result: 'retrying' })).toBe(0);
    expect(
      sample(text, 'herald_graphql_operation_duration_seconds_count', {
        operation: 'SendOne',
        type: 'mutation',
        result: 'ok',
      }),
    ).toBe(3);
    // The delivery gauges are still there, and the subscription count.
    expect(text).toContain('# TYPE herald_messages gauge');
    expect(text).toMatch(/^herald_subscribers 0$/m);
  });

  it("clients cannot grow the series: odd operation names are counted as 'other', anonymous ones as 'anonymous'", async () => {
    const ask = (query: string, operationName?: string) =>
      fetch(h.graphqlUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, ...(operationName ? { operationName } : {}) }),
      }).then((r) => r.arrayBuffer());
    await ask('{ viewer { scopes } }');
    await ask(`query ${'A'.repeat(80)} { viewer { scopes } }`);
    const text = await readMetrics(h.url, h.adminKey);
    expect(
      sample(text, 'herald_graphql_operation_duration_seconds_count', { operation: 'anonymous', type: 'query' }),
    ).toBe(1);
    expect(sample(text, 'herald_graphql_operation_duration_seconds_count', { operation: 'other', type: 'query' })).toBe(
      1,
    );
    expect(text).not.toContain('A'.repeat(80));
  });
});

describe.skipIf(!DATABASE_URL)('/metrics under npm start (API and dispatch processes)', () => {
  let database: TestDatabase;
  afterAll(async () => {
    await killAllWorkers();
    await database?.drop();
  });

  it("the API's /metrics includes what the dispatch process counted (sends, provider calls)", async () => {
    database = await createTestDatabase();
    const key = randomKey();
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const start = spawnSupervisedStart(
      {
        DATABASE_URL: database.url!,
        PORT: String(port),
        HOST: '127.0.0.1',
        HERALD_BOOTSTRAP_API_KEY: key,
        HERALD_POLL_MS: '100',
        HERALD_SANDBOX_DELAY_MS: '50',
      },
      { readyTimeoutMs: 90_000 },
    );
    await start.ready;
    const url = `http://127.0.0.1:${port}`;
    await send(`${url}/graphql`, key, '+61491570999');
    await send(`${url}/graphql`, key, '+61491570001');
    const text = await eventually(
      () => readMetrics(url, key),
      (t) => sample(t, 'herald_messages_read_total', { channel: 'SMS', provider: 'sandbox' }) === 1,
      30_000,
    );
    const sandbox = { channel: 'SMS', provider: 'sandbox' };
    // Counted by the API process.
    expect(sample(text, 'herald_messages_accepted_total', { channel: 'SMS' })).toBe(2);
    expect(sample(text, 'herald_graphql_operation_duration_seconds_count', { operation: 'SendOne' })).toBe(2);
    // Counted by the dispatch process.
    expect(sample(text, 'herald_messages_sent_total', sandbox)).toBe(1);
    expect(sample(text, 'herald_messages_failed_total', sandbox)).toBe(1);
    expect(sample(text, 'herald_provider_call_duration_seconds_count', { ...sandbox, result: 'ok' })).toBe(1);
    // Each metric once: merged, not listed per process.
    expect(text.match(/^# TYPE herald_messages_sent_total counter$/gm)).toHaveLength(1);
    await start.kill('SIGTERM');
  }, 120_000);

  it('a worker started on its own serves its figures on HERALD_METRICS_PORT; the API serves its own', async () => {
    const shared = await createTestDatabase();
    const api = await startHerald({}, {}, { database: shared });
    const metricsPort = 20_000 + Math.floor(Math.random() * 12_000);
    const worker = spawnWorker({
      DATABASE_URL: shared.url!,
      HERALD_POLL_MS: '50',
      HERALD_SANDBOX_DELAY_MS: '50',
      HERALD_METRICS_PORT: String(metricsPort),
    });
    try {
      await worker.ready;
      await send(api.graphqlUrl, api.adminKey, '+61491570400');
      const sandbox = { channel: 'SMS', provider: 'sandbox' };
      const text = await eventually(
        () => fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text()),
        (t) => sample(t, 'herald_messages_delivered_total', sandbox) === 1,
        30_000,
      );
      expect(sample(text, 'herald_messages_sent_total', sandbox)).toBe(1);
      expect(sample(text, 'herald_provider_call_duration_seconds_count', { ...sandbox, result: 'ok' })).toBe(1);
      // Nothing else is served there.
      expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
      const own = await readMetrics(api.url, api.adminKey);
      expect(sample(own, 'herald_messages_accepted_total', { channel: 'SMS' })).toBe(1);
      expect(sample(own, 'herald_messages_sent_total', sandbox)).toBe(0);
    } finally {
      await worker.kill('SIGTERM');
      await api.stop();
      await shared.drop();
    }
  }, 120_000);
});
