import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { withRequestId } from '../src/observability/request-context.js';
import { getSdk } from './client/sdk.js';
import { startCallbackReceiver, type CallbackReceiver } from './support/callback-receiver.js';
import { eventually } from './support/clock.js';
import { startHerald, type TestHerald } from './support/herald.js';
import { spawnServer } from './support/herald-process.js';

// What operators follow a message by: a request id from the API call through dispatch (the
// provider attempts' log lines) to the customer's callback.

type Line = { level: number; msg: string; requestId?: string; [k: string]: unknown };

let h: TestHerald;
let receiver: CallbackReceiver;
beforeAll(async () => {
  h = await startHerald({
    HERALD_WORKERS: '1',
    HERALD_POLL_MS: '20',
    HERALD_SANDBOX_DELAY_MS: '20',
    HERALD_RETRY_BASE_MS: '50',
    HERALD_CALLBACK_POLL_MS: '20',
  });
  receiver = await startCallbackReceiver({ now: () => new Date() });
});
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
});

const sentCallback = (messageId: string) =>
  eventually(
    async () => receiver.received.some((c) => c.body.messageId === messageId && c.body.status === 'SENT'),
    Boolean,
  );

const lines = (): Line[] => h.logLines().map((l) => JSON.parse(l) as Line);

