import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageCallbacksQuery, MessageStatus } from './client/sdk.js';
import { startCallbackReceiver, type CallbackBody, type CallbackReceiver } from './support/callback-receiver.js';
import { eventually, TestClock } from './support/clock.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Customer callbacks end to end: sandbox messages change status, Herald POSTs each change to
// real local receivers that verify the signature as a customer would. Time is an injected
// clock: retries are reached by moving it, never by sleeping.

type Deliveries = NonNullable<MessageCallbacksQuery['message']>['callbackDeliveries'];

const clock = new TestClock();
let h: TestHerald;
const receivers: CallbackReceiver[] = [];

beforeAll(async () => {
  h = await startHerald(
    {
      HERALD_WORKERS: '2',
      HERALD_POLL_MS: '20',
      HERALD_SANDBOX_DELAY_MS: '20',
      HERALD_CALLBACK_WORKERS: '2',
      HERALD_CALLBACK_POLL_MS: '20',
      HERALD_CALLBACK_TIMEOUT_MS: '2000',
      HERALD_CALLBACK_RETRY_BASE_MS: '1000',
      HERALD_CALLBACK_RETRY_CAP_MS: '60000',
    },
    // Half of the backoff ceiling every time: retry n is due 0.5 x 1000 x 2^(n-1) ms later.
    { now: clock.now, random: () => 0.5 },
  );
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(() => h?.stop());

async function receiver(secret?: string): Promise<CallbackReceiver> {
  const r = await startCallbackReceiver({ now: clock.now, ...(secret ? { secret } : {}) });
  receivers.push(r);
  return r;
}

/** A fresh tenant, so that its endpoints see only this test's messages. */
async function tenant(name: string): Promise<Sdk> {
  const created = await h.sdk().CreateTenant({ name });
  if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(created.createTenant));
  return h.sdk(created.createTenant.key);
}

async function endpoint(sdk: Sdk, url: string, events?: MessageStatus[]): Promise<{ id: string; secret: string }> {
  const r = await sdk.CreateWebhookEndpoint({ input: { url, ...(events ? { events } : {}) } });
  if (r.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint')
    throw new Error(JSON.stringify(r.createWebhookEndpoint));
  return { id: r.createWebhookEndpoint.endpoint.id, secret: r.createWebhookEndpoint.secret };
}

async function send(sdk: Sdk, to: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await sdk.SendSms({ input: { to, text: 'callback test', ...extra } });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  return r.sendSms.messageId;
}

const FINAL = ['READ', 'UNDELIVERED', 'FAILED'];

/** The message's status history, once it has reached its final status. */
async function finalHistory(sdk: Sdk, id: string): Promise<string[]> {
  const m = await eventually(
    async () => (await sdk.Message({ id })).message!,
    (x) => FINAL.includes(x.status),
  );
  return m.events.filter((e) => e.kind === 'status').map((e) => e.status!);
}

const deliveriesOf = async (sdk: Sdk, id: string): Promise<Deliveries> =>
  (await sdk.MessageCallbacks({ id })).message!.callbackDeliveries;

/** Waits until every delivery of the message is settled (none pending) and returns them. */
const settled = (sdk: Sdk, id: string, count: number) =>
  eventually(
    () => deliveriesOf(sdk, id),
    (ds) => ds.length === count && ds.every((d) => d.status !== 'PENDING'),
  );

const bodiesFor = (r: CallbackReceiver, messageId: string): CallbackBody[] =>
  r.received.map((c) => c.body).filter((b) => b.messageId === messageId);

describe('callbacks to endpoints', () => {
  it('POSTs every status change of every message, signed, in order, with what receivers read', async () => {
    const sdk = await tenant('Callbacks Inc');
    const rx = await receiver();
    const ep = await endpoint(sdk, rx.url);
    rx.secret = ep.secret;

    const read = await send(sdk, '+918800001234', { externalRef: 'INV-1001' });
    const undelivered = await send(sdk, '+61491570500');
    const failed = await send(sdk, '+61491570001');

    const expected: Record<string, string[]> = {};
    for (const id of [read, undelivered, failed]) expected[id] = await finalHistory(sdk, id);
    expect(expected[read]).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
    for (const id of [read, undelivered, failed]) await settled(sdk, id, expected[id]!.length);

    for (const id of [read, undelivered, failed]) {
      const bodies = bodiesFor(rx, id);
      expect(bodies.map((b) => b.status)).toEqual(expected[id]);
      // Each event names the one before it: nothing was skipped or reordered.
      expect(bodies.map((b) => b.previousStatus)).toEqual([null, ...expected[id]!.slice(0, -1)]);
    }
    expect(rx.rejected).toEqual([]);

    // The SMSMedia guide's receiver reads these three fields and nothing else.
    const last = (id: string) => {
      const { messageId, status, errorCode } = bodiesFor(rx, id).at(-1)!;
      return { messageId, status, errorCode };
    };
    expect(last(read)).toEqual({ messageId: read, status: 'READ', errorCode: null });
    expect(last(undelivered)).toEqual({
      messageId: undelivered,
      status: 'UNDELIVERED',
      errorCode: 'SANDBOX_UNREACHABLE',
    });
    expect(last(failed)).toEqual({ messageId: failed, status: 'FAILED', errorCode: 'SANDBOX_REJECTED' });

    const first = rx.received.find((c) => c.body.messageId === read)!;
    expect(first.body).toMatchObject({
      channel: 'SMS',
      to: '+918800001234',
      externalRef: 'INV-1001',
      status: 'QUEUED',
    });
    expect(Date.parse(first.body.occurredAt)).not.toBeNaN();
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['herald-event-id']).toBe(first.body.eventId);
    expect(first.headers['herald-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(new Set(rx.received.map((c) => c.body.eventId)).size).toBe(rx.received.length);

    // Every attempt is on record, per message and per endpoint.
    const ds = await deliveriesOf(sdk, read);
    expect(ds.map((d) => d.eventStatus)).toEqual(expected[read]);
    for (const d of ds) {
      expect(d).toMatchObject({
        status: 'DELIVERED',
        attemptCount: 1,
        lastStatusCode: 204,
        url: rx.url,
        endpoint: { id: ep.id },
      });
      expect(d.attempts).toEqual([expect.objectContaining({ number: 1, statusCode: 204, error: null, url: rx.url })]);
    }
    const byEndpoint = await sdk.WebhookEndpointDeliveries({ id: ep.id, first: 100 });
    if (byEndpoint.node?.__typename !== 'WebhookEndpoint') throw new Error('endpoint not found');
    expect(byEndpoint.node.deliveries).toHaveLength(Object.values(expected).flat().length);
    expect(byEndpoint.node.deliveries.every((d) => d.status === 'DELIVERED' && d.attempts[0]?.statusCode === 204)).toBe(
      true,
    );
  });

  it('sends only the statuses an endpoint subscribes to, and nothing once it is disabled', async () => {
    const sdk = await tenant('Picky Co');
    const rx = await receiver();
    const ep = await endpoint(sdk, rx.url, ['DELIVERED', 'UNDELIVERED', 'FAILED']);
    rx.secret = ep.secret;

    const ok = await send(sdk, '+918800001234');
    const undelivered = await send(sdk, '+61491570500');
    const failed = await send(sdk, '+61491570001');
    for (const id of [ok, undelivered, failed]) await finalHistory(sdk, id);
    for (const id of [ok, undelivered, failed]) await settled(sdk, id, 1);
    expect(rx.received.map((c) => [c.body.messageId, c.body.status]).sort()).toEqual(
      [
        [ok, 'DELIVERED'],
        [undelivered, 'UNDELIVERED'],
        [failed, 'FAILED'],
      ].sort(),
    );

    const disabled = await sdk.UpdateWebhookEndpoint({ id: ep.id, input: { enabled: false } });
    expect(disabled.updateWebhookEndpoint).toMatchObject({ __typename: 'WebhookEndpoint', enabled: false });
    const later = await send(sdk, '+918800001234');
    await finalHistory(sdk, later);
    expect(await deliveriesOf(sdk, later)).toEqual([]);
    expect(rx.received).toHaveLength(3);
  });
});

describe('per-message callbackUrl', () => {
  it('POSTs to the message callbackUrl too, signed with the tenant callback secret', async () => {
    const sdk = await tenant('Per Message Ltd');
    const rotated = await sdk.RotateCallbackSecret();
    const own = await receiver(rotated.rotateCallbackSecret.secret);
    const hooks = await receiver();
    hooks.secret = (await endpoint(sdk, hooks.url)).secret;

    const id = await send(sdk, '+918800001234', { callbackUrl: own.url });
    const history = await finalHistory(sdk, id);
    const ds = await settled(sdk, id, 2 * history.length);

    expect(bodiesFor(own, id).map((b) => b.status)).toEqual(history);
    expect(bodiesFor(hooks, id).map((b) => b.status)).toEqual(history);
    expect(own.rejected).toEqual([]);
    expect(hooks.rejected).toEqual([]);
    const toOwn = ds.filter((d) => d.endpoint === null);
    expect(toOwn.map((d) => [d.url, d.status, d.eventStatus])).toEqual(history.map((s) => [own.url, 'DELIVERED', s]));
    // The same event carries the same id to both destinations: receivers can dedupe on it.
    expect(bodiesFor(own, id).map((b) => b.eventId)).toEqual(bodiesFor(hooks, id).map((b) => b.eventId));
  });
});

describe('a receiver that is down for a while', () => {
  it('gets every event once it is back, signed and in order per message, with every attempt on record', async () => {
    const sdk = await tenant('Flaky Receiver GmbH');
    const rx = await receiver();
    const ep = await endpoint(sdk, rx.url);
    rx.secret = ep.secret;
    rx.mode = 'down';

    const ids = [
      await send(sdk, '+918800001234'),
      await send(sdk, '+918800001235'),
      await send(sdk, '+61491570500'),
      await send(sdk, '+61491570012'), // the provider fails it twice first; its retries wait for the clock too
    ];
    const histories = new Map<string, string[]>();
    for (const id of ids.slice(0, 3)) histories.set(id, await finalHistory(sdk, id));

    // Each message's first callback was refused and waits for its retry; the later events of
    // that message wait behind it.
    const headsRetrying = (attempts: number) =>
      eventually(
        () => Promise.all(ids.map((id) => deliveriesOf(sdk, id))),
        (all) =>
          all.every(
            (ds) =>
              ds[0]?.attemptCount === attempts &&
              ds[0].status === 'PENDING' &&
              Date.parse(ds[0].nextAttemptAt!) > clock.now().getTime() &&
              ds.slice(1).every((d) => d.attemptCount === 0),
          ),
      );
    await headsRetrying(1);
    expect(rx.received).toEqual([]);

    // Still down, differently: connections are dropped without an answer.
    rx.mode = 'drop';
    clock.advance(500); // retry 1 is due 500 ms after attempt 1
    await headsRetrying(2);

    rx.mode = 'up';
    clock.advance(1000); // retry 2 is due 1000 ms after attempt 2 (and the provider's third attempt)
    histories.set(ids[3]!, await finalHistory(sdk, ids[3]!));
    const total = [...histories.values()].flat().length;
    await eventually(
      async () => rx.received.length,
      (n) => n >= total,
    );

    for (const [id, history] of histories) {
      expect(bodiesFor(rx, id).map((b) => b.status)).toEqual(history);
    }
    expect(histories.get(ids[3]!)).toEqual([
      'QUEUED',
      'SENDING',
      'QUEUED',
      'SENDING',
      'QUEUED',
      'SENDING',
      'SENT',
      'DELIVERED',
      'READ',
    ]);
    expect(rx.rejected).toEqual([]);
    expect(new Set(rx.received.map((c) => c.body.eventId)).size).toBe(total); // once each

    // Attempts per message: the first event was refused, dropped, then delivered.
    for (const id of ids) {
      const [head, ...rest] = await settled(sdk, id, histories.get(id)!.length);
      expect(head!.attempts.map((a) => [a.number, a.statusCode])).toEqual([
        [1, 503],
        [2, null],
        [3, 204],
      ]);
      expect(head!.attempts[0]!.error).toBe('HTTP 503');
      expect(head!.attempts[1]!.error).toBeTruthy();
      expect(head).toMatchObject({ status: 'DELIVERED', attemptCount: 3, lastStatusCode: 204, lastError: null });
      expect(rest.every((d) => d.status === 'DELIVERED' && d.attemptCount === 1)).toBe(true);
    }
    // And per endpoint.
    const page = await sdk.WebhookEndpointDeliveries({ id: ep.id, first: 100 });
    if (page.node?.__typename !== 'WebhookEndpoint') throw new Error('endpoint not found');
    expect(page.node.deliveries).toHaveLength(total);
    expect(page.node.deliveries.filter((d) => d.attempts.some((a) => a.statusCode === 503))).toHaveLength(ids.length);
    const failedOnes = await sdk.WebhookEndpointDeliveries({ id: ep.id, first: 100, status: 'FAILED' });
    expect(failedOnes.node?.__typename === 'WebhookEndpoint' && failedOnes.node.deliveries).toEqual([]);
  });
});

describe('endpoint management', () => {
  it('creates, lists, updates and deletes endpoints; the secret is shown once; other tenants see nothing', async () => {
    const sdk = await tenant('Admin Co');
    const other = await tenant('Someone Else');

    for (const url of ['ftp://example.com/hook', 'not a url', 'https://user:pw@example.com/hook']) {
      const bad = await sdk.CreateWebhookEndpoint({ input: { url } });
      expect(bad.createWebhookEndpoint).toMatchObject({
        __typename: 'ValidationError',
        code: 'INVALID_INPUT',
        field: 'url',
      });
    }

    const created = await sdk.CreateWebhookEndpoint({
      input: { url: 'https://example.com/hooks/herald', events: ['DELIVERED', 'FAILED'] },
    });
    if (created.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint') throw new Error('not created');
    const { endpoint: ep, secret } = created.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(ep).toMatchObject({
      url: 'https://example.com/hooks/herald',
      events: ['DELIVERED', 'FAILED'],
      enabled: true,
    });

    const listed = await sdk.WebhookEndpoints();
    expect(listed.webhookEndpoints.map((e) => e.id)).toEqual([ep.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const node = await sdk.WebhookEndpointDeliveries({ id: ep.id });
    expect(node.node).toMatchObject({ __typename: 'WebhookEndpoint', url: ep.url, deliveries: [] });
    expect(JSON.stringify(node)).not.toContain(secret);

    const updated = await sdk.UpdateWebhookEndpoint({ id: ep.id, input: { url: 'http://example.com/v2', events: [] } });
    expect(updated.updateWebhookEndpoint).toMatchObject({
      __typename: 'WebhookEndpoint',
      url: 'http://example.com/v2',
      events: [],
      enabled: true,
    });
    const invalid = await sdk.UpdateWebhookEndpoint({ id: ep.id, input: { url: 'mailto:ops@example.com' } });
    expect(invalid.updateWebhookEndpoint).toMatchObject({ __typename: 'ValidationError', field: 'url' });
    for (const id of ['01900000-0000-7000-8000-000000000000', 'garbage']) {
      const missing = await sdk.UpdateWebhookEndpoint({ id, input: { enabled: false } });
      expect(missing.updateWebhookEndpoint).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    }

    // Another tenant can neither see nor touch it.
    expect((await other.WebhookEndpoints()).webhookEndpoints).toEqual([]);
    expect((await other.WebhookEndpointDeliveries({ id: ep.id })).node).toBeNull();
    expect(
      (await other.UpdateWebhookEndpoint({ id: ep.id, input: { enabled: false } })).updateWebhookEndpoint.__typename,
    ).toBe('NotFoundError');
    expect((await other.DeleteWebhookEndpoint({ id: ep.id })).deleteWebhookEndpoint.__typename).toBe('NotFoundError');
    expect((await sdk.WebhookEndpoints()).webhookEndpoints).toMatchObject([{ id: ep.id, enabled: true }]);

    // Managing endpoints needs the admin scope.
    const readKey = await sdk.CreateApiKey({ input: { name: 'reader', scopes: ['READ'] } });
    if (readKey.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
    const reader = h.sdk(readKey.createApiKey.key);
    expect((await reader.WebhookEndpoints()).webhookEndpoints).toHaveLength(1);
    await expect(reader.CreateWebhookEndpoint({ input: { url: 'https://example.com/x' } })).rejects.toThrow();
    await expect(reader.DeleteWebhookEndpoint({ id: ep.id })).rejects.toThrow();

    const deleted = await sdk.DeleteWebhookEndpoint({ id: ep.id });
    expect(deleted.deleteWebhookEndpoint).toMatchObject({ __typename: 'WebhookEndpoint', id: ep.id });
    expect((await sdk.WebhookEndpoints()).webhookEndpoints).toEqual([]);
    expect((await sdk.DeleteWebhookEndpoint({ id: ep.id })).deleteWebhookEndpoint.__typename).toBe('NotFoundError');

    expect(h.logLines().join('\n')).not.toContain(secret);
  });
});

describe('an endpoint deleted while a status change is being recorded', () => {
  // Only PostgreSQL has a second connection to hold the deletion open with.
  it.skipIf(!process.env.DATABASE_URL)('the change commits and the deleted endpoint gets no delivery', async () => {
    const sdk = await tenant('deleted-endpoint');
    const r = await receiver();
    const url = `${r.url}/deleted-${Date.now()}`;
    await endpoint(sdk, url);
    const id = await send(sdk, '+14155550188', { sendAt: new Date(clock.now().getTime() + 3_600_000).toISOString() });
    const sql = postgres(h.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      let canceling: ReturnType<Sdk['CancelMessage']> | undefined;
      await sql.begin(async (tx) => {
        await tx`delete from webhook_endpoints where url = ${url}`;
        // The cancel's callbacks are queued while the deletion is not yet committed.
        canceling = sdk.CancelMessage({ id });
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      const { cancelMessage } = await canceling!;
      expect(cancelMessage).toMatchObject({ __typename: 'Message', status: 'CANCELED' });
      const [row] = await sql<
        { count: number }[]
      >`select count(*)::int as count from callback_deliveries where url = ${url} and message_id = ${id}`;
      expect(row?.count).toBe(0); // earlier deliveries went with the endpoint; none was queued after
      expect(h.logLines().filter((l) => l.includes('"level":50'))).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});

describe('the retry window', () => {
  // Last: it moves the shared clock a day ahead.
  it('gives a delivery up 24 hours after its event, then moves on to the next event', async () => {
    const sdk = await tenant('Gone Receiver');
    const rx = await receiver();
    rx.secret = (await endpoint(sdk, rx.url)).secret;
    rx.mode = 'down';

    const id = await send(sdk, '+918800001234');
    const history = await finalHistory(sdk, id);
    await eventually(
      () => deliveriesOf(sdk, id),
      (ds) => ds[0]?.attemptCount === 1 && Date.parse(ds[0].nextAttemptAt!) > clock.now().getTime(),
    );

    clock.advance(24 * 3_600_000);
    const ds = await settled(sdk, id, history.length);
    expect(ds.map((d) => d.status)).toEqual(history.map(() => 'FAILED'));
    expect(ds.map((d) => d.attemptCount)).toEqual([2, ...history.slice(1).map(() => 1)]);
    expect(ds.every((d) => d.lastStatusCode === 503 && d.nextAttemptAt === null)).toBe(true);
    expect(rx.received).toEqual([]);

    // Receivers failing is their business: Herald itself logged no failure on the way.
    expect(h.logLines().filter((l) => l.includes('callback cycle failed'))).toEqual([]);
  });
});
