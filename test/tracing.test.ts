import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from './support/callback-receiver.js';
import { eventually } from './support/clock.js';
import { randomKey, startHerald, type TestHerald } from './support/herald.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { killAllWorkers, spawnServer, spawnSupervisedStart } from './support/herald-process.js';

// OpenTelemetry spans, collected in memory: one connected trace from a GraphQL send through its
// accept and dispatch (across the queue, by the traceparent stored with the message) to the
// provider call; and from a provider's webhook through the status change to the callback POST.

const WEBHOOK_SECRET = 'whsec_tracing_test_secret_0123456789';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let h: TestHerald;
let receiver: CallbackReceiver;

beforeAll(async () => {
  provider.register();
  h = await startHerald({
    HERALD_WORKERS: '1',
    HERALD_POLL_MS: '20',
    HERALD_CALLBACK_POLL_MS: '20',
    // No report of the sandbox's own: the webhook below is the only one.
    HERALD_SANDBOX_DELAY_MS: '600000',
    HERALD_SANDBOX_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
  receiver = await startCallbackReceiver({ now: () => new Date() });
});
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
  await provider.shutdown();
  // Other test files may share this process: leave no global tracer behind.
  trace.disable();
  context.disable();
  propagation.disable();
});

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;
const named = (prefix: string, traceId?: string) =>
  spans().filter((s) => s.name.startsWith(prefix) && (traceId === undefined || s.spanContext().traceId === traceId));

async function sendSms(to: string): Promise<{ messageId: string; traceparent: string | null }> {
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation TracedSend($input: SendSmsInput!) { sendSms(input: $input) { ... on Message { messageId } } }',
      operationName: 'TracedSend',
      variables: { input: { to, text: 'traced', callbackUrl: receiver.url } },
    }),
  });
  const body = (await res.json()) as { data: { sendSms: { messageId: string } } };
  return { messageId: body.data.sendSms.messageId, traceparent: res.headers.get('traceparent') };
}

