import { readdirSync, readFileSync } from 'node:fs';
import { count } from 'drizzle-orm';
import { getIntrospectionQuery, Kind, parse, print, type DefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { callbackDeliveries, messages } from '../src/db/schema.js';
import { checkLimits } from '../src/graphql/limits.js';
import { schema } from '../src/graphql/schema.js';
import { startHerald, type TestHerald } from './support/herald.js';

// Hostile GraphQL documents: each is refused before it runs, with a typed error (an
// extensions.code) and HTTP 400, quickly, without the server's memory growing, without
// storing anything and without an error-level log line. Herald runs in this process, so its
// memory is this process's.

const LIMIT_CODES = [
  'QUERY_TOO_LARGE',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_MUTATIONS',
];
/** Each hostile answer must come within this. */
const ANSWER_MS = 5_000;
/** The server's resident memory may grow by this much while serving a hostile document. */
const RSS_GROWTH_BYTES = 100 * 1024 * 1024;

let h: TestHerald;
let endpointId: string;

type Answer = {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  ms: number;
  rssGrowth: number;
};

async function post(
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
  target: TestHerald = h,
): Promise<Answer> {
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  try {
    const res = await fetch(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.adminKey}`, ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    return { status: res.status, body: JSON.parse(text), ms, rssGrowth: rssPeak - rssBefore };
  } finally {
    clearInterval(sampler);
  }
}

function expectRefused(a: Answer, codes: string[] = LIMIT_CODES): string {
  expect(a.status, JSON.stringify(a.body).slice(0, 500)).toBe(400);
  expect(a.body.data).toBeUndefined();
  const code = a.body.errors?.[0]?.extensions?.code;
  expect(codes).toContain(code);
  expect(a.ms).toBeLessThan(ANSWER_MS);
  expect(a.rssGrowth).toBeLessThan(RSS_GROWTH_BYTES);
  return code!;
}

const storedMessages = async (): Promise<number> => {
  const [row] = await h.herald.database.db.select({ n: count() }).from(messages);
  return row!.n;
};

const errorLines = () => h.logLines().filter((l) => (JSON.parse(l) as { level: number }).level >= 50);

const sendSms = (alias: string, i: number) =>
  `${alias}: sendSms(input: { to: "+6149157${String(i).padStart(4, '0')}", text: "limit test ${i}" }) { __typename }`;

beforeAll(async () => {
  h = await startHerald();
  // ~20 messages' callbacks on one endpoint (queued with each message's first status).
  const created = await h.sdk().CreateWebhookEndpoint({ input: { url: 'https://receiver.example/herald' } });
  if (created.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint') throw new Error(JSON.stringify(created));
  endpointId = created.createWebhookEndpoint.endpoint.id;
  for (let i = 0; i < 20; i++) await h.sdk().SendSms({ input: { to: `+61491570${600 + i}`, text: `delivery ${i}` } });
});
afterAll(() => h?.stop());

describe('the limits leave legitimate documents alone', () => {
  const limits = loadConfig({}).graphql;

  it('accepts every operation in schema/operations and the introspection query with the default limits', () => {
    const dir = new URL('../schema/operations/', import.meta.url);
    const definitions: DefinitionNode[] = readdirSync(dir)
      .filter((f) => f.endsWith('.graphql'))
      .flatMap((f) => parse(readFileSync(new URL(f, dir), 'utf8')).definitions);
    const fragments = definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    const operations = definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThan(30);
    for (const operation of operations) {
      const document = parse([operation, ...fragments].map((d) => print(d)).join('\n'));
      const errors = checkLimits(limits, schema, document);
      expect(
        errors.map((e) => e.message),
        operation.name?.value,
      ).toEqual([]);
    }
    expect(
      checkLimits(limits, schema, parse(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))),
    ).toEqual([]);
  });

  it('answers a normal page of deliveries', async () => {
    const a = await post(`{ webhookEndpoints { deliveries(first: 100) { id endpoint { id } } } }`);
    expect(a.status).toBe(200);
    expect(
      (a.body.data as { webhookEndpoints: { deliveries: unknown[] }[] }).webhookEndpoints[0]!.deliveries,
    ).toHaveLength(20);
  });
});

describe('hostile documents are refused before they run', () => {
  it('a 1,002-deep query', async () => {
    let query = 'id';
    for (let i = 0; i < 1002; i += 2) query = `deliveries(first: 1) { endpoint { ${query} } }`;
    expectRefused(await post(`{ webhookEndpoints { ${query} } }`));
  });

  it('a query deeper than the depth limit but short', async () => {
    // 11 levels, few tokens: the depth rule, not the token limit, refuses it.
    const query =
      '{ webhookEndpoints { deliveries(first: 1) { endpoint { deliveries(first: 1) { endpoint { deliveries(first: 1) { endpoint { deliveries(first: 1) { endpoint { deliveries(first: 1) { id } } } } } } } } } } }';
    expect(expectRefused(await post(query))).toBe('QUERY_TOO_DEEP');
  });

  it('1,000 aliases of a page of messages with their events and callbacks', async () => {
    const fields = Array.from(
      { length: 1000 },
      (_, i) => `m${i}: messages(first: 100) { edges { node { events { status } callbackDeliveries { id } } } }`,
    );
    expectRefused(await post(`{ ${fields.join(' ')} }`));
  });

  it('more aliases than the limit, in a short document', async () => {
    const fields = Array.from({ length: 16 }, (_, i) => `v${i}: viewer { tenant { id } }`);
    expect(expectRefused(await post(`{ ${fields.join(' ')} }`))).toBe('TOO_MANY_ALIASES');
  });

  it('1,000 sendSms in one mutation store nothing', async () => {
    const before = await storedMessages();
    const fields = Array.from({ length: 1000 }, (_, i) => sendSms(`s${i}`, i));
    expectRefused(await post(`mutation { ${fields.join(' ')} }`));
    expect(await storedMessages()).toBe(before);
  });

  it('more mutation root fields than the limit store nothing; the limit itself is accepted', async () => {
    const before = await storedMessages();
    const eleven = Array.from({ length: 11 }, (_, i) => sendSms(`s${i}`, 100 + i));
    expect(expectRefused(await post(`mutation { ${eleven.join(' ')} }`))).toBe('TOO_MANY_MUTATIONS');
    // Through a fragment too.
    const viaFragment = `mutation { ...Sends s10: sendSms(input: { to: "+61491570210", text: "x" }) { __typename } } fragment Sends on Mutation { ${eleven.slice(0, 10).join(' ')} }`;
    expect(expectRefused(await post(viaFragment))).toBe('TOO_MANY_MUTATIONS');
    expect(await storedMessages()).toBe(before);

    const ten = await post(`mutation { ${eleven.slice(0, 10).join(' ')} }`);
    expect(ten.status).toBe(200);
    expect(await storedMessages()).toBe(before + 10);
  });

  it('5,000 nested inline fragments', async () => {
    let query = '__typename';
    for (let i = 0; i < 5000; i++) query = `... on Query { ${query} }`;
    expect(expectRefused(await post(`{ ${query} }`))).toBe('QUERY_TOO_LARGE');
  });

  it("documents nested past the parser's stack, with the token limit raised to its maximum", async () => {
    const roomy = await startHerald({ HERALD_GRAPHQL_MAX_TOKENS: '10000', HERALD_GRAPHQL_MAX_DEPTH: '100' });
    try {
      // graphql-js parses recursively: thousands of levels overflow its stack (a RangeError,
      // which was a 500) before the token limit is reached.
      let fragments = '__typename';
      for (let i = 0; i < 5000; i++) fragments = `... on Query { ${fragments} }`;
      expectRefused(await post(`{ ${fragments} }`, undefined, {}, roomy), ['QUERY_TOO_DEEP', 'QUERY_TOO_LARGE']);
      let fields = 'id';
      for (let i = 0; i < 3300; i++) fields = `deliveries { ${fields} }`;
      expect(expectRefused(await post(`{ webhookEndpoints { ${fields} } }`, undefined, {}, roomy))).toBe(
        'QUERY_TOO_DEEP',
      );
      expect(roomy.logLines().filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
    } finally {
      await roomy.stop();
    }
  });

  it('nested deliveries under each delivery, with ~20 deliveries stored', async () => {
    const query = `{ webhookEndpoints { deliveries(first: 100) { id endpoint { deliveries(first: 100) { id endpoint { deliveries(first: 100) { id endpoint { id } } } } } } } }`;
    expect(expectRefused(await post(query))).toBe('QUERY_TOO_COMPLEX');
  });

  it('the same with the page sizes in variables', async () => {
    const query = `query($n: Int) { webhookEndpoints { deliveries(first: $n) { id endpoint { deliveries(first: $n) { id endpoint { deliveries(first: $n) { id endpoint { id } } } } } } } }`;
    expect(expectRefused(await post(query, { n: 100 }))).toBe('QUERY_TOO_COMPLEX');
  });

  it('too many directives', async () => {
    const directives = Array.from({ length: 30 }, () => '@include(if: true)').join(' ');
    expect(expectRefused(await post(`{ viewer ${directives} { tenant { id } } }`))).toBe('TOO_MANY_DIRECTIVES');
  });

  it('the limits hold for Server-Sent Events requests', async () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `m${i}: messages(first: 100) { edges { node { id } } }`);
    const a = await post(`{ ${fields.join(' ')} }`, undefined, { accept: 'text/event-stream' });
    expect(a.status).toBe(400);
    expect(LIMIT_CODES).toContain(a.body.errors?.[0]?.extensions?.code);
  });

  it('the limits hold over graphql-ws, and the connection stays usable', async () => {
    const client = createClient({
      url: h.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: h.adminKey },
    });
    const run = async (query: string): Promise<unknown[]> => {
      const out: unknown[] = [];
      try {
        for await (const r of client.iterate({ query })) out.push(r);
      } catch (err) {
        out.push(err);
      }
      return out;
    };
    const codes = (results: unknown[]) =>
      (results[0] as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code ?? (e as Error).message);
    try {
      let deep = 'id';
      for (let i = 0; i < 1002; i += 2) deep = `deliveries(first: 1) { endpoint { ${deep} } }`;
      expect(codes(await run(`{ webhookEndpoints { ${deep} } }`))).toEqual(['QUERY_TOO_LARGE']);
      const nested = `{ webhookEndpoints { deliveries(first: 100) { endpoint { deliveries(first: 100) { endpoint { deliveries(first: 100) { id } } } } } } }`;
      expect(codes(await run(nested))).toEqual(['QUERY_TOO_COMPLEX']);
      const aliases = Array.from({ length: 16 }, (_, i) => `h${i}: heartbeat(intervalMs: 50)`).join(' ');
      expect(codes(await run(`subscription { ${aliases} }`))).toContain('TOO_MANY_ALIASES');
      const [ok] = await run('{ viewer { tenant { name } } }');
      expect(ok).toEqual({ data: { viewer: { tenant: { name: 'default' } } } });
    } finally {
      await client.dispose();
    }
  });
});

describe('no field suggestions', () => {
  it('a mistyped field is refused without "Did you mean"', async () => {
    const a = await post('{ viewr { tenant { id } } }');
    expect(a.body.data).toBeUndefined();
    expect(a.body.errors?.[0]?.message).toMatch(/Cannot query field "viewr"/);
    expect(JSON.stringify(a.body)).not.toMatch(/Did you mean|viewer/);
  });

  it('a mistyped input field or enum value in variables is refused without a suggestion', async () => {
    const messagesOf = (a: Answer) => (a.body.errors ?? []).map((e) => e.message).join('\n');
    const a = await post('mutation($in: SendSmsInput!) { sendSms(input: $in) { __typename } }', {
      in: { too: '+61491570001', text: 'x' },
    });
    expect(a.body.data).toBeUndefined();
    expect(messagesOf(a)).toMatch(/Field "too" is not defined/);
    expect(messagesOf(a)).not.toMatch(/Did you mean/);
    const b = await post('query($s: CallbackDeliveryStatus) { webhookEndpoints { deliveries(status: $s) { id } } }', {
      s: 'DELIVERD',
    });
    expect(messagesOf(b)).toMatch(/DELIVERD/);
    expect(messagesOf(b)).not.toMatch(/Did you mean/);
  });
});

describe('introspection', () => {
  it('is on by default and off with HERALD_GRAPHQL_INTROSPECTION=false', async () => {
    const query = '{ __schema { types { name } } }';
    expect((await post(query)).status).toBe(200);
    const closed = await startHerald({ HERALD_GRAPHQL_INTROSPECTION: 'false' });
    try {
      const a = await post(query, undefined, {}, closed);
      expect(a.status).toBe(400);
      expect(a.body.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
      // Ordinary queries still run.
      expect((await post('{ viewer { tenant { name } } }', undefined, {}, closed)).status).toBe(200);
    } finally {
      await closed.stop();
    }
  });
});

describe('WebhookEndpoint.deliveries', () => {
  it('gives each endpoint its own newest page, with the status filter, in one document', async () => {
    const sdk = h.sdk();
    const second = await sdk.CreateWebhookEndpoint({ input: { url: 'https://other.example/herald' } });
    if (second.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint') throw new Error('endpoint');
    const secondId = second.createWebhookEndpoint.endpoint.id;
    await sdk.SendSms({ input: { to: '+61491570700', text: 'to both endpoints' } });
    const db = h.herald.database.db;
    const all = await db.select().from(callbackDeliveries);
    const newest = (id: string, n: number) =>
      all
        .filter((d) => d.endpointId === id)
        .sort((a, b) => b.id - a.id)
        .slice(0, n)
        .map((d) => String(d.id));

    const a = await post(
      `{ webhookEndpoints { id three: deliveries(first: 3) { id } delivered: deliveries(status: DELIVERED) { id } pending: deliveries(first: 100, status: PENDING) { id } } }`,
    );
    expect(a.status).toBe(200);
    type Page = { id: string }[];
    const endpoints = (
      a.body.data as { webhookEndpoints: { id: string; three: Page; delivered: Page; pending: Page }[] }
    ).webhookEndpoints;
    const byRaw = new Map(endpoints.map((e) => [Buffer.from(e.id, 'base64').toString().split(':')[1], e]));
    for (const id of [endpointId, secondId].map((g) => Buffer.from(g, 'base64').toString().split(':')[1]!)) {
      const e = byRaw.get(id)!;
      expect(e.three.map((d) => d.id)).toEqual(newest(id, 3));
      expect(e.delivered).toEqual([]);
      expect(e.pending.map((d) => d.id)).toEqual(newest(id, 100));
    }
    expect(byRaw.get(Buffer.from(secondId, 'base64').toString().split(':')[1]!)!.pending).toHaveLength(1);
  });
});

describe('no error-level log lines', () => {
  it('none of the refusals logged at error level', () => {
    expect(errorLines()).toEqual([]);
  });
});
