import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/clock.js';
import { startFakeTwilio, type FakeTwilio } from './support/fake-twilio.js';
import { startHerald, type TestHerald } from './support/herald.js';

// A tenant configures its own Twilio account and routes through GraphQL; secrets go in and
// never come out; a permanent WhatsApp failure falls back to SMS.

const PUBLIC_URL = 'https://herald.example.com';
let fake: FakeTwilio;
let h: TestHerald;
let tenantKey: string;

beforeAll(async () => {
  fake = await startFakeTwilio();
  h = await startHerald({
    HERALD_WORKERS: '2',
    HERALD_POLL_MS: '20',
    HERALD_PUBLIC_URL: PUBLIC_URL,
    HERALD_SANDBOX_DELAY_MS: '3600000',
  });
  const tenant = await h.sdk().CreateTenant({ name: 'Acme' });
  if (tenant.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
  tenantKey = tenant.createTenant.key;
});
afterAll(async () => {
  await h?.stop();
  await fake?.close();
});

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, key = tenantKey): Promise<T> {
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const CONFIGURE = `mutation($input: ConfigureProviderInput!) { configureProvider(input: $input) {
  __typename ... on ProviderConfig { name kind settings enabled hasSecrets instance webhookPath } ... on ValidationError { field message } } }`;
const SET_ROUTE = `mutation($input: SetRouteInput!) { setRoute(input: $input) {
  __typename ... on Route { channel provider fallbackProvider fallbackChannel } ... on ValidationError { field message } } }`;
const MESSAGE = `query($id: ID!) { message(id: $id) { status channel provider attempts lastError { code message }
  content { __typename ... on SmsContent { text } }
  events { kind status previousStatus errorCode } } }`;

function twilioCallback(path: string, sid: string, status: string, to: string, token = fake.authToken) {
  const params: Record<string, string> = {
    AccountSid: fake.accountSid,
    MessageSid: sid,
    MessageStatus: status,
    To: to,
  };
  const signed = `${PUBLIC_URL}${path}${Object.keys(params)
    .sort()
    .map((k) => k + params[k])
    .join('')}`;
  return fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': createHmac('sha1', token).update(signed).digest('base64'),
    },
    body: new URLSearchParams(params).toString(),
  });
}

async function sendSms(to: string): Promise<string> {
  const r = await h.sdk(tenantKey).SendSms({ input: { to, text: 'via my own Twilio', senderId: '+15005550006' } });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  return r.sendSms.messageId;
}

