import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, scrubText } from '../src/log.js';
import { startHerald, type TestHerald } from './support/herald.js';

// Logs are for operators: error level is Herald's own faults only, and no line carries a
// message's content (numbers, text, metadata) or a secret, whatever path wrote it.

let h: TestHerald;
let readOnlyKey: string;
beforeAll(async () => {
  // The constraint-violation test below makes inserts fail inside Herald, a fault of its own.
  h = await startHerald(
    { LOG_LEVEL: 'debug' },
    {},
    { expectedErrorLogs: [/^unexpected error while executing an operation$/, /^yoga$/, /^REST request failed$/] },
  );
  const r = await h.sdk().CreateApiKey({ input: { name: 'reader', scopes: ['READ'] } });
  if (r.createApiKey.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(r));
  readOnlyKey = r.createApiKey.key;
});
afterAll(() => h?.stop());

type Line = { level: number; msg: string; [k: string]: unknown };
const lines = (): Line[] => h.logLines().map((l) => JSON.parse(l) as Line);

async function graphql(query: string, variables: Record<string, unknown> = {}, key = h.adminKey): Promise<number> {
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  await res.arrayBuffer();
  return res.status;
}

async function rest(path: string, body: unknown, key = h.adminKey): Promise<number> {
  const res = await fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { apikey: key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('client mistakes are not errors', () => {
  it('a run of coercion, validation, not-found, forbidden and syntax mistakes logs nothing at error level', async () => {
    const before = lines().length;
    const mistakes: Array<() => Promise<number>> = [
      // Variable coercion: a custom scalar, an enum, a missing required field, a wrong type.
      () => graphql('query($first: Int) { messages(first: $first) { edges { node { id } } } }', { first: 'ten' }),
      () =>
        graphql('query($f: MessageFilter) { messages(first: 1, filter: $f) { edges { node { id } } } }', {
          f: { createdAfter: 'yesterday' },
        }),
      () =>
        graphql('query($f: MessageFilter) { messages(first: 1, filter: $f) { edges { node { id } } } }', {
          f: { channel: 'PIGEON' },
        }),
      () =>
        graphql('mutation($input: SendSmsInput!) { sendSms(input: $input) { __typename } }', {
          input: { to: '+14155550100' },
        }),
      () =>
        graphql('mutation($input: SendSmsInput!) { sendSms(input: $input) { __typename } }', {
          input: { to: '+14155550100', text: 'hi', sendAt: 'soon' },
        }),
      // The input is quoted in the client's answer, never in a log line.
      () =>
        graphql('mutation($input: SendSmsInput!) { sendSms(input: $input) { __typename } }', {
          input: { to: '+14155550177', text: 731946285 },
        }),
      () =>
        graphql('mutation($input: SendSmsInput!) { sendSms(input: $input) { __typename } }', {
          input: { to: '+1415555017', text: 'Your code is 731946285' },
        }),
      // Validation (typed errors) and literals.
      () => graphql('mutation { sendSms(input: { to: "not a number", text: "hi" }) { __typename } }'),
      () => graphql('{ messages(first: -5) { edges { node { id } } } }'),
      () => graphql('{ messages(first: 10, after: "garbage-cursor") { edges { node { id } } } }'),
      // Not found, forbidden, syntax, unknown fields.
      () => graphql('{ message(id: "00000000-0000-7000-8000-000000000000") { id } }'),
      () => graphql('mutation { cancelMessage(id: "nope") { __typename } }'),
      () => graphql('mutation { sendSms(input: { to: "+14155550100", text: "hi" }) { __typename } }', {}, readOnlyKey),
      () => graphql('{ apiKeys { id } }', {}, readOnlyKey),
      () => graphql('{ messages(first: 1) { edges { node { id } } '),
      () => graphql('{ nothingHere }'),
      // REST: bad parameters, unknown path, wrong method, bad upload.
      () => rest('/api/sms/send-sms-api', { mobile: 'abc', smstext: 'hi' }),
      () => rest('/api/sms/send-sms-api', { mobile: '14155550100' }),
      () => rest('/api/nowhere', {}),
      () => rest('/api/media/upload', { data: '***' }),
      () =>
        rest('/api/media/upload', {
          mediaType: 'image',
          data: Buffer.from('plain text, not an image').toString('base64'),
        }),
    ];
    for (let round = 0; round < 3; round++) for (const mistake of mistakes) expect((await mistake()) < 500).toBe(true);
    const written = lines().slice(before);
    expect(written.length).toBeGreaterThan(0);
    const errors = written.filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toEqual([]);
    expect(written.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);
    expect(written.filter((l) => /731946285|4155550177|415555017/.test(JSON.stringify(l)))).toEqual([]);
  });
});

describe('a failed insert logs no message content', () => {
  it('a constraint violation on messages: logged at error, without the number, text or metadata', async () => {
    const db = h.herald.database.db;
    // A constraint every new row violates: the insert fails inside Herald, as a fault would.
    await db.execute(
      sql`alter table messages add constraint logging_test_refuse check (recipient <> '+14155550123') not valid`,
    );
    try {
      const before = lines().length;
      const text = 'Private note 5F2Q: the door code is 8812';
      const graphqlStatus = await graphql('mutation($input: SendSmsInput!) { sendSms(input: $input) { __typename } }', {
        input: { to: '+14155550123', text, metadata: { patient: 'Jane Roe 19840311' } },
      });
      expect(graphqlStatus).toBe(200);
      const restStatus = await rest('/api/sms/send-sms-api', { mobile: '14155550123', smstext: text });
      expect(restStatus).toBe(500);
      const written = lines().slice(before);
      const errors = written.filter((l) => l.level >= 50);
      expect(errors.length).toBeGreaterThanOrEqual(2); // the fault is still reported, once per API
      const all = JSON.stringify(written);
      expect(all).toMatch(/logging_test_refuse/); // which constraint failed is kept
      for (const secret of ['4155550123', '5F2Q', '8812', 'Jane Roe', '19840311']) expect(all).not.toContain(secret);
    } finally {
      await db.execute(sql`alter table messages drop constraint logging_test_refuse`);
    }
  });

  it('the scrubbing holds for any error logged under any key', () => {
    const out: string[] = [];
    const log = createLogger('info', { write: (line: string) => void out.push(line) });
    const failed = Object.assign(
      new Error(
        'Failed query: insert into "messages" ("recipient", "text") values ($1, $2)\nparams: +14155550123,hello there\nsecond line',
      ),
      {
        params: ['+14155550123', 'hello there'],
        cause: Object.assign(new Error('new row violates check constraint "x"'), {
          detail: 'Failing row contains (+14155550123, hello there).',
          code: '23514',
        }),
      },
    );
    log.error({ err: failed }, 'a');
    log.error({ nested: { errors: [failed] } }, 'b');
    log.warn(
      {
        error: new Error('duplicate key value violates unique constraint "k"'),
        detail: 'Key (tenant_id, idempotency_key)=(t1, order-77 for +14155550123) already exists.',
      },
      'c',
    );
    expect(out).toHaveLength(3);
    for (const line of out) {
      expect(line).not.toContain('14155550123');
      expect(line).not.toContain('hello there');
    }
    expect(out[0]).toContain('Failed query: insert into');
    expect(JSON.parse(out[0]!).err.cause).toMatchObject({ code: '23514' });
    expect(scrubText('Key (a, b)=(1, 2) already exists.')).toBe('Key (a, b)=[redacted] already exists.');
    expect(scrubText("unnamed portal parameter $2 = '+14155550123'")).toBe('unnamed portal parameter $2 = [redacted]');
  });
});

describe('failed attempts are logged at warn, one line each', () => {
  it('a provider attempt that fails and a callback that cannot be delivered name the message and when the retry comes', async () => {
    const w = await startHerald({
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_SANDBOX_DELAY_MS: '20',
      HERALD_RETRY_BASE_MS: '50',
      HERALD_CALLBACK_POLL_MS: '20',
      HERALD_CALLBACK_TIMEOUT_MS: '2000',
    });
    try {
      // Nothing listens on port 9: every callback attempt fails.
      const endpoint = await w
        .sdk()
        .CreateWebhookEndpoint({ input: { url: 'http://127.0.0.1:9/hooks', events: ['SENT'] } });
      expect(endpoint.createWebhookEndpoint.__typename).toBe('CreatedWebhookEndpoint');
      // The sandbox fails +6149157001N N times before sending.
      const sent = await w.sdk().SendSms({ input: { to: '+61491570011', text: 'fails once' } });
      if (sent.sendSms.__typename !== 'Message') throw new Error(sent.sendSms.__typename);
      const messageId = sent.sendSms.messageId;
      const warned = () =>
        w
          .logLines()
          .map((l) => JSON.parse(l) as Line)
          .filter((l) => l.level === 40 && l.messageId === messageId);
      const deadline = Date.now() + 20_000;
      while (warned().filter((l) => l.msg.startsWith('callback')).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const provider = warned().filter((l) => l.msg === 'provider attempt failed, will retry');
      expect(provider).toHaveLength(1);
      expect(provider[0]).toMatchObject({ provider: 'sandbox', attempt: 1, status: 'QUEUED' });
      expect(provider[0]!.retryInMs).toEqual(expect.any(Number));
      const callback = warned().find((l) => l.msg === 'callback attempt failed, will retry');
      expect(callback).toMatchObject({ attempt: 1, statusCode: null, retryInMs: expect.any(Number) });
      // No line carries the text or the number.
      expect(w.logLines().join('\n')).not.toMatch(/fails once|61491570011/);
    } finally {
      await w.stop();
    }
  }, 60_000);
});