describe('traces', () => {
  it('a GraphQL send is one trace: operation -> accept -> dispatch -> provider call', async () => {
    const { messageId } = await sendSms('+61491570999');
    const call = await eventually(async () => spans().find((s) => s.name === 'provider.send sandbox'), Boolean);
    const traceId = call!.spanContext().traceId;
    const [operation] = named('graphql.mutation TracedSend', traceId);
    const [accept] = named('message.accept', traceId);
    const [dispatch] = named('message.dispatch', traceId);
    expect(operation).toBeDefined();
    expect(accept?.attributes['herald.message_id']).toBe(messageId);
    expect(dispatch?.attributes['herald.message_id']).toBe(messageId);
    // Each is the child of the one before: connected, not merely in the same trace.
    expect(parentOf(operation!)).toBeUndefined();
    expect(parentOf(accept!)).toBe(operation!.spanContext().spanId);
    expect(parentOf(dispatch!)).toBe(accept!.spanContext().spanId);
    expect(parentOf(call!)).toBe(dispatch!.spanContext().spanId);
    expect(call!.attributes).toMatchObject({ 'herald.provider': 'sandbox', 'herald.channel': 'SMS' });
  });

  it('a REST send is one trace too: request -> accept -> dispatch -> provider call', async () => {
    const res = await fetch(`${h.url}/api/sms/send-sms-api`, {
      method: 'POST',
      headers: { apikey: h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: '61491570997', smstext: 'rest traced' }),
    });
    const body = (await res.json()) as { messageId: string };
    expect(res.status).toBe(200);
    const dispatch = await eventually(
      async () => named('message.dispatch').find((s) => s.attributes['herald.message_id'] === body.messageId),
      Boolean,
    );
    const traceId = dispatch!.spanContext().traceId;
    const [request] = named('rest.request', traceId);
    const [accept] = named('message.accept', traceId);
    expect(request!.attributes['url.path']).toBe('/api/sms/send-sms-api');
    expect(parentOf(accept!)).toBe(request!.spanContext().spanId);
    expect(parentOf(dispatch!)).toBe(accept!.spanContext().spanId);
    await eventually(
      async () => named('provider.send sandbox', traceId).length,
      (n) => n === 1,
    );
  });

  it("a provider's webhook is one trace: webhook -> status change -> callback POST, whose traceparent the receiver gets", async () => {
    const { messageId } = await sendSms('+61491570998');
    const row = await eventually(
      () => h.herald.services.db.query.messages.findFirst({ where: (m, { eq }) => eq(m.id, messageId) }),
      (m) => m?.status === 'SENT',
    );
    const body = JSON.stringify({
      events: [{ providerMessageId: row!.providerMessageId, status: 'delivered', id: 'trace-test-1' }],
    });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
    const res = await fetch(`${h.url}/webhooks/sandbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'herald-sandbox-signature': `t=${t},v1=${v1}` },
      body,
    });
    expect(res.status).toBe(200);
    const delivered = await eventually(
      async () => receiver.received.find((c) => c.body.messageId === messageId && c.body.status === 'DELIVERED'),
      Boolean,
    );
    const [webhook] = named('webhook.receive sandbox');
    expect(webhook).toBeDefined();
    const traceId = webhook!.spanContext().traceId;
    const [apply] = named('status.apply', traceId);
    expect(parentOf(apply!)).toBe(webhook!.spanContext().spanId);
    const post = await eventually(
      async () => named('callback.deliver', traceId).find((s) => s.attributes['herald.message_id'] === messageId),
      Boolean,
    );
    expect(parentOf(post!)).toBe(apply!.spanContext().spanId);
    // The receiver can continue the trace: the POST carried its context.
    expect(delivered!.headers.traceparent).toBe(`00-${traceId}-${post!.spanContext().spanId}-01`);
  });
});

describe('tracing in a started Herald', () => {
  it('OTEL_EXPORTER_OTLP_ENDPOINT turns it on: spans of a request reach the collector over OTLP/HTTP', async () => {
    const received: string[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces') received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const dataDir = await mkdtemp(join(tmpdir(), 'herald-otel-'));
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const key = randomKey();
    const server = spawnServer(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        HERALD_DATA_DIR: dataDir,
        HERALD_WORKERS: '0',
        HERALD_BOOTSTRAP_API_KEY: key,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        ...(h.databaseUrl ? { DATABASE_URL: h.databaseUrl, HERALD_PROCESSES: 'single' } : {}),
      },
      { readyTimeoutMs: 120_000 },
    );
    try {
      await server.ready;
      expect(server.output()).toContain('sending traces over OTLP');
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query WhoAmI { viewer { scopes } }', operationName: 'WhoAmI' }),
      });
      expect(res.status).toBe(200);
      await eventually(async () => received.some((body) => body.includes('graphql.query WhoAmI')), Boolean, 15_000);
      expect(received.join('')).toContain('"herald"'); // service.name
    } finally {
      await server.kill('SIGTERM');
      await new Promise((resolve) => collector.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe.skipIf(!process.env.DATABASE_URL)('tracing under npm start (API and dispatch processes)', () => {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await killAllWorkers();
    await database?.drop();
  });

  it('a send accepted by the API process and dispatched by the dispatch process is one trace', async () => {
    type OtlpSpan = { name: string; traceId: string; spanId: string; parentSpanId?: string };
    const spansSeen: OtlpSpan[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
        };
        for (const r of body.resourceSpans ?? [])
          for (const s of r.scopeSpans ?? []) spansSeen.push(...(s.spans ?? []));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    database = await createTestDatabase();
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const key = randomKey();
    const start = spawnSupervisedStart(
      {
        DATABASE_URL: database.url!,
        PORT: String(port),
        HOST: '127.0.0.1',
        HERALD_BOOTSTRAP_API_KEY: key,
        HERALD_POLL_MS: '100',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      { readyTimeoutMs: 90_000 },
    );
    try {
      await start.ready;
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation CrossProcess { sendSms(input: { to: "+61491570999", text: "x" }) { __typename } }',
        }),
      });
      expect(res.status).toBe(200);
      const call = await eventually(
        async () => spansSeen.find((s) => s.name === 'provider.send sandbox'),
        Boolean,
        30_000,
      );
      const trace = spansSeen.filter((s) => s.traceId === call!.traceId);
      const byName = (name: string) => trace.find((s) => s.name === name);
      const operation = byName('graphql.mutation CrossProcess');
      const accept = byName('message.accept');
      const dispatch = byName('message.dispatch');
      expect(operation && accept && dispatch).toBeTruthy();
      expect(accept!.parentSpanId).toBe(operation!.spanId);
      expect(dispatch!.parentSpanId).toBe(accept!.spanId);
      expect(call!.parentSpanId).toBe(dispatch!.spanId);
    } finally {
      await start.kill('SIGTERM');
      await new Promise((resolve) => collector.close(resolve));
    }
  }, 120_000);
});