describe('tenant providers', () => {
  let instance = '';

  it('refuses bad configurations with the field named and stores nothing', async () => {
    const bad = await gql(CONFIGURE, {
      input: { name: 'mine', kind: 'twilio', settings: { accountSid: 'nope' }, secrets: { authToken: fake.authToken } },
    });
    expect(bad.configureProvider).toMatchObject({ __typename: 'ValidationError', field: 'settings.accountSid' });
    const unknown = await gql(CONFIGURE, { input: { name: 'mine', kind: 'carrier-pigeon', settings: {} } });
    expect(unknown.configureProvider).toMatchObject({ __typename: 'ValidationError', field: 'kind' });
    const noToken = await gql(CONFIGURE, {
      input: { name: 'mine', kind: 'twilio', settings: { accountSid: fake.accountSid } },
    });
    expect(noToken.configureProvider).toMatchObject({ __typename: 'ValidationError', field: 'secrets.authToken' });
    expect((await gql('{ providers { name } }')).providers).toEqual([]);
  });

  it('kinds named like Object.prototype members, and hostile settings or secrets, are typed refusals naming the field', async () => {
    const logged = h.logLines().length;
    for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const result = (await gql(CONFIGURE, { input: { name: 'mine', kind, settings: {} } })).configureProvider;
      expect(result, kind).toMatchObject({
        __typename: 'ValidationError',
        field: 'kind',
        message: expect.stringMatching(/^kind must be one of sandbox, /),
      });
    }
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const cases: Array<[string, string, RegExp]> = [
      [`{"name":"mine","kind":"sandbox","settings":${deep}}`, 'settings', /nested deeper than 32 levels/],
      [
        '{"name":"mine","kind":"sandbox","settings":{},"secrets":{"webhookSecret":"0123456789abcdef\\ud800"}}',
        'secrets',
        /lone UTF-16 surrogate/,
      ],
      [
        '{"name":"mine","kind":"sandbox","settings":{},"secrets":{"webhookSecret":"0123456789abcdef\\u0000"}}',
        'secrets',
        /NUL/,
      ],
      ['{"name":"mine","kind":"sandbox","settings":{"__proto__":{"polluted":true}}}', 'settings', /key "__proto__"/],
    ];
    for (const [input, field, message] of cases) {
      const res = await fetch(h.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenantKey}` },
        body: `{"query":${JSON.stringify(CONFIGURE)},"variables":{"input":${input}}}`,
      });
      const result = ((await res.json()) as { data: { configureProvider: { field: string; message: string } } }).data
        .configureProvider;
      expect(result, input.slice(0, 80)).toMatchObject({ __typename: 'ValidationError', field });
      expect(result.message).toMatch(message);
      // The secret's value is never echoed back.
      expect(result.message).not.toMatch(/0123456789abcdef/);
    }
    // Written inline in the document, the same values meet the same checks.
    const inline = await gql(
      'mutation { configureProvider(input: { name: "mine", kind: "sandbox", settings: { __proto__: { polluted: true } } }) { __typename ... on ValidationError { field message } } }',
    );
    expect(inline.configureProvider).toMatchObject({ __typename: 'ValidationError', field: 'settings' });
    expect(inline.configureProvider.message).toMatch(/key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const disabled = await gql('mutation { setProviderEnabled(name: "x\\u0000y", enabled: false) { __typename } }');
    expect(disabled.setProviderEnabled.__typename).toBe('NotFoundError');
    expect((await gql('{ providers { name } }')).providers).toEqual([]);
    expect(
      h
        .logLines()
        .slice(logged)
        .filter((l) => JSON.parse(l).level >= 50),
    ).toEqual([]);
  });

  it('configures Twilio, never returns the secret, and routes SMS through it', async () => {
    const ok = await gql(CONFIGURE, {
      input: {
        name: 'mine',
        kind: 'twilio',
        settings: { accountSid: fake.accountSid, baseUrl: fake.url, from: '+15005550006' },
        secrets: { authToken: fake.authToken },
      },
    });
    expect(ok.configureProvider).toMatchObject({
      __typename: 'ProviderConfig',
      name: 'mine',
      kind: 'twilio',
      enabled: true,
      hasSecrets: true,
    });
    instance = ok.configureProvider.instance;
    expect(ok.configureProvider.webhookPath).toBe(`/webhooks/${instance}`);
    const listed = await gql('{ providers { name kind settings hasSecrets } }');
    expect(JSON.stringify(listed)).not.toContain(fake.authToken);
    expect(JSON.stringify(ok)).not.toContain(fake.authToken);

    const wrongChannel = await gql(SET_ROUTE, { input: { channel: 'EMAIL', provider: 'mine' } });
    expect(wrongChannel.setRoute).toMatchObject({ __typename: 'ValidationError', field: 'provider' });
    const route = await gql(SET_ROUTE, { input: { channel: 'SMS', provider: 'mine' } });
    expect(route.setRoute).toMatchObject({ __typename: 'Route', channel: 'SMS', provider: 'mine' });

    const id = await sendSms('+14155550101');
    const sent = await eventually(
      () => gql(MESSAGE, { id }),
      (d) => d.message.status === 'SENT',
    );
    expect(sent.message.provider).toBe(instance);
    const request = fake.requests.find((r) => r.to === '+14155550101')!;
    expect(request.authorization).toBe(
      `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`,
    );
    expect(request.params.StatusCallback).toBe(`${PUBLIC_URL}/webhooks/${instance}`);

    // Twilio reports to the instance's own webhook, signed with the tenant's token.
    const forged = await twilioCallback(
      `/webhooks/${instance}`,
      request.sid!,
      'delivered',
      '+14155550101',
      'x'.repeat(32),
    );
    expect(forged.status).toBe(401);
    expect((await twilioCallback(`/webhooks/${instance}`, request.sid!, 'delivered', '+14155550101')).status).toBe(200);
    await eventually(
      () => gql(MESSAGE, { id }),
      (d) => d.message.status === 'DELIVERED',
    );
  });

  it('wrong credentials end in one permanent failure with the provider message, not a retry storm', async () => {
    await gql(CONFIGURE, {
      input: {
        name: 'mine',
        kind: 'twilio',
        settings: { accountSid: fake.accountSid, baseUrl: fake.url, from: '+15005550006' },
        secrets: { authToken: 'y'.repeat(32) },
      },
    });
    const before = fake.requests.length;
    const id = await sendSms('+14155550102');
    const failed = await eventually(
      () => gql(MESSAGE, { id }),
      (d) => d.message.status === 'FAILED',
    );
    expect(failed.message.attempts).toBe(1);
    expect(failed.message.lastError.message).toMatch(/authentication failed/i);
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([401]);
    // Back to the right token for the next test.
    await gql(CONFIGURE, {
      input: {
        name: 'mine',
        kind: 'twilio',
        settings: { accountSid: fake.accountSid, baseUrl: fake.url, from: '+15005550006' },
        secrets: { authToken: fake.authToken },
      },
    });
  });

  it('falls back from a permanent WhatsApp failure to an SMS that is delivered, both attempts in the events', async () => {
    const route = await gql(SET_ROUTE, { input: { channel: 'WHATSAPP', provider: 'sandbox', fallbackChannel: 'SMS' } });
    expect(route.setRoute).toMatchObject({ channel: 'WHATSAPP', provider: 'sandbox', fallbackChannel: 'SMS' });

    // The sandbox rejects this recipient permanently.
    const r = await h
      .sdk(tenantKey)
      .SendWhatsApp({ input: { to: '+61491570001', templateName: 'invoice_due', params: ['John', 'INV-1001'] } });
    if (r.sendWhatsApp.__typename !== 'Message') throw new Error('not accepted');
    const id = r.sendWhatsApp.messageId;
    const sms = await eventually(
      () => gql(MESSAGE, { id }),
      (d) => d.message.status === 'SENT',
    );
    expect(sms.message.channel).toBe('SMS');
    expect(sms.message.provider).toBe(instance);
    expect(sms.message.content.text).toBe('invoice_due\nJohn\nINV-1001');
    const request = fake.requests.find((q) => q.to === '+61491570001')!;
    expect(request.body).toBe('invoice_due\nJohn\nINV-1001');

    await twilioCallback(`/webhooks/${instance}`, request.sid!, 'delivered', '+61491570001');
    const done = await eventually(
      () => gql(MESSAGE, { id }),
      (d) => d.message.status === 'DELIVERED',
    );
    const statuses = done.message.events
      .filter((e: any) => e.kind === 'status')
      .map((e: any) => [e.status, e.errorCode]);
    expect(statuses).toEqual([
      ['QUEUED', null],
      ['SENDING', null],
      ['QUEUED', 'SANDBOX_REJECTED'], // the WhatsApp attempt, rerouted
      ['SENDING', null],
      ['SENT', null],
      ['DELIVERED', null],
    ]);
  });

  it('another tenant sees none of it, and secrets appear in no log line', async () => {
    expect(await gql('{ providers { name } routes { channel } }', {}, h.adminKey)).toEqual({
      providers: [],
      routes: [],
    });
    expect(h.logLines().filter((l) => l.includes(fake.authToken))).toEqual([]);
  });
});
