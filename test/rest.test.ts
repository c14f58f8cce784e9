import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';
import { pdf, png } from './support/media-fixtures.js';

// The SMSMedia-compatible REST API, driven the way the SMSMedia guide's examples call it (only
// the host and the key changed), and checked through the typed GraphQL client: one service
// layer, so what REST accepts is the message GraphQL shows.

const run = promisify(execFile);

let h: TestHerald;
let admin: Sdk;
const WA = '/api/whatsapp-cloud-api/send-message-api';
const SMS = '/api/sms/send-sms-api';
const EMAIL = '/api/email/send-email-api';
/** Every key this file presents; none may appear in a log line. */
const testKeys: string[] = [];

/** Media uploaded through /api/media/upload: the guide's mediaid values are ids Herald issued. */
let imageId: string;
let docId: string;

beforeAll(async () => {
  h = await startHerald();
  admin = h.sdk();
  testKeys.push(h.adminKey);
  const upload = async (body: unknown): Promise<string> => {
    const res = await fetch(`${h.url}/api/media/upload`, {
      method: 'POST',
      headers: { apikey: h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { mediaId?: string };
    if (!answer.mediaId) throw new Error(`media upload failed: ${JSON.stringify(answer)}`);
    return answer.mediaId;
  };
  imageId = await upload({ mediaType: 'image', data: png().toString('base64'), filename: 'welcome.png' });
  docId = await upload({ mediaType: 'document', data: pdf().toString('base64'), filename: 'invoice.pdf' });
});
afterAll(() => h?.stop());

type Json = Record<string, any>;
type Answer = { status: number; headers: Headers; body: Json };

async function call(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Answer> {
  const { key = h.adminKey, headers, ...rest } = init;
  const res = await fetch(`${h.url}${path}`, {
    ...rest,
    headers: { ...(key ? { apikey: key } : {}), ...(headers as Record<string, string>) },
  });
  const text = await res.text();
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Json };
}

const postJson = (path: string, body: unknown, init: RequestInit & { key?: string | null } = {}) =>
  call(path, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    body: JSON.stringify(body),
  });

const postForm = (path: string, body: Record<string, string>, init: RequestInit & { key?: string | null } = {}) =>
  call(path, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(init.headers as Record<string, string>) },
    body: new URLSearchParams(body).toString(),
  });

async function message(id: string) {
  const found = (await admin.Message({ id })).message;
  if (!found) throw new Error(`message ${id} is not visible through GraphQL`);
  return found;
}

async function countMessages(): Promise<number> {
  let count = 0;
  let after: string | null | undefined;
  for (;;) {
    const page = await admin.Messages({ first: 100, after });
    count += page.messages.edges.length;
    if (!page.messages.pageInfo.hasNextPage) return count;
    after = page.messages.pageInfo.endCursor;
  }
}

function expectSuccess(a: Answer, recipients: number): string[] {
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  expect(a.body.status).toBe('success');
  expect(a.body.messageIds).toHaveLength(recipients);
  expect(a.body.messageId).toBe(a.body.messageIds[0]);
  expect(a.body.messages.map((m: Json) => m.messageId)).toEqual(a.body.messageIds);
  return a.body.messageIds as string[];
}

