import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendSmsMutation } from './client/sdk.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';
import { pdf } from './support/media-fixtures.js';
import { messages as messagesTable } from '../src/db/schema.js';

let h: TestHerald;
let admin: Sdk;
let other: Sdk;

beforeAll(async () => {
  h = await startHerald({ HERALD_DEFAULT_COUNTRY: 'IN' });
  admin = h.sdk();
  const created = await admin.CreateTenant({ name: 'Other Co' });
  if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error('tenant not created');
  other = h.sdk(created.createTenant.key);
});
afterAll(() => h?.stop());

function asMessage<T extends { __typename: string }>(result: T): Extract<T, { __typename: 'Message' }> {
  if (result.__typename !== 'Message') throw new Error(`expected a Message, got ${JSON.stringify(result)}`);
  return result as Extract<T, { __typename: 'Message' }>;
}

async function countMessages(sdk: Sdk): Promise<number> {
  let count = 0;
  let after: string | null | undefined;
  for (;;) {
    const page = await sdk.Messages({ first: 100, after });
    count += page.messages.edges.length;
    if (!page.messages.pageInfo.hasNextPage) return count;
    after = page.messages.pageInfo.endCursor;
  }
}

describe('sending on each channel', () => {
  it('stores an SMS as QUEUED with E.164 recipient and segment count, visible to its tenant only', async () => {
    const sent = asMessage(
      (
        await admin.SendSms({
          input: {
            to: '918800001234',
            text: 'Your OTP is 1234',
            senderId: 'HERALD',
            dltEntityId: '1101456789012345678',
            dltTemplateId: '1107161234567890123',
            externalRef: 'inv-1',
            tags: ['otp'],
            metadata: { customer: 42 },
          },
        })
      ).sendSms,
    );
    expect(sent.status).toBe('QUEUED');
    expect(sent.to).toBe('+918800001234');
    expect(sent.content).toMatchObject({
      __typename: 'SmsContent',
      encoding: 'GSM7',
      segments: 1,
      senderId: 'HERALD',
      dltEntityId: '1101456789012345678',
    });
    expect(sent.metadata).toEqual({ customer: 42 });

    const byId = await admin.Message({ id: sent.id });
    expect(byId.message?.messageId).toBe(sent.messageId);
    expect(byId.message?.events.map((e) => e.status)).toEqual(['QUEUED']);
    const byPlainId = await admin.Message({ id: sent.messageId });
    expect(byPlainId.message?.id).toBe(sent.id);
    const node = await admin.Node({ id: sent.id });
    expect(node.node).toMatchObject({ __typename: 'Message', messageId: sent.messageId, status: 'QUEUED' });
    const listed = await admin.Messages({ first: 5, filter: { externalRef: 'inv-1' } });
    expect(listed.messages.edges.map((e) => e.node.messageId)).toEqual([sent.messageId]);

    // The other tenant sees nothing of it, by any route.
    expect((await other.Message({ id: sent.id })).message).toBeNull();
    expect((await other.Message({ id: sent.messageId })).message).toBeNull();
    expect((await other.Node({ id: sent.id })).node).toBeNull();
    expect((await other.Messages({ first: 100 })).messages.edges).toEqual([]);
  });

  it('computes UCS-2 segments for non-GSM text and multipart GSM-7', async () => {
    const hindi = asMessage(
      (await admin.SendSms({ input: { to: '+918800001234', text: 'नमस्ते '.repeat(12) } })).sendSms,
    );
    expect(hindi.content).toMatchObject({ encoding: 'UCS2', segments: 2 });
    const long = asMessage((await admin.SendSms({ input: { to: '+918800001234', text: 'a'.repeat(161) } })).sendSms);
    expect(long.content).toMatchObject({ encoding: 'GSM7', segments: 2 });
    const forced = asMessage(
      (await admin.SendSms({ input: { to: '+918800001234', text: 'plain', unicode: true, flash: true } })).sendSms,
    );
    expect(forced.content).toMatchObject({ encoding: 'UCS2', segments: 1, flash: true });
  });

  it('accepts a national number with the configured default country', async () => {
    const sent = asMessage((await admin.SendSms({ input: { to: '88000 01234', text: 'hi' } })).sendSms);
    expect(sent.to).toBe('+918800001234');
  });

  it('stores a WhatsApp template message', async () => {
    // Header media is an uploaded file (the multipart and URL paths are in media.test.ts).
    const uploaded = await fetch(`${h.url}/api/media/upload`, {
      method: 'POST',
      headers: { apikey: h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ mediaType: 'document', data: pdf().toString('base64'), filename: 'INV-1001.pdf' }),
    });
    const { mediaId } = (await uploaded.json()) as { mediaId: string };
    const sent = asMessage(
      (
        await admin.SendWhatsApp({
          input: {
            to: '+918800001234',
            templateName: 'invoice_due',
            language: 'en_US',
            params: ['John Doe', 'INV-1001', '2025-04-15', '250.00'],
            mediaType: 'DOCUMENT',
            mediaId,
          },
        })
      ).sendWhatsApp,
    );
    expect(sent.channel).toBe('WHATSAPP');
    expect(sent.status).toBe('QUEUED');
    expect(sent.content).toEqual({
      __typename: 'WhatsAppContent',
      templateName: 'invoice_due',
      language: 'en_US',
      params: ['John Doe', 'INV-1001', '2025-04-15', '250.00'],
      mediaType: 'DOCUMENT',
      mediaId,
    });
    expect((await admin.Message({ id: sent.id })).message?.status).toBe('QUEUED');
    expect((await other.Message({ id: sent.id })).message).toBeNull();
  });

  it('stores an email with several recipients', async () => {
    const sent = asMessage(
      (
        await admin.SendEmail({
          input: {
            to: ['Billing@Example.com', 'b@example.org'],
            cc: ['c@example.net'],
            subject: 'Invoice INV-1001',
            html: '<p>Due</p>',
            text: 'Due',
          },
        })
      ).sendEmail,
    );
    expect(sent.to).toBe('billing@example.com');
    expect(sent.content).toMatchObject({
      __typename: 'EmailContent',
      to: ['billing@example.com', 'b@example.org'],
      cc: ['c@example.net'],
      subject: 'Invoice INV-1001',
      htmlBody: '<p>Due</p>',
      textBody: 'Due',
    });
    const found = await admin.Messages({ first: 5, filter: { channel: 'EMAIL', to: 'BILLING@example.com' } });
    expect(found.messages.edges.map((e) => e.node.messageId)).toEqual([sent.messageId]);
    expect((await other.Message({ id: sent.id })).message).toBeNull();
  });

  it('holds a message with a future sendAt as SCHEDULED', async () => {
    const sendAt = new Date(Date.now() + 3600_000).toISOString();
    const validUntil = new Date(Date.now() + 7200_000).toISOString();
    const sent = asMessage(
      (await admin.SendSms({ input: { to: '+918800001234', text: 'later', sendAt, validUntil } })).sendSms,
    );
    expect(sent.status).toBe('SCHEDULED');
    expect(sent.sendAt).toBe(sendAt);
    expect(sent.validUntil).toBe(validUntil);
  });
});

