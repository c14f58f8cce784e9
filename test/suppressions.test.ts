import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendSmsMutation, SendWhatsAppMutation, SuppressionsQuery } from './client/sdk.js';
import { eventually } from './support/clock.js';
import { signTwilioRequest, startFakeTwilio, type FakeTwilio } from './support/fake-twilio.js';
import { startFakeWhatsApp, type FakeWhatsApp } from './support/fake-whatsapp.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Opt-outs end to end: the suppression list through GraphQL, MARKETING sends refused to the
// people on it (UTILITY, AUTHENTICATION and uncategorised ones not), STOP and START replies
// through each provider's real inbound webhook (signed here, independently of Herald's code), and
// the providers' own opt-out answers (Twilio 21610 on send, WhatsApp 131050 in a status report)
// from the local fakes. SMSMedia's API has no inbound messages, so it has no STOP path.

/** Herald as the providers see it (Twilio signs this URL). */
const PUBLIC_URL = 'https://hooks.example.com/herald';
const TWILIO_FROM = '+15005550006';

let twilio: FakeTwilio;
let whatsapp: FakeWhatsApp;
let h: TestHerald;
let sdk: Sdk;

beforeAll(async () => {
  twilio = await startFakeTwilio();
  whatsapp = await startFakeWhatsApp({ templates: [{ name: 'spring_sale' }, { name: 'order_update' }] });
  h = await startHerald({
    HERALD_WORKERS: '1',
    HERALD_POLL_MS: '20',
    HERALD_RECONCILE_AFTER_MS: '86400000',
    HERALD_PUBLIC_URL: PUBLIC_URL,
    HERALD_ROUTE_SMS: 'twilio',
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM,
    TWILIO_BASE_URL: twilio.url,
    HERALD_ROUTE_WHATSAPP: 'whatsapp-cloud',
    WHATSAPP_ACCESS_TOKEN: whatsapp.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: whatsapp.phoneNumberId,
    WHATSAPP_APP_SECRET: whatsapp.appSecret,
    WHATSAPP_BASE_URL: whatsapp.url,
    WHATSAPP_API_VERSION: whatsapp.apiVersion,
  });
  sdk = h.sdk();
  const t = await sdk.CreateTemplate({
    input: { channel: 'WHATSAPP', name: 'spring_sale', language: 'en', category: 'marketing', body: 'Spring sale!' },
  });
  expect(t.createTemplate.__typename).toBe('Template');
});
afterAll(async () => {
  await h?.stop();
  await twilio?.close();
  await whatsapp?.close();
});

type Suppression = SuppressionsQuery['suppressions']['edges'][number]['node'];

async function listed(args: Parameters<Sdk['Suppressions']>[0] = {}, on = sdk): Promise<Suppression[]> {
  return (await on.Suppressions({ first: 100, ...args })).suppressions.edges.map((e) => e.node);
}

async function entryFor(channel: 'SMS' | 'WHATSAPP' | 'EMAIL', recipient: string): Promise<Suppression | undefined> {
  return (await listed({ channel, recipient }))[0];
}

async function messageCount(to: string): Promise<number> {
  return (await sdk.Messages({ first: 100, filter: { to } })).messages.edges.length;
}