describe("the guide's examples, pointed at Herald", () => {
  it('curl: GET WhatsApp template with the query string (param1=John%20Doe...)', async () => {
    const url = `${h.url}${WA}?apikey=${h.adminKey}&mobile=918800001234&templatename=invoice_due&mediatype=none&serviceid=18&param1=John%20Doe&param2=INV-1001&param3=2025-04-15&param4=250.00`;
    const { stdout } = await run('curl', ['-s', '-X', 'GET', url]);
    const body = JSON.parse(stdout) as Json;
    expect(body).toEqual({
      status: 'success',
      messageId: expect.any(String),
      messageIds: [body.messageId],
      messages: [{ messageId: body.messageId, to: '+918800001234', status: 'QUEUED' }],
    });
    const m = await message(body.messageId);
    expect(m).toMatchObject({ messageId: body.messageId, channel: 'WHATSAPP', status: 'QUEUED', to: '+918800001234' });
    expect(m.content).toEqual({
      __typename: 'WhatsAppContent',
      templateName: 'invoice_due',
      language: 'en',
      params: ['John Doe', 'INV-1001', '2025-04-15', '250.00'],
      mediaType: 'NONE',
      mediaId: null,
    });
  });

  it('the endpoint URL as printed in the guide (mediatype=none&mediaid&serviceid=18)', async () => {
    const a = await call(
      `${WA}?apikey=${h.adminKey}&mobile=918800001234&templatename=order_update&mediatype=none&mediaid&serviceid=18&param1=1&param2=2&param3=3&param4=4`,
      { key: null },
    );
    const [id] = expectSuccess(a, 1);
    expect((await message(id!)).content).toMatchObject({
      templateName: 'order_update',
      params: ['1', '2', '3', '4'],
      mediaType: 'NONE',
      mediaId: null,
    });
  });

  it('JavaScript fetch: GET with an image template and a mediaid', async () => {
    const apiKey = h.adminKey;
    const mobile = '918800001234';
    const url = `${h.url}${WA}?apikey=${apiKey}&mobile=${mobile}&templatename=welcome_media&mediatype=image&mediaid=${imageId}&serviceid=18&param1=Lead&param2=SpecialOffer`;
    const data = (await fetch(url).then((res) => res.json())) as Json;
    expect(data.status).toBe('success');
    const m = await message(data.messageId);
    expect(m.content).toEqual({
      __typename: 'WhatsAppContent',
      templateName: 'welcome_media',
      language: 'en',
      params: ['Lead', 'SpecialOffer'],
      mediaType: 'IMAGE',
      mediaId: imageId,
    });
  });

  it('Python requests: GET with params (serviceid as a number, a URL parameter)', async () => {
    const script = `
import json, requests, sys
def send_whatsapp_billing(customer_mobile, name, invoice_id):
    url = sys.argv[1] + "${WA}"
    params = {
        "apikey": sys.argv[2],
        "mobile": customer_mobile,
        "templatename": "billing_reminder",
        "mediatype": "document",
        "mediaid": sys.argv[3],
        "serviceid": 18,
        "param1": name,
        "param2": invoice_id,
        "param3": "https://yourbilling.com/pay",
        "param4": "Due in 3 days"
    }
    response = requests.get(url, params=params)
    return response.json()
print(json.dumps(send_whatsapp_billing("918800001234", "John Doe", "INV-1001")))
`;
    let body: Json;
    try {
      body = JSON.parse((await run('python3', ['-c', script, h.url, h.adminKey, docId])).stdout) as Json;
    } catch (err) {
      // Without Python and requests, the same request as requests encodes it.
      if (!String(err).includes('No module named') && !String(err).includes('ENOENT')) throw err;
      const params = new URLSearchParams({
        apikey: h.adminKey,
        mobile: '918800001234',
        templatename: 'billing_reminder',
        mediatype: 'document',
        mediaid: docId,
        serviceid: '18',
        param1: 'John Doe',
        param2: 'INV-1001',
        param3: 'https://yourbilling.com/pay',
        param4: 'Due in 3 days',
      });
      body = (await call(`${WA}?${params}`, { key: null })).body;
    }
    expect(body.status).toBe('success');
    const m = await message(body.messageId);
    expect(m.content).toEqual({
      __typename: 'WhatsAppContent',
      templateName: 'billing_reminder',
      language: 'en',
      params: ['John Doe', 'INV-1001', 'https://yourbilling.com/pay', 'Due in 3 days'],
      mediaType: 'DOCUMENT',
      mediaId: docId,
    });
  });

  it('SMS: GET as in the guide (senderid, nonenglish, flash, serviceid=6, peid, templateid)', async () => {
    const q = new URLSearchParams({
      apikey: h.adminKey,
      senderid: 'HERALD',
      mobile: '918800001234',
      smstext: 'Your invoice INV-1001 is due',
      nonenglish: 'false',
      flash: 'false',
      serviceid: '6',
      peid: '1101456789012345678',
      templateid: '1107161234567890123',
    });
    const a = await call(`${SMS}?${q}`, { key: null });
    const [id] = expectSuccess(a, 1);
    const m = await message(id!);
    expect(m).toMatchObject({ channel: 'SMS', status: 'QUEUED', to: '+918800001234' });
    expect(m.content).toEqual({
      __typename: 'SmsContent',
      text: 'Your invoice INV-1001 is due',
      senderId: 'HERALD',
      encoding: 'GSM7',
      segments: 1,
      flash: false,
      dltEntityId: '1101456789012345678',
      dltTemplateId: '1107161234567890123',
    });
  });

  it('email: GET as in the guide sends plain text; a body with a tag is HTML', async () => {
    const a = await call(
      `${EMAIL}?apikey=${h.adminKey}&emailids=recipient@example.com&emailbody=Hello&emailsubject=Greetings&serviceid=10`,
      { key: null },
    );
    const [id] = expectSuccess(a, 1);
    const m = await message(id!);
    expect(m).toMatchObject({ channel: 'EMAIL', to: 'recipient@example.com' });
    expect(m.content).toMatchObject({
      __typename: 'EmailContent',
      to: ['recipient@example.com'],
      subject: 'Greetings',
      textBody: 'Hello',
      htmlBody: null,
    });

    const html = await postJson(EMAIL, {
      emailids: 'Billing@Example.com',
      emailsubject: 'Invoice INV-1001',
      emailbody: '<p>Your invoice is <b>due</b></p>',
    });
    const htmlMessage = await message(expectSuccess(html, 1)[0]!);
    expect(htmlMessage.content).toMatchObject({
      to: ['billing@example.com'],
      htmlBody: '<p>Your invoice is <b>due</b></p>',
      textBody: null,
    });
    expect(html.body.messages[0].to).toBe('billing@example.com');
  });
});

