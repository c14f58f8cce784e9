import { createHmac } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTwilioProvider } from '../src/providers/twilio.js';
import type { MessageQuery } from './client/sdk.js';
import { eventually, TestClock } from './support/clock.js';
import { startFakeTwilio, type FakeTwilio } from './support/fake-twilio.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Provider webhooks through the real HTTP endpoint: signed sandbox reports (the table of
// replayed, duplicated and out-of-order reports) and Twilio StatusCallbacks for messages really
// sent through a local Twilio. Signatures are computed here, independently of Herald's code.
// The sandbox's own timed reports are pushed an hour out so only the webhooks move messages.

type Message = NonNullable<MessageQuery['message']>;

const SECRET = 'whsec_sandbox_0123456789abcdef';
/** Herald as the providers see it: behind a proxy, under a path. */
const PUBLIC_URL = 'https://hooks.example.com/herald';
const TWILIO_CALLBACK = `${PUBLIC_URL}/webhooks/twilio`;
const SMS_TO = '+14155550100';

const clock = new TestClock();
let fake: FakeTwilio;
let h: TestHerald;
let sdk: Sdk;

const twilioEnv = () => ({
  HERALD_PUBLIC_URL: PUBLIC_URL,
  HERALD_ROUTE_SMS: 'twilio',
  TWILIO_ACCOUNT_SID: fake.accountSid,
  TWILIO_AUTH_TOKEN: fake.authToken,
  TWILIO_FROM: '+15005550006',
  TWILIO_BASE_URL: fake.url,
});

beforeAll(async () => {
  fake = await startFakeTwilio();
  h = await startHerald(
    {
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_SANDBOX_DELAY_MS: '3600000',
      HERALD_RECONCILE_AFTER_MS: '86400000',
      HERALD_SANDBOX_WEBHOOK_SECRET: SECRET,
      ...twilioEnv(),
    },
    { now: clock.now },
  );
  sdk = h.sdk();
});
afterAll(async () => {
  await h?.stop();
  await fake?.close();
});

const load = async (id: string): Promise<Message> => (await sdk.Message({ id })).message!;
const statusesOf = (m: Message) => m.events.filter((e) => e.kind === 'status').map((e) => e.status);
const reportsOf = (m: Message) => m.events.filter((e) => e.kind === 'provider').map((e) => e.status);
const unixNow = () => Math.floor(clock.now().getTime() / 1000);

/** An email through the sandbox, once it is SENT (the sandbox id is known). */
async function sentEmail(): Promise<Message> {
  const r = await sdk.SendEmail({ input: { to: ['someone@example.com'], subject: 'Invoice INV-1001', text: 'due' } });
  if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
  return eventually(
    () => load(r.sendEmail.__typename === 'Message' ? r.sendEmail.messageId : ''),
    (m) => m.status === 'SENT',
  );
}

/** An SMS through the fake Twilio, once it is SENT with the Twilio sid. */
async function sentSms(): Promise<Message> {
  const r = await sdk.SendSms({ input: { to: SMS_TO, text: 'Your code is 123456' } });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  const id = r.sendSms.messageId;
  return eventually(
    () => load(id),
    (m) => m.status === 'SENT',
  );
}

// --- the sandbox's signed webhook ---------------------------------------------------------

type Report = {
  providerMessageId: string;
  status: string;
  timestamp?: number | string;
  id?: string;
  errorCode?: string;
};

function sandboxSignature(body: string, t = unixNow(), secret = SECRET): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

function postSandbox(body: string, signature: string | null, path = '/webhooks/sandbox'): Promise<Response> {
  return fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'herald-sandbox-signature': signature }),
    },
    body,
  });
}

function report(events: Report[]): Promise<Response> {
  const body = JSON.stringify({ events });
  return postSandbox(body, sandboxSignature(body));
}

// --- Twilio's StatusCallback ---------------------------------------------------------------

/** Twilio's scheme: base64 HMAC-SHA1(auth token, URL + each param name and value, sorted by name). */
function twilioSign(url: string, params: Record<string, string>, token = fake.authToken): string {
  const signed =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return createHmac('sha1', token).update(signed).digest('base64');
}