describe('invalid input', () => {
  const sms = { to: '+918800001234', text: 'hello' };
  const cases: Array<[string, () => Promise<{ __typename: string; field?: string; message?: string }>, string]> = [
    ['bad phone', async () => (await admin.SendSms({ input: { ...sms, to: '12345' } })).sendSms, 'to'],
    ['letters for a phone', async () => (await admin.SendSms({ input: { ...sms, to: 'call me' } })).sendSms, 'to'],
    ['empty text', async () => (await admin.SendSms({ input: { ...sms, text: '   ' } })).sendSms, 'text'],
    [
      'oversize SMS text',
      async () => (await admin.SendSms({ input: { ...sms, text: 'x'.repeat(1601) } })).sendSms,
      'text',
    ],
    ['NUL in text', async () => (await admin.SendSms({ input: { ...sms, text: 'a\u0000b' } })).sendSms, 'text'],
    [
      'bad sender id',
      async () => (await admin.SendSms({ input: { ...sms, senderId: 'WAY-TOO-LONG-SENDER' } })).sendSms,
      'senderId',
    ],
    [
      'bad DLT id',
      async () => (await admin.SendSms({ input: { ...sms, dltTemplateId: 'abc' } })).sendSms,
      'dltTemplateId',
    ],
    [
      'oversize idempotency key',
      async () => (await admin.SendSms({ input: { ...sms, idempotencyKey: 'k'.repeat(256) } })).sendSms,
      'idempotencyKey',
    ],
    ['bad tag', async () => (await admin.SendSms({ input: { ...sms, tags: ['has space'] } })).sendSms, 'tags.0'],
    [
      'oversize metadata',
      async () => (await admin.SendSms({ input: { ...sms, metadata: { blob: 'x'.repeat(20_000) } } })).sendSms,
      'metadata',
    ],
    [
      'bad callback URL',
      async () => (await admin.SendSms({ input: { ...sms, callbackUrl: 'ftp://example.com' } })).sendSms,
      'callbackUrl',
    ],
    [
      'validUntil in the past',
      async () => (await admin.SendSms({ input: { ...sms, validUntil: '2020-01-01T00:00:00Z' } })).sendSms,
      'validUntil',
    ],
    [
      'bad template name',
      async () => (await admin.SendWhatsApp({ input: { to: sms.to, templateName: 'Invoice Due!' } })).sendWhatsApp,
      'templateName',
    ],
    [
      'media type without id',
      async () =>
        (await admin.SendWhatsApp({ input: { to: sms.to, templateName: 'welcome_media', mediaType: 'IMAGE' } }))
          .sendWhatsApp,
      'mediaId',
    ],
    [
      'empty template parameter',
      async () =>
        (await admin.SendWhatsApp({ input: { to: sms.to, templateName: 'invoice_due', params: ['ok', ''] } }))
          .sendWhatsApp,
      'params.1',
    ],
    [
      'bad email',
      async () => (await admin.SendEmail({ input: { to: ['not-an-email'], subject: 's', text: 't' } })).sendEmail,
      'to.0',
    ],
    [
      'no email recipients',
      async () => (await admin.SendEmail({ input: { to: [], subject: 's', text: 't' } })).sendEmail,
      'to',
    ],
    [
      'email without body',
      async () => (await admin.SendEmail({ input: { to: ['a@example.com'], subject: 's' } })).sendEmail,
      'text',
    ],
    [
      'oversize subject',
      async () =>
        (await admin.SendEmail({ input: { to: ['a@example.com'], subject: 's'.repeat(999), text: 't' } })).sendEmail,
      'subject',
    ],
  ];

  it.each(cases)('%s is a typed ValidationError naming the field, and stores nothing', async (_name, call, field) => {
    const before = await countMessages(admin);
    const result = await call();
    expect(result.__typename).toBe('ValidationError');
    expect(result.field).toBe(field);
    expect(result.message).toMatch(new RegExp(`^${field.replace('.', '\\.')} `));
    expect(await countMessages(admin)).toBe(before);
  });

  it('an unknown mediaType is refused by the schema with a message naming the allowed values', async () => {
    const before = await countMessages(admin);
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.adminKey}` },
      body: JSON.stringify({
        query: 'mutation($input: SendWhatsAppInput!) { sendWhatsApp(input: $input) { __typename } }',
        variables: { input: { to: '+918800001234', templateName: 'x', mediaType: 'AUDIO' } },
      }),
    });
    const body = (await res.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]?.message).toMatch(/AUDIO.*MediaType/);
    expect(await countMessages(admin)).toBe(before);
  });
});

describe('hostile input is a typed ValidationError, stores nothing and logs no error', () => {
  /** JSON nested `depth` deep, written out as text: JSON.stringify itself would overflow on it. */
  const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;

  /** A mutation sent as raw JSON text (variables spliced in as written). */
  async function raw(query: string, variablesJson: string) {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.adminKey}` },
      body: `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`,
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: Record<string, any>;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      },
    };
  }

  const R = '__typename ... on ValidationError { field message }';
  const SMS = `mutation($in: SendSmsInput!) { sendSms(input: $in) { ${R} } }`;
  const WA = `mutation($in: SendWhatsAppInput!) { sendWhatsApp(input: $in) { ${R} } }`;
  const EMAIL = `mutation($in: SendEmailInput!) { sendEmail(input: $in) { ${R} } }`;
  const sms = '"to":"+918800001234","text":"hello"';
  const wa = '"to":"+918800001234","templateName":"invoice_due"';
  const email = '"to":["a@example.com"],"subject":"s","text":"t"';
  // JSON escapes: a lone surrogate cannot be written any other way in a request body.
  const HIGH = '\\ud800';
  const LOW = '\\udc00';

  const cases: Array<[string, string, string, string, RegExp]> = [
    [
      'metadata nested 5,000 objects deep',
      SMS,
      `{"in":{${sms},"metadata":${nested(5000, '{"a":', '}')}}}`,
      'metadata',
      /nested deeper than 32 levels/,
    ],
    [
      'metadata nested 20,000 arrays deep',
      SMS,
      `{"in":{${sms},"metadata":${nested(20000, '[', ']')}}}`,
      'metadata',
      /nested deeper than 32 levels/,
    ],
    [
      'a lone surrogate in a metadata value',
      SMS,
      `{"in":{${sms},"metadata":{"note":"a${HIGH}b"}}}`,
      'metadata',
      /lone UTF-16 surrogate.*metadata\.note/,
    ],
    [
      'a lone surrogate in a metadata key',
      SMS,
      `{"in":{${sms},"metadata":{"k${LOW}":1}}}`,
      'metadata',
      /key .*lone UTF-16 surrogate/,
    ],
    [
      '__proto__ as a metadata key',
      SMS,
      `{"in":{${sms},"metadata":{"x":{"__proto__":{"admin":true}}}}}`,
      'metadata',
      /key "__proto__"/,
    ],
    [
      'constructor as a metadata key',
      SMS,
      `{"in":{${sms},"metadata":{"constructor":1}}}`,
      'metadata',
      /key "constructor"/,
    ],
    [
      'a lone surrogate in SMS text',
      SMS,
      `{"in":{"to":"+918800001234","text":"hi ${HIGH}"}}`,
      'text',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in externalRef',
      SMS,
      `{"in":{${sms},"externalRef":"ref-${LOW}"}}`,
      'externalRef',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in idempotencyKey',
      SMS,
      `{"in":{${sms},"idempotencyKey":"k-${HIGH}"}}`,
      'idempotencyKey',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in callbackUrl',
      SMS,
      `{"in":{${sms},"callbackUrl":"https://example.com/${HIGH}"}}`,
      'callbackUrl',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in a template parameter',
      WA,
      `{"in":{${wa},"params":["John","${LOW}"]}}`,
      'params.1',
      /lone UTF-16 surrogate/,
    ],
    [
      'metadata nested deep on WhatsApp',
      WA,
      `{"in":{${wa},"metadata":${nested(3000, '{"a":', '}')}}}`,
      'metadata',
      /nested deeper/,
    ],
    [
      'a lone surrogate in email html',
      EMAIL,
      `{"in":{"to":["a@example.com"],"subject":"s","html":"<p>${HIGH}</p>"}}`,
      'html',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in email subject',
      EMAIL,
      `{"in":{"to":["a@example.com"],"subject":"s${LOW}","text":"t"}}`,
      'subject',
      /lone UTF-16 surrogate/,
    ],
    [
      'a lone surrogate in email text',
      EMAIL,
      `{"in":{${email.replace('"text":"t"', `"text":"${HIGH}"`)}}}`,
      'text',
      /lone UTF-16 surrogate/,
    ],
  ];

  it.each(cases)('%s', async (_name, query, variables, field, message) => {
    const before = await h.herald.services.db.$count(messagesTable);
    const logged = h.logLines().length;
    const { status, body } = await raw(query, variables);
    expect(status).toBe(200);
    const result = Object.values(body.data ?? {})[0];
    expect(result, JSON.stringify(body)).toMatchObject({ __typename: 'ValidationError', field });
    expect(result.message).toMatch(new RegExp(`^${field.replace('.', '\\.')} `));
    expect(result.message).toMatch(message);
    expect(await h.herald.services.db.$count(messagesTable)).toBe(before);
    expect(
      h
        .logLines()
        .slice(logged)
        .filter((l) => JSON.parse(l).level >= 50),
    ).toEqual([]);
  });

  it('messages(filter) with NUL or a lone surrogate in to, tag or externalRef is an INVALID_INPUT naming the filter field', async () => {
    const query = 'query($f: MessageFilter) { messages(first: 5, filter: $f) { edges { node { id } } } }';
    for (const key of ['to', 'tag', 'externalRef']) {
      for (const value of ['a\\u0000b', `a${HIGH}`]) {
        const { body } = await raw(query, `{"f":{"${key}":"${value}"}}`);
        expect(body.errors?.[0], `${key} ${value}`).toMatchObject({
          extensions: { code: 'INVALID_INPUT', field: `filter.${key}` },
        });
      }
    }
  });

  it('the DateTime scalar refuses dates that do not exist and values without a zone, naming the argument path; it keeps the rest', async () => {
    const refused: Array<[string, string]> = [
      ['2027-02-30T10:00:00Z', 'a day February does not have'],
      ['2027-04-31T10:00:00Z', 'a day April does not have'],
      ['2027-02-10T24:00:00Z', 'hour 24'],
      ['2027-02-10T10:60:00Z', 'minute 60'],
      ['2027-02-10T10:00:00', 'no time zone'],
      ['2027-02-10', 'a date without a time'],
      ['2027-02-10T10:00:00+25:00', 'an offset of 25 hours'],
    ];
    const before = await h.herald.services.db.$count(messagesTable);
    const logged = h.logLines().length;
    for (const [value, why] of refused) {
      const { body } = await raw(SMS, JSON.stringify({ in: { to: '+918800001234', text: 'later', sendAt: value } }));
      expect(body.data, why).toBeUndefined();
      expect(body.errors?.[0]?.message, why).toMatch(
        /"\$in".*at "in\.sendAt".*DateTime must be an ISO 8601 date-time that exists, with a time zone/,
      );
    }
    expect(await h.herald.services.db.$count(messagesTable)).toBe(before);
    // A value that does not coerce is the client's mistake: nothing at error level.
    expect(
      h
        .logLines()
        .slice(logged)
        .filter((l) => JSON.parse(l).level >= 50),
    ).toEqual([]);

    const at = new Date(Date.now() + 30 * 24 * 3600_000);
    const day = at.toISOString().slice(0, 10);
    const validUntil = new Date(at.getTime() + 24 * 3600_000).toISOString();
    for (const [sendAt, expected] of [
      [`${day}T10:00:00Z`, `${day}T10:00:00.000Z`],
      [`${day}T10:00:00.123Z`, `${day}T10:00:00.123Z`],
      [`${day}T15:30:00+05:30`, `${day}T10:00:00.000Z`],
    ]) {
      const sent = asMessage(
        (await admin.SendSms({ input: { to: '+918800001234', text: 'later', sendAt, validUntil } })).sendSms,
      );
      expect(sent.sendAt).toBe(expected);
    }
  });
});