describe('POST', () => {
  it('JSON body with the key in the apikey header (camelCase names accepted, mediatype in any case)', async () => {
    const a = await postJson(WA, {
      mobile: '918800001234',
      templateName: 'invoice_due',
      mediatype: 'DOCUMENT',
      mediaid: docId,
      serviceid: 18,
      param1: 'John Doe',
      param2: 'INV-1001',
      param3: '2025-04-15',
      param4: 250.5,
      language: 'en_US',
      externalref: 'INV-1001',
      tags: ['billing', 'reminder'],
      callbackurl: 'https://crm.example.com/herald-status',
    });
    const m = await message(expectSuccess(a, 1)[0]!);
    expect(m).toMatchObject({
      externalRef: 'INV-1001',
      tags: ['billing', 'reminder'],
      callbackUrl: 'https://crm.example.com/herald-status',
    });
    expect(m.content).toMatchObject({
      templateName: 'invoice_due',
      language: 'en_US',
      params: ['John Doe', 'INV-1001', '2025-04-15', '250.5'],
      mediaType: 'DOCUMENT',
      mediaId: docId,
    });
  });

  it('form body with a Bearer token; nonenglish and flash as flags; Hindi text is UCS-2', async () => {
    const a = await postForm(
      SMS,
      {
        senderid: 'HERALD',
        mobile: '+918800001234',
        smstext: 'नमस्ते, आपका बिल तैयार है',
        nonenglish: 'true',
        flash: 'TRUE',
        serviceid: '6',
        tags: 'otp,hi',
      },
      { key: null, headers: { authorization: `Bearer ${h.adminKey}` } },
    );
    const m = await message(expectSuccess(a, 1)[0]!);
    expect(m.tags).toEqual(['otp', 'hi']);
    expect(m.content).toMatchObject({
      text: 'नमस्ते, आपका बिल तैयार है',
      encoding: 'UCS2',
      flash: true,
      senderId: 'HERALD',
    });
  });

  it('the key may travel in the JSON body; query string and body are merged', async () => {
    const a = await call(`${SMS}?serviceid=6`, {
      key: null,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apikey: h.adminKey, mobile: 918800001234, smstext: 'number as a JSON number' }),
    });
    expect((await message(expectSuccess(a, 1)[0]!)).to).toBe('+918800001234');
  });

  it('a POST without a body takes its parameters from the query string', async () => {
    const a = await call(`${SMS}?mobile=918800001234&smstext=hi`, { method: 'POST' });
    expectSuccess(a, 1);
  });

  it('sendat holds the message as SCHEDULED (an unencoded + in the offset is understood)', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 24 * 3600_000);
    const inIndia = new Date(at.getTime() + 5.5 * 3600_000).toISOString().slice(0, 19);
    const a = await call(`${SMS}?mobile=918800001234&smstext=later&sendat=${inIndia}+05:30`);
    expect(a.body.messages[0].status).toBe('SCHEDULED');
    const m = await message(a.body.messageId);
    expect(m.sendAt).toBe(at.toISOString());
  });
});

describe('one service layer', () => {
  it('a REST send reaches GraphQL subscribers like a GraphQL send', async () => {
    const client = createClient({
      url: h.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: h.adminKey },
    });
    try {
      const iter = client.iterate({
        query: 'subscription { messageEvents(filter: { tag: "rest-live" }) { messageId status } }',
      });
      await new Promise((r) => setTimeout(r, 100));
      const a = await call(`${SMS}?mobile=918800001234&smstext=watch%20me&tags=rest-live`);
      const timer = setTimeout(() => void iter.return?.(), 10_000);
      const first = await iter.next();
      clearTimeout(timer);
      await iter.return?.();
      expect((first.value as Json | undefined)?.data?.messageEvents).toEqual({
        messageId: a.body.messageId,
        status: 'QUEUED',
      });
    } finally {
      await client.dispose();
    }
  });
});

describe('several recipients', () => {
  it('comma-separated numbers give one message each, in order', async () => {
    const a = await call(
      `${SMS}?mobile=918800001234,%20918800001235,+918800001236&smstext=Hello%20all&senderid=HERALD`,
    );
    const ids = expectSuccess(a, 3);
    expect(a.body.messages.map((m: Json) => m.to)).toEqual(['+918800001234', '+918800001235', '+918800001236']);
    for (const [i, id] of ids.entries()) {
      const m = await message(id);
      expect(m.to).toBe(a.body.messages[i].to);
      expect(m.content).toMatchObject({ text: 'Hello all' });
    }
    expect(new Set(ids).size).toBe(3);
  });

  it('several emailids give one email per recipient', async () => {
    const a = await postJson(EMAIL, {
      emailids: 'a@example.com, b@example.org',
      emailsubject: 'Hi',
      emailbody: 'Hello',
    });
    const ids = expectSuccess(a, 2);
    expect((await message(ids[0]!)).content).toMatchObject({ to: ['a@example.com'] });
    expect((await message(ids[1]!)).content).toMatchObject({ to: ['b@example.org'] });
  });

  it('WhatsApp to a JSON list of numbers', async () => {
    const a = await postJson(WA, { mobile: ['918800001234', '918800001235'], templatename: 'welcome', param1: 'Lead' });
    expectSuccess(a, 2);
  });
});