const sms = async (to: string, category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION', idempotencyKey?: string) =>
  (await sdk.SendSms({ input: { to, text: 'Spring sale: 20% off', category, idempotencyKey } })).sendSms;

const whatsApp = async (to: string, templateName: string, category?: 'MARKETING' | 'UTILITY') =>
  (await sdk.SendWhatsApp({ input: { to, templateName, category } })).sendWhatsApp;

type SendResult = SendSmsMutation['sendSms'] | SendWhatsAppMutation['sendWhatsApp'];
function expectSuppressed(r: SendResult, channel: string, recipient: string): void {
  expect(r).toMatchObject({ __typename: 'RecipientSuppressedError', code: 'RECIPIENT_SUPPRESSED', field: 'to' });
  if (r.__typename === 'RecipientSuppressedError') expect(r).toMatchObject({ channel, recipient });
}
function expectAccepted(r: SendResult, category: string | null): void {
  expect(r.__typename).toBe('Message');
  if (r.__typename === 'Message') expect(r.category).toBe(category);
}

describe('the suppression list through GraphQL', () => {
  it('adds valid entries normalised as sends are, reports each invalid one by index, and keeps first entries', async () => {
    const r = await sdk.AddSuppressions({
      input: {
        channel: 'SMS',
        entries: [
          { recipient: '918800001201', reason: 'asked by phone' },
          { recipient: 'not a number', reason: 'typo' },
          { recipient: '+91 88000 01202' },
          { recipient: '+918800001203', reason: 'bad \u0000 reason' },
          { recipient: '00918800001201', reason: 'second time in the same call' },
        ],
      },
    });
    if (r.addSuppressions.__typename !== 'AddedSuppressions') throw new Error(JSON.stringify(r));
    expect(r.addSuppressions.added).toBe(2);
    expect(r.addSuppressions.problems).toEqual([
      {
        index: 1,
        field: 'recipient',
        message: expect.stringMatching(/^entries\.1\.recipient .*not a valid phone number/),
      },
      { index: 3, field: 'reason', message: expect.stringMatching(/^entries\.3\.reason must not contain NUL/) },
    ]);
    expect(r.addSuppressions.suppressions.map((s) => [s.recipient, s.reason, s.source])).toEqual([
      ['+918800001201', 'asked by phone', 'API'],
      ['+918800001202', 'added through the API', 'API'],
    ]);

    // Again, with another reason: the first entry stays as it was.
    const again = await sdk.AddSuppressions({
      input: { channel: 'SMS', entries: [{ recipient: '+918800001201', reason: 'changed my mind' }] },
    });
    if (again.addSuppressions.__typename !== 'AddedSuppressions') throw new Error(JSON.stringify(again));
    expect(again.addSuppressions.added).toBe(0);
    expect(again.addSuppressions.suppressions).toEqual([
      r.addSuppressions.suppressions[0], // same reason, source and time
    ]);
    expect(await entryFor('SMS', '918800001201')).toMatchObject({ reason: 'asked by phone' });
  });

  it('lower-cases email addresses and refuses entries of another channel kind', async () => {
    const r = await sdk.AddSuppressions({
      input: { channel: 'EMAIL', entries: [{ recipient: ' Jane.Doe@Example.COM ' }, { recipient: '+918800001201' }] },
    });
    if (r.addSuppressions.__typename !== 'AddedSuppressions') throw new Error(JSON.stringify(r));
    expect(r.addSuppressions.suppressions.map((s) => s.recipient)).toEqual(['jane.doe@example.com']);
    expect(r.addSuppressions.problems).toEqual([
      { index: 1, field: 'recipient', message: expect.stringMatching(/^entries\.1\.recipient is not a valid email/) },
    ]);
  });

  it('refuses more than 10,000 entries at once, storing none', async () => {
    const entries = Array.from({ length: 10_001 }, (_, i) => ({ recipient: `+9188000${String(i).padStart(5, '0')}` }));
    const r = await sdk.AddSuppressions({ input: { channel: 'WHATSAPP', entries } });
    expect(r.addSuppressions).toMatchObject({ __typename: 'ValidationError', field: 'entries' });
    expect(await listed({ channel: 'WHATSAPP', recipient: '+918800000000' })).toEqual([]);
  });

  it('lists newest first, filters by channel and recipient, and pages with keyset cursors', async () => {
    const numbers = Array.from({ length: 7 }, (_, i) => `+91880000130${i}`);
    for (const [i, n] of numbers.entries()) {
      const r = await sdk.AddSuppressions({
        input: { channel: 'WHATSAPP', entries: [{ recipient: n, reason: `#${i}` }] },
      });
      expect(r.addSuppressions.__typename).toBe('AddedSuppressions');
    }
    const all = await listed({ channel: 'WHATSAPP' });
    expect(all.every((s) => s.channel === 'WHATSAPP')).toBe(true);
    const times = all.map((s) => Date.parse(s.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.map((s) => s.recipient).filter((r) => numbers.includes(r))).toHaveLength(7);

    // Page by 3 towards older entries, then back towards newer ones: the same rows, once each.
    const pages: Suppression[] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = (await sdk.Suppressions({ first: 3, after, channel: 'WHATSAPP' })).suppressions;
      pages.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual(all);
    // `after` is the end of the second page (row 5): the two rows before it are rows 3 and 4.
    const last = (await sdk.Suppressions({ last: 2, before: after!, channel: 'WHATSAPP' })).suppressions;
    expect(last.edges.map((e) => e.node)).toEqual(all.slice(3, 5));
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

    expect(await listed({ recipient: '918800001303' })).toEqual([expect.objectContaining({ reason: '#3' })]);
    expect(await listed({ channel: 'SMS', recipient: '918800001303' })).toEqual([]);
    const bad = await sdk.Suppressions({ first: 3, after: 'bm90IGEgY3Vyc29y' }).catch((e: Error) => e.message);
    expect(bad).toMatch(/after is not a valid cursor/);
  });

  it('removes one entry, and answers NotFoundError for a recipient not on the list', async () => {
    await sdk.AddSuppressions({ input: { channel: 'SMS', entries: [{ recipient: '+918800001299' }] } });
    const removed = await sdk.RemoveSuppression({ channel: 'SMS', recipient: '918800001299' });
    expect(removed.removeSuppression).toMatchObject({ __typename: 'Suppression', recipient: '+918800001299' });
    expect(await entryFor('SMS', '+918800001299')).toBeUndefined();
    const again = await sdk.RemoveSuppression({ channel: 'SMS', recipient: '+918800001299' });
    expect(again.removeSuppression).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const nul = await sdk.RemoveSuppression({ channel: 'SMS', recipient: '+91\u0000' });
    expect(nul.removeSuppression).toMatchObject({ __typename: 'ValidationError', field: 'recipient' });
  });

  it("keeps tenants apart: another tenant neither sees, lifts nor is blocked by this tenant's list", async () => {
    const other = await sdk.CreateTenant({ name: 'Suppressions Other' });
    if (other.createTenant.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(other));
    const theirs = h.sdk(other.createTenant.key);
    expect(await listed({}, theirs)).toEqual([]);
    const lift = await theirs.RemoveSuppression({ channel: 'SMS', recipient: '+918800001201' });
    expect(lift.removeSuppression.__typename).toBe('NotFoundError');
    expect(await entryFor('SMS', '+918800001201')).toBeDefined();
    const send = await theirs.SendSms({ input: { to: '+918800001201', text: 'Sale', category: 'MARKETING' } });
    expectAccepted(send.sendSms, 'MARKETING');
  });
});

describe('categories on single sends', () => {
  const TO = '+918800001201'; // suppressed on SMS above

  it('refuses a MARKETING send to a suppressed recipient, storing nothing, and lets the others through', async () => {
    const before = await messageCount(TO);
    expectSuppressed(await sms(TO, 'MARKETING'), 'SMS', TO);
    expect(await messageCount(TO)).toBe(before);
    expectAccepted(await sms(TO, 'UTILITY'), 'UTILITY');
    expectAccepted(await sms(TO, 'AUTHENTICATION'), 'AUTHENTICATION');
    expectAccepted(await sms(TO), null);
    expect(await messageCount(TO)).toBe(before + 3);
  });

  it('answers a repeat of a MARKETING send accepted before the opt-out with its original', async () => {
    const to = '+918800001210';
    const first = await sms(to, 'MARKETING', 'spring-1210');
    if (first.__typename !== 'Message') throw new Error(JSON.stringify(first));
    await sdk.AddSuppressions({ input: { channel: 'SMS', entries: [{ recipient: to }] } });
    const repeat = await sms(to, 'MARKETING', 'spring-1210');
    expect(repeat).toMatchObject({ __typename: 'Message', messageId: first.messageId });
    expectSuppressed(await sms(to, 'MARKETING', 'spring-1210-b'), 'SMS', to);
  });

  it("gives a WhatsApp send without a category its registered template's, which the sender may override", async () => {
    const to = '+918800001220';
    await sdk.AddSuppressions({ input: { channel: 'WHATSAPP', entries: [{ recipient: to }] } });
    expectSuppressed(await whatsApp(to, 'spring_sale'), 'WHATSAPP', to);
    expectAccepted(await whatsApp(to, 'spring_sale', 'UTILITY'), 'UTILITY');
    // Unregistered templates are uncategorised unless the sender says.
    expectAccepted(await whatsApp(to, 'order_update'), null);
    expectSuppressed(await whatsApp(to, 'order_update', 'MARKETING'), 'WHATSAPP', to);
    expectAccepted(await whatsApp('+918800001221', 'spring_sale'), 'MARKETING');
  });

  it('names the To address of an email that is suppressed', async () => {
    const r = await sdk.SendEmail({
      input: { to: ['a@example.com', 'JANE.DOE@example.com'], subject: 'Sale', text: 'Sale', category: 'MARKETING' },
    });
    expect(r.sendEmail).toMatchObject({
      __typename: 'RecipientSuppressedError',
      field: 'to.1',
      recipient: 'jane.doe@example.com',
    });
  });

  it('refuses a REST send of a registered MARKETING template to a suppressed number with 422 on mobile', async () => {
    const res = await fetch(`${h.url}/api/whatsapp-cloud-api/send-message-api`, {
      method: 'POST',
      headers: { apikey: h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: '918800001220', templatename: 'spring_sale', mediatype: 'none' }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      status: 'error',
      error: { code: 'RECIPIENT_SUPPRESSED', field: 'mobile' },
    });
  });
});

describe('STOP and START replies through the providers’ inbound webhooks', () => {
  let inboundSeq = 0;

  /** A user's SMS as Twilio posts it to the number's messaging webhook, signed over the public URL. */
  async function twilioReply(from: string, body: string, sid = `SM${(++inboundSeq).toString(16).padStart(32, '0')}`) {
    const params = {
      AccountSid: twilio.accountSid,
      ApiVersion: '2010-04-01',
      Body: body,
      From: from,
      MessageSid: sid,
      NumMedia: '0',
      NumSegments: '1',
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: TWILIO_FROM,
    };
    const res = await fetch(`${h.url}/webhooks/twilio`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest(twilio.authToken, `${PUBLIC_URL}/webhooks/twilio`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    return sid;
  }

  async function whatsAppReply(from: string, reply: { text: string } | { button: { text: string; payload: string } }) {
    const n = whatsapp.inboundNotification({ from, ...reply });
    const res = await fetch(`${h.url}/webhooks/whatsapp-cloud`, { method: 'POST', headers: n.headers, body: n.body });
    expect(res.status).toBe(200);
  }

  it('Twilio: STOP suppresses the sender for MARKETING SMS, not UTILITY; START lifts it; a redelivered STOP does not', async () => {
    const user = '+14155550123';
    expectAccepted(await sms(user, 'UTILITY'), 'UTILITY'); // Herald wrote to them through Twilio
    const stop = await twilioReply(user, '  stop ');
    expect(await entryFor('SMS', user)).toMatchObject({ source: 'INBOUND', reason: 'STOP reply' });
    expectSuppressed(await sms(user, 'MARKETING'), 'SMS', user);
    expectAccepted(await sms(user, 'UTILITY'), 'UTILITY');
    // Not a keyword: only a reply that is nothing else counts.
    await twilioReply(user, 'please start sending again');
    expect(await entryFor('SMS', user)).toBeDefined();

    await twilioReply(user, 'Start');
    expect(await entryFor('SMS', user)).toBeUndefined();
    expectAccepted(await sms(user, 'MARKETING'), 'MARKETING');
    // Twilio retries webhooks: the old STOP again changes nothing.
    await twilioReply(user, '  stop ', stop);
    expect(await entryFor('SMS', user)).toBeUndefined();
    // The replies are recorded as inbound messages too.
    const inbound = await sdk.InboundMessages({ first: 20 });
    expect(inbound.inboundMessages.filter((m) => m.from === user).map((m) => m.text)).toEqual([
      'Start',
      'please start sending again',
      '  stop ',
    ]);
  });

  it('WhatsApp Cloud: STOP suppresses for MARKETING templates, not UTILITY; UNSTOP lifts it', async () => {
    const user = '+14155550124';
    await whatsAppReply(user, { text: 'UNSUBSCRIBE' });
    expect(await entryFor('WHATSAPP', user)).toMatchObject({ source: 'INBOUND', reason: 'UNSUBSCRIBE reply' });
    // On WhatsApp only: the same person's SMS are another list.
    expect(await entryFor('SMS', user)).toBeUndefined();
    expectSuppressed(await whatsApp(user, 'spring_sale'), 'WHATSAPP', user);
    expectAccepted(await whatsApp(user, 'order_update', 'UTILITY'), 'UTILITY');
    await whatsAppReply(user, { text: 'unstop' });
    expect(await entryFor('WHATSAPP', user)).toBeUndefined();
    expectAccepted(await whatsApp(user, 'spring_sale'), 'MARKETING');
  });

  it("a tenant's own keywords work like STOP and START (here a quick-reply button)", async () => {
    const bad = await sdk.SetOptOutKeywords({ input: { optOut: ['arret', 'start'] } });
    expect(bad.setOptOutKeywords).toMatchObject({ __typename: 'ValidationError', field: 'optOut.1' });
    const set = await sdk.SetOptOutKeywords({ input: { optOut: ['Stop promotions', ' arret '], optIn: ['YES'] } });
    expect(set.setOptOutKeywords).toMatchObject({
      __typename: 'Tenant',
      optOutKeywords: ['STOP PROMOTIONS', 'ARRET'],
      optInKeywords: ['YES'],
    });

    const user = '+14155550125';
    await whatsAppReply(user, { button: { text: 'Stop promotions', payload: 'OPT_OUT' } });
    expect(await entryFor('WHATSAPP', user)).toMatchObject({ source: 'INBOUND', reason: 'STOP PROMOTIONS reply' });
    await whatsAppReply(user, { text: 'yes' });
    expect(await entryFor('WHATSAPP', user)).toBeUndefined();
  });
});

describe("providers' opt-out answers", () => {
  it('Twilio 21610 on send fails the message and suppresses the number', async () => {
    const to = '+14155550126';
    twilio.script({ to, status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const r = await sms(to, 'UTILITY');
    if (r.__typename !== 'Message') throw new Error(JSON.stringify(r));
    const failed = await eventually(
      async () => (await sdk.Message({ id: r.messageId })).message!,
      (m) => m.status === 'FAILED',
    );
    expect(failed.lastError).toMatchObject({ code: '21610', retryable: false });
    expect(await entryFor('SMS', to)).toMatchObject({ source: 'PROVIDER', reason: 'twilio error 21610' });
    expectSuppressed(await sms(to, 'MARKETING'), 'SMS', to);
  });

  it('Twilio 21610 in a status callback suppresses the number too', async () => {
    const to = '+14155550130';
    const r = await sms(to, 'UTILITY');
    if (r.__typename !== 'Message') throw new Error(JSON.stringify(r));
    const sent = await eventually(
      async () => (await sdk.Message({ id: r.messageId })).message!,
      (m) => m.status === 'SENT',
    );
    const params = {
      AccountSid: twilio.accountSid,
      ApiVersion: '2010-04-01',
      ErrorCode: '21610',
      From: TWILIO_FROM,
      MessageSid: sent.providerMessageId!,
      MessageStatus: 'failed',
      SmsSid: sent.providerMessageId!,
      SmsStatus: 'failed',
      To: to,
    };
    const res = await fetch(`${h.url}/webhooks/twilio`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest(twilio.authToken, `${PUBLIC_URL}/webhooks/twilio`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    expect((await sdk.Message({ id: r.messageId })).message).toMatchObject({ status: 'FAILED' });
    expect(await entryFor('SMS', to)).toMatchObject({ source: 'PROVIDER', reason: 'twilio error 21610' });
  });

  it("WhatsApp's user_preferences notice (stopped, then resumed marketing messages in WhatsApp) is followed", async () => {
    const user = '+14155550129';
    const notice = async (value: 'stop' | 'resume', timestamp: number) => {
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: whatsapp.wabaId,
            changes: [
              {
                field: 'user_preferences',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: {
                    display_phone_number: whatsapp.displayPhoneNumber,
                    phone_number_id: whatsapp.phoneNumberId,
                  },
                  contacts: [{ profile: { name: 'Test User' }, wa_id: user.slice(1) }],
                  user_preferences: [
                    {
                      wa_id: user.slice(1),
                      detail: 'User requested to stop marketing messages',
                      category: 'marketing_messages',
                      value,
                      timestamp,
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      const res = await fetch(`${h.url}/webhooks/whatsapp-cloud`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': whatsapp.sign(body) },
        body,
      });
      expect(res.status).toBe(200);
    };
    const now = Math.floor(Date.now() / 1000);
    await notice('stop', now);
    expect(await entryFor('WHATSAPP', user)).toMatchObject({ source: 'PROVIDER' });
    expectSuppressed(await whatsApp(user, 'spring_sale'), 'WHATSAPP', user);
    await notice('resume', now + 1);
    expect(await entryFor('WHATSAPP', user)).toBeUndefined();
    // Meta redelivers: the old stop again changes nothing.
    await notice('stop', now);
    expect(await entryFor('WHATSAPP', user)).toBeUndefined();
  });

  it('WhatsApp 131050 on send fails the message and suppresses the recipient', async () => {
    const to = '+14155550128';
    whatsapp.script({ to: '14155550128', status: 400, code: 131050, message: '(#131050) User stopped marketing' });
    const r = await whatsApp(to, 'spring_sale');
    if (r.__typename !== 'Message') throw new Error(JSON.stringify(r));
    const failed = await eventually(
      async () => (await sdk.Message({ id: r.messageId })).message!,
      (m) => m.status === 'FAILED',
    );
    expect(failed.lastError).toMatchObject({ code: '131050', retryable: false });
    expect(await entryFor('WHATSAPP', to)).toMatchObject({ source: 'PROVIDER', reason: 'whatsapp-cloud error 131050' });
  });

  it('WhatsApp 131050 in a status report suppresses the recipient on WhatsApp', async () => {
    const to = '+14155550127';
    const r = await whatsApp(to, 'spring_sale');
    if (r.__typename !== 'Message') throw new Error(JSON.stringify(r));
    const sent = await eventually(
      async () => (await sdk.Message({ id: r.messageId })).message!,
      (m) => m.status === 'SENT',
    );
    const n = whatsapp.statusNotification({
      wamid: sent.providerMessageId!,
      status: 'failed',
      errors: [{ code: 131050, title: 'Unable to deliver the message: user stopped marketing messages' }],
    });
    const res = await fetch(`${h.url}/webhooks/whatsapp-cloud`, { method: 'POST', headers: n.headers, body: n.body });
    expect(res.status).toBe(200);
    expect((await sdk.Message({ id: r.messageId })).message).toMatchObject({ status: 'FAILED' });
    expect(await entryFor('WHATSAPP', to)).toMatchObject({ source: 'PROVIDER', reason: 'whatsapp-cloud error 131050' });
    expectSuppressed(await whatsApp(to, 'spring_sale'), 'WHATSAPP', to);
  });
});