describe('idempotency', () => {
  it('a repeated idempotencyKey returns the original message', async () => {
    const input = { to: '+918800001234', text: 'charge 1', idempotencyKey: 'order-77' };
    const first = asMessage((await admin.SendSms({ input })).sendSms);
    const again = asMessage((await admin.SendSms({ input: { ...input, text: 'charge 1 (retry)' } })).sendSms);
    expect(again.messageId).toBe(first.messageId);
    expect(again.content).toMatchObject({ text: 'charge 1' });
  });

  it('concurrent repeats create exactly one message', async () => {
    const input = { to: '+918800001234', text: 'race', idempotencyKey: 'race-1' };
    const results = await Promise.all(Array.from({ length: 25 }, () => admin.SendSms({ input })));
    const ids = new Set(results.map((r: SendSmsMutation) => asMessage(r.sendSms).messageId));
    expect(ids.size).toBe(1);
    const page = await admin.Messages({ first: 100, filter: { to: '+918800001234' } });
    const raceMessages = page.messages.edges.filter((e) => ids.has(e.node.messageId));
    expect(raceMessages).toHaveLength(1);
  });

  it('keys are per tenant', async () => {
    const input = { to: '+918800001234', text: 'mine', idempotencyKey: 'shared-key' };
    const a = asMessage((await admin.SendSms({ input })).sendSms);
    const b = asMessage((await other.SendSms({ input })).sendSms);
    expect(a.messageId).not.toBe(b.messageId);
  });
});
