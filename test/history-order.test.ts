import { createHmac } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MessageQuery } from './client/sdk.js';
import { startCallbackReceiver, type CallbackBody, type CallbackReceiver } from './support/callback-receiver.js';
import { eventually, TestClock } from './support/clock.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// A message's history is the order in which its status changed, whatever time a provider puts on
// its reports: a report stamped before SENT (a provider clock behind Herald's, or a report that
// waited for the send's bookkeeping) must not move DELIVERED ahead of SENDING/SENT in
// Message.events, in the replay of messageStatusChanged, or in callbacks. The provider's time is
// kept, apart, as reportedAt. Reports come through the signed sandbox webhook; the sandbox's own
// timed reports are an hour out.

type Message = NonNullable<MessageQuery['message']>;
type Body = CallbackBody & { reportedAt?: string | null };

const SECRET = 'whsec_sandbox_history_0123456789';
const clock = new TestClock();
let h: TestHerald;
let sdk: Sdk;
let rx: CallbackReceiver;

beforeAll(async () => {
  h = await startHerald(
    {
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_SANDBOX_DELAY_MS: '3600000',
      HERALD_RECONCILE_AFTER_MS: '86400000',
      HERALD_SANDBOX_WEBHOOK_SECRET: SECRET,
      HERALD_CALLBACK_POLL_MS: '20',
    },
    { now: clock.now },
  );
  sdk = h.sdk();
  rx = await startCallbackReceiver({ now: clock.now });
  const ep = await sdk.CreateWebhookEndpoint({ input: { url: rx.url } });
  if (ep.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint')
    throw new Error(JSON.stringify(ep.createWebhookEndpoint));
  rx.secret = ep.createWebhookEndpoint.secret;
});
afterAll(async () => {
  await h?.stop();
  await rx?.close();
});

const load = async (id: string): Promise<Message> => (await sdk.Message({ id })).message!;

function report(events: Array<{ providerMessageId: string; status: string; timestamp: number }>): Promise<Response> {
  const body = JSON.stringify({ events });
  const t = Math.floor(clock.now().getTime() / 1000);
  const signature = `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
  return fetch(`${h.url}/webhooks/sandbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'herald-sandbox-signature': signature },
    body,
  });
}

type Step = { status: string | null; previousStatus: string | null; occurredAt: string; reportedAt?: string | null };

/** Each status names the one before it, the first names none, and time never goes backwards. */
function expectChangeOrder(steps: Step[], current: string) {
  expect(steps.map((s) => s.previousStatus)).toEqual([null, ...steps.slice(0, -1).map((s) => s.status)]);
  expect(steps.at(-1)!.status).toBe(current);
  const times = steps.map((s) => Date.parse(s.occurredAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

/** What a new messageStatusChanged subscriber is replayed (the history, as many events as it has). */
async function replay(messageId: string, count: number): Promise<Step[]> {
  const client = createClient({
    url: h.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { apiKey: h.adminKey },
  });
  try {
    const iter = client.iterate<{ messageStatusChanged: Step }>({
      query: 'subscription($id: ID!) { messageStatusChanged(id: $id) { status previousStatus occurredAt reportedAt } }',
      variables: { id: messageId },
    });
    const seen: Step[] = [];
    for await (const next of iter) {
      seen.push(next.data!.messageStatusChanged);
      if (seen.length === count) break;
    }
    return seen;
  } finally {
    await client.dispose();
  }
}

async function checkEverywhere(messageId: string, providerTime: number) {
  const m = await load(messageId);
  expect(m.status).toBe('DELIVERED');
  const statusEvents = m.events.filter((e) => e.kind === 'status');
  expectChangeOrder(statusEvents, 'DELIVERED');
  // The provider's own time is kept, on the report and on the change it caused.
  const delivered = statusEvents.at(-1)!;
  expect(Date.parse(delivered.reportedAt!)).toBe(providerTime);
  expect(Date.parse(delivered.occurredAt)).toBeGreaterThan(providerTime);
  expect(statusEvents.slice(0, -1).every((e) => e.reportedAt === null)).toBe(true);
  const providerReport = m.events.find((e) => e.kind === 'provider')!;
  expect(Date.parse(providerReport.reportedAt!)).toBe(providerTime);
  // The whole history (reports included) is in recording order: the report sits after SENT.
  expect(m.events.map((e) => `${e.kind}:${e.status}`)).toEqual([
    ...statusEvents.slice(0, -1).map((e) => `status:${e.status}`),
    'provider:DELIVERED',
    'status:DELIVERED',
  ]);

  const replayed = await replay(messageId, statusEvents.length);
  expect(replayed).toEqual(
    statusEvents.map(({ status, previousStatus, occurredAt, reportedAt }) => ({
      status,
      previousStatus,
      occurredAt,
      reportedAt,
    })),
  );

  const bodies = await eventually(
    async () => rx.received.map((c) => c.body as Body).filter((b) => b.messageId === messageId),
    (bs) => bs.length === statusEvents.length,
  );
  expectChangeOrder(bodies, 'DELIVERED');
  expect(bodies.map((b) => b.status)).toEqual(statusEvents.map((e) => e.status));
  expect(Date.parse(bodies.at(-1)!.reportedAt!)).toBe(providerTime);
  expect(bodies.slice(0, -1).every((b) => b.reportedAt === null)).toBe(true);
  expect(rx.rejected).toEqual([]);
}

describe('history in change order, with the provider time apart', () => {
  it('a report stamped seconds before SENT by a provider clock running behind', async () => {
    const r = await sdk.SendEmail({ input: { to: ['behind@example.com'], subject: 'Invoice', text: 'due' } });
    if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
    const id = r.sendEmail.messageId;
    const sent = await eventually(
      () => load(id),
      (m) => m.status === 'SENT',
    );
    const sentAt = Date.parse(sent.events.find((e) => e.status === 'SENT')!.occurredAt);
    const providerTime = (Math.floor(sentAt / 1000) - 10) * 1000;
    clock.advance(1000);
    expect(
      (
        await report([
          { providerMessageId: sent.providerMessageId!, status: 'delivered', timestamp: providerTime / 1000 },
        ])
      ).status,
    ).toBe(200);
    await eventually(
      () => load(id),
      (m) => m.status === 'DELIVERED',
    );
    await checkEverywhere(id, providerTime);
  });

  it('a report that arrived before the send recorded the provider id, stamped before the send', async () => {
    const sendAt = clock.now().getTime() + 60_000;
    const r = await sdk.SendEmail({
      input: { to: ['early@example.com'], subject: 'Later', text: 'x', sendAt: new Date(sendAt).toISOString() },
    });
    if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
    const id = r.sendEmail.messageId;
    // The sandbox's ids are derived from the send time and the message id: known in advance.
    const providerTime = (Math.floor(sendAt / 1000) - 5) * 1000;
    const early = { providerMessageId: `sbx_n_${sendAt}_${id}`, status: 'delivered', timestamp: providerTime / 1000 };
    expect((await report([early])).status).toBe(200);
    expect((await load(id)).status).toBe('SCHEDULED');

    clock.advance(60_000);
    await eventually(
      () => load(id),
      (m) => m.status === 'DELIVERED',
    );
    await checkEverywhere(id, providerTime);
  });
});