async function sendSms(to: string, requestId?: string): Promise<{ res: Response; messageId: string }> {
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${h.adminKey}`,
      'content-type': 'application/json',
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
    },
    body: JSON.stringify({
      query: 'mutation($input: SendSmsInput!) { sendSms(input: $input) { ... on Message { messageId } } }',
      variables: { input: { to, text: 'hello', callbackUrl: receiver.url } },
    }),
  });
  const body = (await res.json()) as { data: { sendSms: { messageId: string } } };
  return { res, messageId: body.data.sendSms.messageId };
}

describe('request ids', () => {
  it("a caller's safe x-request-id is answered back; a missing, long or unsafe one is replaced by a generated id", async () => {
    const health = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.42' } });
    expect(health.headers.get('x-request-id')).toBe('lb-7f3a.42');
    for (const given of [undefined, 'x'.repeat(129), 'a b', 'évil', 'line\tbreak', '']) {
      const res = await fetch(`${h.url}/healthz`, { headers: given === undefined ? {} : { 'x-request-id': given } });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(id).not.toBe(given);
    }
    // Two requests without one get different ids; so do refused ones (401 here).
    const a = await fetch(h.graphqlUrl, { method: 'POST' });
    const b = await fetch(h.graphqlUrl, { method: 'POST' });
    expect(a.status).toBe(401);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('follows a send: its provider attempts are logged with it and its callbacks carry it as X-Request-Id', async () => {
    // The sandbox fails +6149157001N N times before sending: one failed attempt, then SENT.
    const { res, messageId } = await sendSms('+61491570011', 'order-4711-send');
    expect(res.headers.get('x-request-id')).toBe('order-4711-send');
    await sentCallback(messageId);
    const failed = lines().find((l) => l.msg === 'provider attempt failed, will retry' && l.messageId === messageId);
    expect(failed).toMatchObject({ requestId: 'order-4711-send', provider: 'sandbox', attempt: 1 });
    const callbacks = receiver.received.filter((c) => c.body.messageId === messageId);
    expect(callbacks.length).toBeGreaterThanOrEqual(2); // QUEUED, SENT
    for (const c of callbacks) expect(c.headers['x-request-id']).toBe('order-4711-send');
    // Tracing is off (no OTEL_EXPORTER_OTLP_ENDPOINT): no trace context is stored or sent.
    for (const c of callbacks) expect(c.headers.traceparent).toBeUndefined();
    const stored = await h.herald.services.db.query.messages.findFirst({ where: (m, { eq }) => eq(m.id, messageId) });
    expect(stored).toMatchObject({ requestId: 'order-4711-send', traceParent: null });
  });

  it('a send without an id gets the generated one, answered and carried the same way', async () => {
    const { res, messageId } = await sendSms('+61491570012');
    const generated = res.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await sentCallback(messageId);
    const failed = lines().filter((l) => l.msg === 'provider attempt failed, will retry' && l.messageId === messageId);
    expect(failed).toHaveLength(2);
    for (const l of failed) expect(l.requestId).toBe(generated);
    expect(receiver.received.find((c) => c.body.messageId === messageId)?.headers['x-request-id']).toBe(generated);
  });
});

describe('request ids over the WebSocket', () => {
  it('each mutation over graphql-ws is a request of its own: its send is followed by a new id', async () => {
    const client = createClient({
      url: h.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: h.adminKey },
    });
    const send = async (to: string) => {
      for await (const r of client.iterate({
        query: 'mutation($input: SendSmsInput!) { sendSms(input: $input) { ... on Message { messageId } } }',
        variables: { input: { to, text: 'hello', callbackUrl: receiver.url } },
      })) {
        return (r.data as { sendSms: { messageId: string } }).sendSms.messageId;
      }
      throw new Error('no answer');
    };
    try {
      const ids = [await send('+61491570013'), await send('+61491570014')];
      const requestIds = [];
      for (const messageId of ids) {
        const sent = await sentCallback(messageId);
        const header = receiver.received.find((c) => c.body.messageId === messageId)?.headers['x-request-id'];
        expect(sent).toBe(true);
        expect(header).toMatch(/^[0-9a-f-]{36}$/);
        const stored = await h.herald.services.db.query.messages.findFirst({
          where: (m, { eq }) => eq(m.id, messageId),
        });
        expect(stored?.requestId).toBe(header);
        requestIds.push(header);
      }
      expect(requestIds[0]).not.toBe(requestIds[1]);
    } finally {
      await client.dispose();
    }
  });
});

describe('request ids of campaign recipients', () => {
  it('the request that added them names their callbacks', async () => {
    const sdk = getSdk(
      new GraphQLClient(h.graphqlUrl, {
        headers: { authorization: `Bearer ${h.adminKey}`, 'x-request-id': 'campaign-add-1' },
      }),
    );
    const created = await sdk.CreateCampaign({
      input: { name: 'traced', channel: 'SMS', content: { sms: { text: 'Hi {{1}}' } }, callbackUrl: receiver.url },
    });
    if (created.createCampaign.__typename !== 'Campaign') throw new Error(created.createCampaign.__typename);
    const id = created.createCampaign.id;
    const added = await sdk.AddCampaignRecipients({
      campaignId: id,
      recipients: [{ to: '+61491570998', params: ['A'] }],
    });
    expect(added.addCampaignRecipients.__typename).toBe('CampaignRecipientsAdded');
    const started = await sdk.StartCampaign({ id });
    expect(started.startCampaign.__typename).toBe('Campaign');
    const sent = await eventually(
      async () => receiver.received.find((c) => c.body.to === '+61491570998' && c.body.status === 'SENT'),
      Boolean,
    );
    expect(sent!.headers['x-request-id']).toBe('campaign-add-1');
  });
});

describe('log lines', () => {
  it('every line written during a request carries its id; lines outside one carry none', () => {
    const out: string[] = [];
    const log = createLogger('info', { write: (line: string) => void out.push(line) });
    withRequestId('req-1', () => log.info('inside'));
    log.info('outside');
    withRequestId('req-1', () => log.info({ requestId: 'req-2' }, 'explicit'));
    const [inside, outside, explicit] = out.map((l) => JSON.parse(l) as Line);
    expect(inside).toMatchObject({ msg: 'inside', requestId: 'req-1' });
    expect(outside!.requestId).toBeUndefined();
    expect(explicit!.requestId).toBe('req-2');
  });

  it('starting says what it does and how long each step took: JSON lines when stdout is not a terminal, human lines on request', async () => {
    for (const format of ['auto', 'pretty'] as const) {
      const dataDir = await mkdtemp(join(tmpdir(), 'herald-obs-'));
      const server = spawnServer(
        {
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          HERALD_DATA_DIR: dataDir,
          HERALD_WORKERS: '0',
          LOG_FORMAT: format,
          ...(h.databaseUrl ? { DATABASE_URL: h.databaseUrl, HERALD_PROCESSES: 'single' } : {}),
        },
        { readyTimeoutMs: 120_000 },
      );
      try {
        await server.ready;
        const out = server.output();
        if (format === 'auto') {
          const logged = out
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Line);
          const msgs = logged.map((l) => l.msg);
          expect(msgs).toEqual(
            expect.arrayContaining([
              'migrating the database',
              'database migrated',
              'opening the HTTP port',
              'HTTP port open',
              'bootstrapping the operator tenant',
              'operator tenant ready',
              'Herald is listening',
            ]),
          );
          expect(logged.find((l) => l.msg === 'database migrated')!.ms).toEqual(expect.any(Number));
          expect(logged.find((l) => l.msg === 'Herald is listening')!.startupMs).toEqual(expect.any(Number));
        } else {
          // pino-pretty: "[time] INFO (pid): message", no JSON.
          expect(out).toMatch(/INFO \(\d+\): database migrated/);
          expect(out).not.toMatch(/^\{"level"/m);
        }
      } finally {
        await server.kill('SIGTERM');
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }, 240_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