describe('idempotency', () => {
  it('a repeat with the same Idempotency-Key returns the original ids and stores nothing', async () => {
    const body = { mobile: '918800001234', smstext: 'charge 1', senderid: 'HERALD' };
    const first = await postJson(SMS, body, { headers: { 'idempotency-key': 'order-77' } });
    const before = await countMessages();
    const again = await postJson(SMS, body, { headers: { 'idempotency-key': 'order-77' } });
    expect(again.status).toBe(200);
    expect(again.body.messageIds).toEqual(first.body.messageIds);
    expect(await countMessages()).toBe(before);
    expect((await message(first.body.messageId)).idempotencyKey).toBe('order-77');
    // The same key as a parameter, for clients that can only build URLs.
    const viaParam = await call(
      `${SMS}?mobile=918800001234&smstext=charge%201&senderid=HERALD&idempotencykey=order-77`,
    );
    expect(viaParam.body.messageIds).toEqual(first.body.messageIds);
  });

  it('with several recipients each gets "<key>:<index>"; a repeat returns them all', async () => {
    const q = `${WA}?mobile=918800001234,918800001235&templatename=invoice_due&param1=A`;
    const first = await call(q, { headers: { 'idempotency-key': 'batch-9' } });
    const ids = expectSuccess(first, 2);
    expect((await message(ids[0]!)).idempotencyKey).toBe('batch-9:0');
    expect((await message(ids[1]!)).idempotencyKey).toBe('batch-9:1');
    const before = await countMessages();
    const again = await call(q, { headers: { 'idempotency-key': 'batch-9' } });
    expect(again.body.messageIds).toEqual(ids);
    expect(await countMessages()).toBe(before);
  });

  it('concurrent repeats create one message', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        postJson(SMS, { mobile: '918800001234', smstext: 'race' }, { headers: { 'idempotency-key': 'race-rest' } }),
      ),
    );
    expect(new Set(results.map((r) => r.body.messageId)).size).toBe(1);
  });

  it.each([
    ['different text', SMS, { mobile: '918800001234', smstext: 'charge 2' }],
    ['a different recipient', SMS, { mobile: '918800001235', smstext: 'charge 1' }],
    ['another channel', WA, { mobile: '918800001234', templatename: 'charge' }],
  ])('the same key with %s is a 409 and stores nothing', async (_name, path, body) => {
    await postJson(
      SMS,
      { mobile: '918800001234', smstext: 'charge 1' },
      { headers: { 'idempotency-key': 'conflict-1' } },
    );
    const before = await countMessages();
    const a = await postJson(path, body, { headers: { 'idempotency-key': 'conflict-1' } });
    expect(a.status).toBe(409);
    expect(a.body).toMatchObject({
      status: 'error',
      error: { code: 'IDEMPOTENCY_CONFLICT', field: 'Idempotency-Key' },
    });
    expect(a.body.error.message).toMatch(/already used for a different request/);
    expect(await countMessages()).toBe(before);
  });

  it('a conflicting recipient refuses the whole request before the others are stored', async () => {
    await postJson(
      SMS,
      { mobile: '918800001234,918800001235', smstext: 'pair' },
      { headers: { 'idempotency-key': 'pair-1' } },
    );
    const before = await countMessages();
    const a = await postJson(
      SMS,
      { mobile: '918800001236,918800001235,918800001237', smstext: 'pair' },
      { headers: { 'idempotency-key': 'pair-1' } },
    );
    expect(a.status).toBe(409);
    expect(await countMessages()).toBe(before);
  });
});