const callback = (sid: string, status: string, extra: Record<string, string> = {}): Record<string, string> => ({
  AccountSid: fake.accountSid,
  ApiVersion: '2010-04-01',
  From: '+15005550006',
  MessageSid: sid,
  MessageStatus: status,
  SmsSid: sid,
  SmsStatus: status,
  To: SMS_TO,
  ...extra,
});

function postTwilio(
  params: Record<string, string>,
  opts: { signature?: string | null; signedUrl?: string; path?: string; body?: string } = {},
): Promise<Response> {
  const path = opts.path ?? '/webhooks/twilio';
  const signature =
    opts.signature === undefined ? twilioSign(opts.signedUrl ?? `${PUBLIC_URL}${path}`, params) : opts.signature;
  return fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: opts.body ?? new URLSearchParams(params).toString(),
  });
}

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('out-of-order, duplicated and replayed reports end in the documented state', () => {
  const SENT = ['QUEUED', 'SENDING', 'SENT'];
  type Step = [status: string, afterS: number, extra?: Partial<Report>];
  type Row = { name: string; requests: Step[][]; status: string; history: string[]; reports: string[] };

  // Each inner list is one webhook request; timestamps are seconds after the message was sent.
  // `reports` is every report recorded, in the order Herald recorded them (reports of one request
  // in the provider's time order), `history` the status changes applied.
  const rows: Row[] = [
    {
      name: 'delivered, then read',
      requests: [[['delivered', 1]], [['read', 2]]],
      status: 'READ',
      history: [...SENT, 'DELIVERED', 'READ'],
      reports: ['DELIVERED', 'READ'],
    },
    {
      name: 'read before delivered',
      requests: [[['read', 2]], [['delivered', 1]]],
      status: 'READ',
      history: [...SENT, 'READ'],
      reports: ['READ', 'DELIVERED'],
    },
    {
      name: 'read and delivered in one request, out of order (applied in the order they happened)',
      requests: [
        [
          ['read', 2],
          ['delivered', 1],
        ],
      ],
      status: 'READ',
      history: [...SENT, 'DELIVERED', 'READ'],
      reports: ['DELIVERED', 'READ'],
    },
    {
      name: 'read without delivered',
      requests: [[['read', 1]]],
      status: 'READ',
      history: [...SENT, 'READ'],
      reports: ['READ'],
    },
    {
      name: 'delivered after failed',
      requests: [[['failed', 1]], [['delivered', 2]]],
      status: 'DELIVERED',
      history: [...SENT, 'FAILED', 'DELIVERED'],
      reports: ['FAILED', 'DELIVERED'],
    },
    {
      name: 'failed after delivered',
      requests: [[['delivered', 1]], [['failed', 2]]],
      status: 'DELIVERED',
      history: [...SENT, 'DELIVERED'],
      reports: ['DELIVERED', 'FAILED'],
    },
    {
      name: 'read after undelivered',
      requests: [[['undelivered', 1]], [['read', 2]]],
      status: 'READ',
      history: [...SENT, 'UNDELIVERED', 'READ'],
      reports: ['UNDELIVERED', 'READ'],
    },
    {
      name: 'failed after undelivered',
      requests: [[['undelivered', 1]], [['failed', 2]]],
      status: 'UNDELIVERED',
      history: [...SENT, 'UNDELIVERED'],
      reports: ['UNDELIVERED', 'FAILED'],
    },
    {
      name: 'sent after delivered',
      requests: [[['delivered', 1]], [['sent', 2]]],
      status: 'DELIVERED',
      history: [...SENT, 'DELIVERED'],
      reports: ['DELIVERED', 'SENT'],
    },
    {
      name: 'delivered twice (redelivered)',
      requests: [[['delivered', 1]], [['delivered', 1]]],
      status: 'DELIVERED',
      history: [...SENT, 'DELIVERED'],
      reports: ['DELIVERED'],
    },
    {
      name: 'the same report id twice, even with another timestamp',
      requests: [[['delivered', 1, { id: 'dlr-1' }]], [['delivered', 3, { id: 'dlr-1' }]]],
      status: 'DELIVERED',
      history: [...SENT, 'DELIVERED'],
      reports: ['DELIVERED'],
    },
    {
      name: 'a duplicate inside one request',
      requests: [
        [
          ['delivered', 1],
          ['delivered', 1],
          ['read', 2],
        ],
      ],
      status: 'READ',
      history: [...SENT, 'DELIVERED', 'READ'],
      reports: ['DELIVERED', 'READ'],
    },
  ];

  it.each(rows)('$name -> $status', async (row) => {
    const m = await sentEmail();
    const base = unixNow() + 10;
    for (const request of row.requests) {
      const res = await report(
        request.map(([status, afterS, extra]) => ({
          providerMessageId: m.providerMessageId!,
          status,
          timestamp: base + afterS,
          ...extra,
        })),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    }
    // Answered 200 means committed: no waiting.
    const after = await load(m.messageId);
    expect(after.status).toBe(row.status);
    expect(statusesOf(after)).toEqual(row.history);
    expect(reportsOf(after)).toEqual(row.reports);
    expect(after.events.filter((e) => e.kind === 'provider').every((e) => e.provider === 'sandbox')).toBe(true);
  });

  it('a failure report keeps its error code and message', async () => {
    const m = await sentEmail();
    const res = await report([
      {
        providerMessageId: m.providerMessageId!,
        status: 'undelivered',
        timestamp: new Date(clock.now().getTime() + 5000).toISOString(),
        errorCode: 'HANDSET_OFF',
      },
    ]);
    expect(res.status).toBe(200);
    const after = await load(m.messageId);
    expect(after.status).toBe('UNDELIVERED');
    expect(after.lastError?.code).toBe('HANDSET_OFF');
    expect(after.events.find((e) => e.kind === 'provider')).toMatchObject({
      status: 'UNDELIVERED',
      errorCode: 'HANDSET_OFF',
    });
  });

  it('a replayed request (same body, same signature) is acknowledged and changes nothing', async () => {
    const m = await sentEmail();
    const body = JSON.stringify({
      events: [{ providerMessageId: m.providerMessageId, status: 'delivered', timestamp: unixNow() + 1 }],
    });
    const signature = sandboxSignature(body);
    expect((await postSandbox(body, signature)).status).toBe(200);
    const first = await load(m.messageId);
    expect(first.status).toBe('DELIVERED');
    for (let i = 0; i < 3; i++) expect((await postSandbox(body, signature)).status).toBe(200);
    // Concurrent redeliveries share transactions; still one report.
    const burst = await Promise.all(Array.from({ length: 10 }, () => postSandbox(body, signature)));
    expect(burst.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await load(m.messageId)).toEqual(first);
  });

  it('a burst of reports for many messages is applied, each once', async () => {
    const messages = await Promise.all(Array.from({ length: 12 }, () => sentEmail()));
    const base = unixNow() + 1;
    const answers = await Promise.all(
      messages.flatMap((m) => [
        report([{ providerMessageId: m.providerMessageId!, status: 'read', timestamp: base + 1 }]),
        report([{ providerMessageId: m.providerMessageId!, status: 'delivered', timestamp: base }]),
      ]),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    for (const m of messages) {
      const after = await load(m.messageId);
      expect(after.status).toBe('READ');
      // Both requests race: each report is recorded once, in whichever order they arrived.
      expect(reportsOf(after).sort()).toEqual(['DELIVERED', 'READ']);
    }
  });

  it('a report for a provider id not stored yet is kept, and applied once the send records the id', async () => {
    const sendAt = clock.now().getTime() + 60_000;
    const r = await sdk.SendEmail({
      input: { to: ['later@example.com'], subject: 'Later', text: 'x', sendAt: new Date(sendAt).toISOString() },
    });
    if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
    const id = r.sendEmail.messageId;
    // The sandbox's ids are derived from the send time and the message id: known in advance.
    const pmid = `sbx_n_${sendAt}_${id}`;
    const early = { providerMessageId: pmid, status: 'delivered', timestamp: sendAt / 1000 + 5 };
    expect((await report([early])).status).toBe(200);
    expect((await report([early])).status).toBe(200); // redelivered while waiting
    const waiting = await load(id);
    expect(waiting.status).toBe('SCHEDULED');
    expect(reportsOf(waiting)).toEqual([]);

    clock.advance(60_000);
    const m = await eventually(
      () => load(id),
      (x) => x.status === 'DELIVERED',
    );
    expect(m.providerMessageId).toBe(pmid);
    expect(statusesOf(m)).toEqual(['SCHEDULED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(reportsOf(m)).toEqual(['DELIVERED']);
  });

  it('changes made by webhooks reach subscribers', async () => {
    const m = await sentEmail();
    const client = createClient({
      url: h.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: h.adminKey },
    });
    try {
      const iter = client.iterate<{ messageStatusChanged: { status: string } }>({
        query: 'subscription($id: ID!) { messageStatusChanged(id: $id) { status } }',
        variables: { id: m.messageId },
      });
      const seen: string[] = [];
      for await (const next of iter) {
        seen.push(next.data!.messageStatusChanged.status);
        // History first; once it is replayed, the webhook's change arrives live.
        if (seen.length === 3)
          expect((await report([{ providerMessageId: m.providerMessageId!, status: 'delivered' }])).status).toBe(200);
        if (seen.includes('DELIVERED')) break;
      }
      expect(seen).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    } finally {
      await client.dispose();
    }
  });
});

describe('forged and stale sandbox signatures are rejected and change nothing', () => {
  let m: Message;
  let body: string;
  beforeAll(async () => {
    m = await sentEmail();
    body = JSON.stringify({
      events: [{ providerMessageId: m.providerMessageId, status: 'delivered', timestamp: unixNow() + 1 }],
    });
  });

  const forged: Array<[string, (body: string) => string | null]> = [
    ['no signature', () => null],
    ['a malformed signature header', () => 'sha256=0123abcd'],
    ['a signature without timestamp', (b) => sandboxSignature(b).replace(/^t=\d+,/, '')],
    ['the wrong secret', (b) => sandboxSignature(b, unixNow(), 'not-the-sandbox-secret-at-all')],
    ['a stale signature (301 s old)', (b) => sandboxSignature(b, unixNow() - 301)],
    ['a signature 301 s in the future', (b) => sandboxSignature(b, unixNow() + 301)],
    ['a signature over another body', (b) => sandboxSignature(b.replace('delivered', 'read'))],
    [
      'a valid signature moved to a fresh timestamp',
      (b) => sandboxSignature(b, unixNow() - 400).replace(/^t=\d+/, `t=${unixNow()}`),
    ],
  ];

  it.each(forged)('%s -> 401', async (_name, sign) => {
    const before = await load(m.messageId);
    const res = await postSandbox(body, sign(body));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('INVALID_SIGNATURE');
    expect(await load(m.messageId)).toEqual(before);
  });

  it('the same report, validly signed within five minutes, is applied', async () => {
    const res = await postSandbox(body, sandboxSignature(body, unixNow() - 299));
    expect(res.status).toBe(200);
    expect((await load(m.messageId)).status).toBe('DELIVERED');
  });
});

describe('the endpoint', () => {
  it('answers 404 for an unknown provider, 405 for other methods, without an API key', async () => {
    const unknown = await postSandbox('{}', null, '/webhooks/nope');
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('NOT_FOUND');
    // Neither shipped provider uses a GET verification handshake.
    const get = await fetch(`${h.url}/webhooks/sandbox`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${h.url}/webhooks/twilio`, { method: 'PUT', body: 'x' })).status).toBe(405);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const m = await sentEmail();
    const big = JSON.stringify({
      events: [{ providerMessageId: m.providerMessageId, status: 'delivered' }],
      pad: 'x'.repeat(1024 * 1024),
    });
    const res = await postSandbox(big, sandboxSignature(big));
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    expect((await load(m.messageId)).status).toBe('SENT');
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['not JSON', '{"events": [', /not JSON/],
    ['no events', '{"events": []}', /events/],
    [
      'an unknown status',
      '{"events": [{"providerMessageId": "sbx_n_1_x", "status": "exploded"}]}',
      /events\.0\.status/,
    ],
    [
      'a bad timestamp',
      '{"events": [{"providerMessageId": "sbx_n_1_x", "status": "read", "timestamp": "yesterday"}]}',
      /events\.0\.timestamp/,
    ],
    ['a string instead of an object', '"delivered"', /body|expected object/],
  ];

  it.each(malformed)('answers 400 for a validly signed body with %s', async (_name, body, message) => {
    const res = await postSandbox(body, sandboxSignature(body));
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('INVALID_PAYLOAD');
    expect(json.error.message).toMatch(message);
  });

  it('logs neither signatures nor bodies', () => {
    const log = h.logLines().join('\n');
    expect(log).toContain('webhook rejected');
    expect(log).not.toMatch(/v1=[0-9a-f]{8}/);
    expect(log).not.toContain('providerMessageId');
    expect(log).not.toContain(fake.authToken);
  });
});

describe('Twilio StatusCallback', () => {
  it('is requested at HERALD_PUBLIC_URL/webhooks/twilio', async () => {
    const m = await sentSms();
    const sent = fake.requests.find((r) => r.sid === m.providerMessageId);
    expect(sent?.params.StatusCallback).toBe(TWILIO_CALLBACK);
  });

  it('signed callbacks move the message on; redeliveries are recorded once; failures never undo delivered', async () => {
    const m = await sentSms();
    const sid = m.providerMessageId!;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);

    const sent = await postTwilio(callback(sid, 'sent'));
    expect(sent.status).toBe(200);
    expect(sent.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await sent.text()).toContain('<Response></Response>');
    for (const status of ['delivered', 'delivered', 'failed', 'read', 'delivered']) {
      expect((await postTwilio(callback(sid, status, status === 'failed' ? { ErrorCode: '30003' } : {}))).status).toBe(
        200,
      );
    }
    const after = await load(m.messageId);
    expect(after.status).toBe('READ');
    expect(statusesOf(after)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
    expect(reportsOf(after).sort()).toEqual(['DELIVERED', 'FAILED', 'READ', 'SENT']);
    expect(after.events.filter((e) => e.kind === 'provider').every((e) => e.provider === 'twilio')).toBe(true);
  });

  it('an undelivered callback records the code, with what it means', async () => {
    const m = await sentSms();
    expect((await postTwilio(callback(m.providerMessageId!, 'undelivered', { ErrorCode: '30003' }))).status).toBe(200);
    const after = await load(m.messageId);
    expect(after.status).toBe('UNDELIVERED');
    expect(after.lastError).toMatchObject({ code: '30003', message: expect.stringMatching(/unreachable/) });
  });

  it('the URL Twilio signs includes the query string', async () => {
    const m = await sentSms();
    const res = await postTwilio(callback(m.providerMessageId!, 'delivered'), {
      path: '/webhooks/twilio?source=dlr&n=1',
    });
    expect(res.status).toBe(200);
    expect((await load(m.messageId)).status).toBe('DELIVERED');
  });

  it('a callback that beats the send response is kept, and applied once the sid is stored', async () => {
    const sid = `SM${'e'.repeat(32)}`;
    expect((await postTwilio(callback(sid, 'delivered'))).status).toBe(200);
    fake.script({ to: '+14155550111', sid, times: 1 });
    const r = await sdk.SendSms({ input: { to: '+14155550111', text: 'fast callback' } });
    if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
    const id = r.sendSms.messageId;
    const m = await eventually(
      () => load(id),
      (x) => x.status === 'DELIVERED',
    );
    expect(m.providerMessageId).toBe(sid);
    expect(statusesOf(m)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(reportsOf(m)).toEqual(['DELIVERED']);
  });

  it('inbound statuses are acknowledged and ignored', async () => {
    const m = await sentSms();
    const before = await load(m.messageId);
    expect((await postTwilio(callback(m.providerMessageId!, 'received'))).status).toBe(200);
    expect(await load(m.messageId)).toEqual(before);
  });

  it('a signed callback without MessageSid is a 400', async () => {
    const res = await postTwilio({ AccountSid: fake.accountSid, MessageStatus: 'delivered' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('INVALID_PAYLOAD');
  });

  describe('forged callbacks are refused and change nothing', () => {
    let m: Message;
    beforeAll(async () => {
      m = await sentSms();
    });
    const forged: Array<[string, (params: Record<string, string>) => Parameters<typeof postTwilio>[1]]> = [
      ['no signature', () => ({ signature: null })],
      ['signed with another auth token', (p) => ({ signature: twilioSign(TWILIO_CALLBACK, p, 'f'.repeat(32)) })],
      [
        'signed over the address Herald listens on, not the public URL',
        () => ({ signedUrl: `${h.url}/webhooks/twilio` }),
      ],
      [
        'signed over the public URL without its path prefix',
        () => ({ signedUrl: 'https://hooks.example.com/webhooks/twilio' }),
      ],
      [
        'a parameter changed after signing',
        (p) => ({
          signature: twilioSign(TWILIO_CALLBACK, p),
          body: new URLSearchParams({ ...p, MessageStatus: 'read' }).toString(),
        }),
      ],
      [
        'a parameter added after signing',
        (p) => ({
          signature: twilioSign(TWILIO_CALLBACK, p),
          body: `${new URLSearchParams(p).toString()}&ErrorCode=30007`,
        }),
      ],
      ['a signature of the wrong length', () => ({ signature: 'abc=' })],
    ];

    it.each(forged)('%s -> 401', async (_name, attack) => {
      const before = await load(m.messageId);
      const params = callback(m.providerMessageId!, 'delivered');
      const res = await postTwilio(params, attack(params));
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('INVALID_SIGNATURE');
      expect(await load(m.messageId)).toEqual(before);
    });

    it('nothing is kept for later either: a forged report for an id not stored yet is never applied', async () => {
      const sid = `SM${'f'.repeat(32)}`;
      expect(
        (
          await postTwilio(callback(sid, 'delivered'), {
            signature: twilioSign(TWILIO_CALLBACK, callback(sid, 'delivered'), 'a'.repeat(32)),
          })
        ).status,
      ).toBe(401);
      fake.script({ to: '+14155550122', sid, times: 1 });
      const r = await sdk.SendSms({ input: { to: '+14155550122', text: 'no forged callback' } });
      if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
      const id = r.sendSms.messageId;
      // A parked report is applied in the transaction that records the sid: SENT is final here.
      const sent = await eventually(
        () => load(id),
        (x) => x.status !== 'QUEUED' && x.status !== 'SENDING',
      );
      expect(sent.status).toBe('SENT');
      expect(sent.providerMessageId).toBe(sid);
      expect(reportsOf(sent)).toEqual([]);
    });
  });

  it("agrees with Twilio's documented signature example", async () => {
    const p = createTwilioProvider({ accountSid: 'AC00000000000000000000000000000000', authToken: '12345' });
    try {
      const params = {
        CallSid: 'CA1234567890ABCDE',
        Caller: '+14158675310',
        Digits: '1234',
        From: '+14158675310',
        To: '+18005551212',
      };
      const request = (signature: string, body = new URLSearchParams(params).toString()) => ({
        method: 'POST',
        publicUrl: 'https://mycompany.com/myapp.php?foo=1&bar=2',
        headers: { 'x-twilio-signature': signature },
        rawBody: Buffer.from(body),
        receivedAt: new Date(),
      });
      expect(p.webhook!.verify(request('GvWf1cFY/Q7PnoempGyD5oXAezc='))).toEqual({ ok: true });
      expect(
        p.webhook!.verify(
          request('GvWf1cFY/Q7PnoempGyD5oXAezc=', new URLSearchParams({ ...params, Digits: '1235' }).toString()),
        ).ok,
      ).toBe(false);
    } finally {
      await p.stop?.();
    }
  });
});

describe('an API-only process (HERALD_WORKERS=0)', () => {
  it('ingests reports without a dispatcher; the sandbox webhook is off without a secret', async () => {
    const api = await startHerald(twilioEnv(), { now: clock.now });
    try {
      const sandbox = await fetch(`${api.url}/webhooks/sandbox`, {
        method: 'POST',
        headers: { 'herald-sandbox-signature': 't=1,v1=00' },
        body: '{}',
      });
      expect(sandbox.status).toBe(404);
      const params = callback(`SM${'1'.repeat(32)}`, 'delivered');
      const post = (signature: string) =>
        fetch(`${api.url}/webhooks/twilio`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(params).toString(),
        });
      expect((await post(twilioSign(TWILIO_CALLBACK, params))).status).toBe(200);
      expect((await post(twilioSign(TWILIO_CALLBACK, params, 'b'.repeat(32)))).status).toBe(401);
    } finally {
      await api.stop();
    }
  });
});