describe('refusals', () => {
  type Case = [
    name: string,
    send: () => Promise<Answer>,
    status: number,
    code: string,
    field: string | null,
    message: RegExp,
  ];
  const sms = { mobile: '918800001234', smstext: 'hello' };
  const wa = { mobile: '918800001234', templatename: 'invoice_due' };
  const mail = { emailids: 'a@example.com', emailsubject: 's', emailbody: 'b' };
  const raw = (path: string, contentType: string | undefined, body: BodyInit) =>
    call(path, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });

  const cases: Case[] = [
    ['no mobile', () => call(`${SMS}?smstext=hi`), 400, 'INVALID_INPUT', 'mobile', /^mobile is required/],
    [
      'an invalid number',
      () => call(`${SMS}?mobile=12345&smstext=hi`),
      400,
      'INVALID_INPUT',
      'mobile',
      /^mobile "12345" is not a valid phone number/,
    ],
    [
      'one bad number among several',
      () => call(`${SMS}?mobile=918800001234,call-me,918800001235&smstext=hi`),
      400,
      'INVALID_INPUT',
      'mobile',
      /^mobile "call-me" is not a valid phone number/,
    ],
    [
      '10,001 recipients (more than 100 are a campaign: test/rest-campaign.test.ts)',
      () =>
        postJson(SMS, {
          ...sms,
          mobile: Array.from({ length: 10_001 }, (_, i) => `918800${String(100000 + i)}`).join(','),
        }),
      400,
      'INVALID_INPUT',
      'mobile',
      /at most 10000/,
    ],
    ['no smstext', () => call(`${SMS}?mobile=918800001234`), 400, 'INVALID_INPUT', 'smstext', /^smstext is required/],
    [
      'blank smstext',
      () => postJson(SMS, { ...sms, smstext: '   ' }),
      400,
      'INVALID_INPUT',
      'smstext',
      /^smstext must not be empty/,
    ],
    [
      'oversize smstext',
      () => postJson(SMS, { ...sms, smstext: 'x'.repeat(1601) }),
      400,
      'INVALID_INPUT',
      'smstext',
      /^smstext must be at most 1600/,
    ],
    [
      'a 500 KB smstext',
      () => postJson(SMS, { ...sms, smstext: 'x'.repeat(500_000) }),
      400,
      'INVALID_INPUT',
      'smstext',
      /^smstext must be at most 1600/,
    ],
    [
      'NUL in smstext (query)',
      () => call(`${SMS}?mobile=918800001234&smstext=a%00b`),
      400,
      'INVALID_INPUT',
      'smstext',
      /NUL/,
    ],
    [
      'NUL in smstext (JSON)',
      () => postJson(SMS, { ...sms, smstext: 'a\u0000b' }),
      400,
      'INVALID_INPUT',
      'smstext',
      /NUL/,
    ],
    [
      'NUL in the apikey parameter',
      () => call(`${SMS}?mobile=918800001234&smstext=a&apikey=%00${'x'.repeat(30)}`, { key: null }),
      400,
      'INVALID_INPUT',
      'apikey',
      /NUL/,
    ],
    [
      'a lone surrogate',
      () => raw(SMS, 'application/json', `{"mobile":"918800001234","smstext":"\\ud800"}`),
      400,
      'INVALID_INPUT',
      'smstext',
      /Unicode/,
    ],
    [
      'a bad senderid',
      () => postJson(SMS, { ...sms, senderid: 'WAY-TOO-LONG-SENDER' }),
      400,
      'INVALID_INPUT',
      'senderid',
      /^senderid must be/,
    ],
    [
      'a bad peid',
      () => postJson(SMS, { ...sms, peid: 'abc' }),
      400,
      'INVALID_INPUT',
      'peid',
      /^peid must be the numeric DLT/,
    ],
    [
      'a bad templateid',
      () => postJson(SMS, { ...sms, templateid: '12a' }),
      400,
      'INVALID_INPUT',
      'templateid',
      /^templateid /,
    ],
    [
      'nonenglish=maybe',
      () => call(`${SMS}?mobile=918800001234&smstext=a&nonenglish=maybe`),
      400,
      'INVALID_INPUT',
      'nonenglish',
      /true or false/,
    ],
    [
      'flash as an object',
      () => postJson(SMS, { ...sms, flash: { on: true } }),
      400,
      'INVALID_INPUT',
      'flash',
      /not an object/,
    ],
    [
      'smstext as a list',
      () => postJson(SMS, { ...sms, smstext: ['a', 'b'] }),
      400,
      'INVALID_INPUT',
      'smstext',
      /single value/,
    ],
    [
      'mobile as an object',
      () => postJson(SMS, { ...sms, mobile: { n: 1 } }),
      400,
      'INVALID_INPUT',
      'mobile',
      /not an object/,
    ],
    [
      'mobile as an inexact number',
      () => raw(SMS, 'application/json', '{"mobile":91880000123456789,"smstext":"a"}'),
      400,
      'INVALID_INPUT',
      'mobile',
      /too large/,
    ],
    [
      'mobile null (absent)',
      () => postJson(SMS, { ...sms, mobile: null }),
      400,
      'INVALID_INPUT',
      'mobile',
      /is required/,
    ],
    [
      'a list of objects',
      () => postJson(SMS, { ...sms, mobile: [{}] }),
      400,
      'INVALID_INPUT',
      'mobile',
      /entry 1 must be a string/,
    ],
    [
      'a parameter given twice',
      () => call(`${SMS}?mobile=918800001234&mobile=918800001235&smstext=a`),
      400,
      'INVALID_INPUT',
      'mobile',
      /more than once/,
    ],
    [
      'in query and body',
      () =>
        call(`${SMS}?smstext=a`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...sms }),
        }),
      400,
      'INVALID_INPUT',
      'smstext',
      /more than once/,
    ],
    [
      'an unknown parameter',
      () => call(`${SMS}?mobile=918800001234&smstxt=hi`),
      400,
      'INVALID_INPUT',
      'smstxt',
      /unknown parameter "smstxt"/,
    ],
    [
      'a parameter of another endpoint',
      () => postJson(SMS, { ...sms, param1: 'x' }),
      400,
      'INVALID_INPUT',
      'param1',
      /unknown parameter/,
    ],
    [
      'a weird parameter name',
      () => postJson(SMS, { ...sms, 'a b\u0000': 'x' }),
      400,
      'INVALID_INPUT',
      'a?b?',
      /not a known parameter/,
    ],
    [
      'sendat not a date',
      () => postJson(SMS, { ...sms, sendat: 'tomorrow' }),
      400,
      'INVALID_INPUT',
      'sendat',
      /ISO 8601/,
    ],
    [
      'sendat without a zone',
      () => postJson(SMS, { ...sms, sendat: '2030-01-01T10:00:00' }),
      400,
      'INVALID_INPUT',
      'sendat',
      /time zone/,
    ],
    [
      'sendat beyond 400 days',
      () => postJson(SMS, { ...sms, sendat: '2099-01-01T00:00:00Z' }),
      400,
      'INVALID_INPUT',
      'sendat',
      /^sendat must be within 400 days/,
    ],
    [
      'validuntil in the past',
      () => postJson(SMS, { ...sms, validuntil: '2020-01-01T00:00:00Z' }),
      400,
      'INVALID_INPUT',
      'validuntil',
      /^validuntil must be in the future/,
    ],
    [
      'a bad tag',
      () => postJson(SMS, { ...sms, tags: 'ok,has space' }),
      400,
      'INVALID_INPUT',
      'tags',
      /^tags entry 2: tags are 1 to 64/,
    ],
    [
      '21 tags',
      () => postJson(SMS, { ...sms, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
      400,
      'INVALID_INPUT',
      'tags',
      /^tags at most 20 tags/,
    ],
    [
      'sendat on 30 February',
      () => postJson(SMS, { ...sms, sendat: '2031-02-30T10:00:00Z' }),
      400,
      'INVALID_INPUT',
      'sendat',
      /ISO 8601/,
    ],
    [
      'sendat in month 00',
      () => postJson(SMS, { ...sms, sendat: '2031-00-10T10:00:00Z' }),
      400,
      'INVALID_INPUT',
      'sendat',
      /ISO 8601/,
    ],
    [
      'a bad callbackurl',
      () => postJson(SMS, { ...sms, callbackurl: 'ftp://example.com' }),
      400,
      'INVALID_INPUT',
      'callbackurl',
      /^callbackurl must be an http/,
    ],
    [
      'an oversize externalref',
      () => postJson(SMS, { ...sms, externalref: 'r'.repeat(256) }),
      400,
      'INVALID_INPUT',
      'externalref',
      /^externalref must be at most 255/,
    ],
    [
      'an oversize Idempotency-Key',
      () => postJson(SMS, sms, { headers: { 'idempotency-key': 'k'.repeat(256) } }),
      400,
      'INVALID_INPUT',
      'Idempotency-Key',
      /^Idempotency-Key must be at most 255/,
    ],
    [
      'a key too long for its suffixes',
      () =>
        postJson(
          SMS,
          { ...sms, mobile: '918800001234,918800001235' },
          { headers: { 'idempotency-key': 'k'.repeat(254) } },
        ),
      400,
      'INVALID_INPUT',
      'Idempotency-Key',
      /at most 253 characters with 2 recipients/,
    ],
    [
      'idempotencykey differing from the header',
      () => postJson(SMS, { ...sms, idempotencykey: 'a' }, { headers: { 'idempotency-key': 'b' } }),
      400,
      'INVALID_INPUT',
      'idempotencykey',
      /differs/,
    ],
    [
      'a wrong serviceid',
      () => call(`${WA}?mobile=918800001234&templatename=x&serviceid=6`),
      400,
      'INVALID_INPUT',
      'serviceid',
      /^serviceid "6" is not the WhatsApp service; this endpoint's serviceid is 18/,
    ],
    [
      'a non-numeric serviceid',
      () => postJson(SMS, { ...sms, serviceid: 'six' }),
      400,
      'INVALID_INPUT',
      'serviceid',
      /serviceid is 6/,
    ],
    [
      'no templatename',
      () => call(`${WA}?mobile=918800001234`),
      400,
      'INVALID_INPUT',
      'templatename',
      /^templatename is required/,
    ],
    [
      'a bad templatename',
      () => postJson(WA, { ...wa, templatename: 'Invoice Due!' }),
      400,
      'INVALID_INPUT',
      'templatename',
      /^templatename template names are lower-case/,
    ],
    [
      'mediatype audio',
      () => postJson(WA, { ...wa, mediatype: 'audio' }),
      400,
      'INVALID_INPUT',
      'mediatype',
      /none, image, video, document/,
    ],
    [
      'mediatype image without mediaid',
      () => call(`${WA}?mobile=918800001234&templatename=welcome_media&mediatype=image&mediaid=`),
      400,
      'INVALID_INPUT',
      'mediaid',
      /^mediaid is required when mediaType is IMAGE/,
    ],
    [
      'mediaid with mediatype none',
      () => postJson(WA, { ...wa, mediatype: 'none', mediaid: 'MEDIA_1' }),
      400,
      'INVALID_INPUT',
      'mediatype',
      /^mediatype must be IMAGE/,
    ],
    [
      'a bad language',
      () => postJson(WA, { ...wa, language: 'english' }),
      400,
      'INVALID_INPUT',
      'language',
      /^language must be a language code/,
    ],
    [
      'a gap in the template parameters',
      () => postJson(WA, { ...wa, param1: 'a', param3: 'c' }),
      400,
      'INVALID_INPUT',
      'param2',
      /^param2 is missing/,
    ],
    [
      'an empty template parameter',
      () => call(`${WA}?mobile=918800001234&templatename=x&param1=a&param2=`),
      400,
      'INVALID_INPUT',
      'param2',
      /^param2 must not be empty/,
    ],
    [
      'param101',
      () => postJson(WA, { ...wa, param101: 'x' }),
      400,
      'INVALID_INPUT',
      'param101',
      /beyond the last template parameter, param100/,
    ],
    ['param0', () => postJson(WA, { ...wa, param0: 'x' }), 400, 'INVALID_INPUT', 'param0', /unknown parameter/],
    [
      'a 2 KB template parameter',
      () => postJson(WA, { ...wa, param1: 'p'.repeat(2000) }),
      400,
      'INVALID_INPUT',
      'param1',
      /^param1 must be at most 1024/,
    ],
    [
      'no emailids',
      () => postJson(EMAIL, { ...mail, emailids: ' , ' }),
      400,
      'INVALID_INPUT',
      'emailids',
      /^emailids is required/,
    ],
    [
      'a bad address',
      () => postJson(EMAIL, { ...mail, emailids: 'ok@example.com,not-an-email' }),
      400,
      'INVALID_INPUT',
      'emailids',
      /^emailids "not-an-email" is not a valid email address/,
    ],
    [
      'no emailsubject',
      () => postJson(EMAIL, { emailids: 'a@example.com', emailbody: 'b' }),
      400,
      'INVALID_INPUT',
      'emailsubject',
      /^emailsubject is required/,
    ],
    [
      'no emailbody',
      () => postJson(EMAIL, { emailids: 'a@example.com', emailsubject: 's' }),
      400,
      'INVALID_INPUT',
      'emailbody',
      /^emailbody is required/,
    ],
    [
      'an empty emailbody',
      () => postJson(EMAIL, { ...mail, emailbody: ' ' }),
      400,
      'INVALID_INPUT',
      'emailbody',
      /^emailbody must not be empty/,
    ],
    [
      'a bad emailfrom',
      () => postJson(EMAIL, { ...mail, emailfrom: 'nobody' }),
      400,
      'INVALID_INPUT',
      'emailfrom',
      /^emailfrom is not a valid email address/,
    ],
    [
      'a __proto__ parameter',
      () => raw(SMS, 'application/json', '{"__proto__":{"admin":true},"mobile":"918800001234","smstext":"a"}'),
      400,
      'INVALID_INPUT',
      '__proto__',
      /not an object/,
    ],
    [
      'deeply nested JSON',
      () =>
        raw(SMS, 'application/json', `{"mobile":"918800001234","smstext":${'['.repeat(50_000)}${']'.repeat(50_000)}}`),
      400,
      'INVALID_INPUT',
      'smstext',
      /entry 1 must be a string/,
    ],
    [
      '50 000 parameters',
      () => postJson(SMS, Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`x${i}`, '1']))),
      400,
      'INVALID_INPUT',
      'x0',
      /unknown parameters "x0", "x1"/,
    ],
    [
      'malformed JSON',
      () => raw(SMS, 'application/json', '{"mobile": "918800001234", '),
      400,
      'MALFORMED_REQUEST',
      null,
      /not valid JSON/,
    ],
    [
      'a JSON array body',
      () => raw(SMS, 'application/json', '[1,2]'),
      400,
      'MALFORMED_REQUEST',
      null,
      /must be an object/,
    ],
    [
      'a JSON string body',
      () => raw(SMS, 'application/json', '"hi"'),
      400,
      'MALFORMED_REQUEST',
      null,
      /must be an object/,
    ],
    [
      'invalid UTF-8',
      () => raw(SMS, 'application/json', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
      400,
      'MALFORMED_REQUEST',
      null,
      /UTF-8/,
    ],
    [
      'a text/plain body',
      () => raw(SMS, 'text/plain', 'mobile=918800001234'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      null,
      /application\/json or application\/x-www-form-urlencoded/,
    ],
    [
      'a body without content-type',
      () => raw(SMS, undefined, new Uint8Array([0x61])),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      null,
      /content-type header is missing/,
    ],
    [
      'a latin-1 charset',
      () => raw(SMS, 'application/x-www-form-urlencoded; charset=iso-8859-1', 'mobile=1'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      null,
      /UTF-8/,
    ],
    [
      'multipart',
      () => {
        const f = new FormData();
        f.set('mobile', '918800001234');
        return call(SMS, { method: 'POST', body: f });
      },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      null,
      /multipart\/form-data/,
    ],
  ];

  it.each(cases)(
    '%s: answered with the status and a JSON error naming it; nothing stored',
    async (_name, send, status, code, field, msg) => {
      const before = await countMessages();
      const a = await send();
      expect(a.status, JSON.stringify(a.body)).toBe(status);
      expect(a.body).toEqual({ status: 'error', error: { code, message: expect.stringMatching(msg), field } });
      expect(await countMessages()).toBe(before);
    },
  );

  it('a body over 1 MB is a 413', async () => {
    const before = await countMessages();
    const a = await postJson(SMS, { ...sms, smstext: 'x'.repeat(1_100_000) });
    expect(a.status).toBe(413);
    expect(a.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/1048576 bytes/) });
    expect(await countMessages()).toBe(before);
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])('%s is a 405 with Allow', async (method) => {
    const res = await fetch(`${h.url}${SMS}`, { method, headers: { apikey: h.adminKey } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    if (method !== 'HEAD')
      expect(await res.json()).toMatchObject({ status: 'error', error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it.each(['/api/nope', '/api', '/api/sms/send-sms', '/api/SMS/send-sms-api'])(
    'unknown path %s is a JSON 404',
    async (path) => {
      const a = await call(path);
      expect(a.status).toBe(404);
      expect(a.body).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND', field: null } });
    },
  );

  it('a mediaid must be media of the tenant, of the kind mediatype names (test/media.test.ts covers uploads)', async () => {
    const wrongKind = await postJson(WA, {
      mobile: '918800001234',
      templatename: 'welcome_media',
      mediatype: 'video',
      mediaid: imageId,
    });
    expect(wrongKind).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'INVALID_INPUT',
          field: 'mediaid',
          message: expect.stringMatching(/^mediaid .* is an image, not a video/),
        },
      },
    });
    const unknown = await postJson(WA, {
      mobile: '918800001234',
      templatename: 'welcome_media',
      mediatype: 'image',
      mediaid: 'MEDIA_XYZ123',
    });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: { field: 'mediaid', message: expect.stringMatching(/POST \/api\/media\/upload/) } },
    });
    const get = await call('/api/media/upload');
    expect(get).toMatchObject({ status: 405, headers: expect.anything() });
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('authentication and scopes', () => {
  it.each([
    ['no key', {}, /missing API key/],
    ['a wrong key', { apikey: 'hk_nosuchkey_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, /invalid API key/],
    ['a short key', { apikey: 'x' }, /invalid API key/],
    ['a Basic header', { authorization: 'Basic dXNlcjpwYXNz' }, /missing API key/],
  ])('%s is a 401 and stores nothing', async (_name, headers, msg) => {
    const before = await countMessages();
    const a = await call(`${SMS}?mobile=918800001234&smstext=hi`, { key: null, headers });
    expect(a.status).toBe(401);
    expect(a.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(a.body).toEqual({
      status: 'error',
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(msg), field: null },
    });
    expect(await countMessages()).toBe(before);
  });

  it('a wrong key in the query string is a 401 even with bad parameters (auth comes first)', async () => {
    const a = await call(`${SMS}?apikey=hk_nosuchkey_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&nonsense=1`, { key: null });
    expect(a.status).toBe(401);
  });

  it('two different keys are a 401; the same key twice is fine', async () => {
    const other = await admin.CreateApiKey({ input: { name: 'second', scopes: ['SEND'] } });
    if (other.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
    testKeys.push(other.createApiKey.key);
    const clash = await call(`${SMS}?mobile=918800001234&smstext=hi&apikey=${other.createApiKey.key}`);
    expect(clash.status).toBe(401);
    expect(clash.body.error.message).toMatch(/different API keys/);
    expect((await call(`${SMS}?mobile=918800001234&smstext=hi&apikey=${h.adminKey}`)).status).toBe(200);
    expect((await call(`${SMS}?mobile=918800001234&smstext=hi`, { key: other.createApiKey.key })).status).toBe(200);
  });

  it('a key without the send scope is a 403 and stores nothing', async () => {
    const r = await admin.CreateApiKey({ input: { name: 'reader', scopes: ['READ'] } });
    if (r.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
    const readKey = r.createApiKey.key;
    testKeys.push(readKey);
    const before = await countMessages();
    for (const a of [
      await call(`${SMS}?mobile=918800001234&smstext=hi`, { key: readKey }),
      await postJson(EMAIL, { emailids: 'a@example.com', emailsubject: 's', emailbody: 'b' }, { key: readKey }),
      await call(`${WA}?apikey=${readKey}&mobile=918800001234&templatename=x`, { key: null }),
    ]) {
      expect(a.status).toBe(403);
      expect(a.body).toEqual({
        status: 'error',
        error: { code: 'FORBIDDEN', message: expect.stringMatching(/"send" scope/), field: null },
      });
    }
    expect(await countMessages()).toBe(before);
  });

  it('messages sent with one tenant key are not visible to another tenant', async () => {
    const t = await admin.CreateTenant({ name: 'Other Co' });
    if (t.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
    testKeys.push(t.createTenant.key);
    const a = await call(`${SMS}?mobile=918800001234&smstext=mine`, { key: t.createTenant.key });
    expectSuccess(a, 1);
    expect((await admin.Message({ id: a.body.messageId })).message).toBeNull();
    expect((await h.sdk(t.createTenant.key).Message({ id: a.body.messageId })).message?.content).toMatchObject({
      text: 'mine',
    });
  });
});

describe('configuration: service ids and the per-key rate limit', () => {
  let h2: TestHerald;
  beforeAll(async () => {
    h2 = await startHerald({ HERALD_SERVICE_IDS: 'sms=7', HERALD_KEY_RATE_LIMIT: '3', HERALD_KEY_RATE_BURST: '3' });
    testKeys.push(h2.adminKey);
  });
  afterAll(() => h2?.stop());

  const get = (path: string) => fetch(`${h2.url}${path}`, { headers: { apikey: h2.adminKey } });

  it('HERALD_SERVICE_IDS changes the serviceid an endpoint answers to; the others keep their defaults', async () => {
    const wrong = await get(`${SMS}?mobile=918800001234&smstext=a&serviceid=6`);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Json).error.message).toMatch(/serviceid is 7/);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get(`${SMS}?mobile=918800001234&smstext=a&serviceid=7`)).status).toBe(200);
    expect((await get(`${WA}?mobile=918800001234&templatename=x&serviceid=18`)).status).toBe(200);
    const doc = (await (await fetch(`${h2.url}/api/openapi.json`)).json()) as Json;
    const serviceParam = doc.paths[SMS].get.parameters.find((p: Json) => p.name === 'serviceid');
    expect(serviceParam.example).toBe(7);
  });

  it('past the limit a key gets 429 with Retry-After, and nothing is stored', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(`${SMS}?mobile=918800001234&smstext=burst`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = answers.find((a) => a.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ status: 'error', error: { code: 'RATE_LIMITED' } });
    await new Promise((r) => setTimeout(r, 1100)); // the limit covers the key's GraphQL requests too
    const listed = await h2.sdk().Messages({ first: 100, filter: { channel: 'SMS' } });
    expect(listed.messages.edges.length).toBe(4); // the serviceid test's one, and three of the burst
  });
});

describe('OpenAPI', () => {
  it('GET /api/openapi.json needs no key, is OpenAPI 3.1 and lists the endpoints', async () => {
    const res = await fetch(`${h.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([EMAIL, '/api/media/upload', '/api/openapi.json', SMS, WA].sort());
    for (const path of [WA, SMS, EMAIL]) {
      expect(doc.paths[path].get.responses['200'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/SendSuccess',
      );
      expect(Object.keys(doc.paths[path].post.requestBody.content).sort()).toEqual([
        'application/json',
        'application/x-www-form-urlencoded',
      ]);
      expect(doc.paths[path].get.parameters.some((p: Json) => p.name === 'serviceid')).toBe(true);
    }
    expect(doc.paths[SMS].get.parameters.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining([
        'senderid',
        'mobile',
        'smstext',
        'nonenglish',
        'flash',
        'serviceid',
        'peid',
        'templateid',
      ]),
    );
    expect(doc.paths[WA].get.parameters.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['mobile', 'templatename', 'mediatype', 'mediaid', 'param1', 'param4']),
    );
    expect(doc.components.securitySchemes.apikeyHeader).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'apikey',
      description: 'Recommended.',
    });
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/[^"]+"/g) ?? [];
    for (const r of refs) {
      const [, , kind, name] = /"#\/(components)\/([^/]+)\/([^"]+)"/.exec(r)!;
      expect(doc.components[kind!][name!], r).toBeDefined();
    }
  });
});

describe('logs', () => {
  it('no log line of a test run contains a test API key; access lines carry the path only', async () => {
    const lines = h.logLines();
    const access = lines.map((l) => JSON.parse(l) as Json).filter((l) => l.msg === 'REST request');
    expect(access.length).toBeGreaterThan(50);
    expect(access.every((l) => !String(l.path).includes('?'))).toBe(true);
    expect(access.some((l) => l.status === 401)).toBe(true);
    expect(testKeys.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      for (const key of testKeys) expect(line).not.toContain(key);
      expect(line).not.toMatch(/apikey=/i);
    }
  });
});
