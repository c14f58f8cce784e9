import { readFileSync } from 'node:fs';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
} from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { schema } from '../src/graphql/schema.js';
import { png } from './support/media-fixtures.js';
import { startHerald, type TestHerald } from './support/herald.js';

// Every root field, every node type, every subscription (graphql-ws and SSE) and every HTTP
// route, tried with five keys and compared with the scope table in the README. The lists come
// from the schema and the OpenAPI document: a new field or route without a row fails here.

type Need = 'none' | 'any' | 'send' | 'read' | 'admin' | 'operator' | 'per-type';
type Outcome = 'allowed' | 'forbidden' | 'unauthenticated';
type Caller = { name: string; key: string; scopes: string[]; operator: boolean; revoked: boolean; ownTenant: boolean };

/** The README's table: operation → what it needs. */
function readScopeTable(): Map<string, Need> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Scopes and subscriptions');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const table = new Map<string, Need>();
  for (const m of section.matchAll(/^\| `([^`]+)`(?: → `([^`]+)`)? \| (.+?) \|$/gm)) {
    const name = m[2] ? `node → ${m[2]}` : m[1]!;
    const text = m[3]!;
    const need: Need | undefined = /^none/.test(text)
      ? 'none'
      : /^any key/.test(text)
        ? 'any'
        : /operator tenant/.test(text)
          ? 'operator'
          : /^the scope of/.test(text)
            ? 'per-type'
            : ({ '`SEND`': 'send', '`READ`': 'read', '`ADMIN`': 'admin' } as const)[text];
    if (!need) throw new Error(`README scope table: cannot read "${text}" for ${name}`);
    table.set(name, need);
  }
  return table;
}

const table = readScopeTable();

function expected(need: Need, c: Caller): Outcome {
  if (need === 'none') return 'allowed';
  if (c.revoked) return 'unauthenticated';
  if (need === 'any') return 'allowed';
  if (need === 'operator') return c.operator && c.scopes.includes('ADMIN') ? 'allowed' : 'forbidden';
  return c.scopes.includes(need.toUpperCase()) ? 'allowed' : 'forbidden';
}

const needOf = (name: string): Need => {
  const need = table.get(name);
  if (!need) throw new Error(`${name} has no row in the README's scope table: add one`);
  return need;
};

let h: TestHerald;
let callers: Caller[];
let nodeIds: Map<string, string>;
let mediaId: string;
let messageText: string;

async function issue(scopes: Array<'SEND' | 'READ' | 'ADMIN'>): Promise<{ key: string; id: string }> {
  const r = await h.sdk().CreateApiKey({ input: { name: `matrix ${scopes.join('+')}`, scopes } });
  if (r.createApiKey.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(r));
  return { key: r.createApiKey.key, id: r.createApiKey.apiKey.id };
}

beforeAll(async () => {
  h = await startHerald();
  const admin = h.sdk();
  const send = await issue(['SEND']);
  const read = await issue(['READ']);
  const adminOnly = await issue(['ADMIN']);
  const revoked = await issue(['SEND', 'READ', 'ADMIN']);
  expect((await admin.RevokeApiKey({ id: revoked.id })).revokeApiKey.__typename).toBe('ApiKey');
  const other = await admin.CreateTenant({ name: 'Matrix Other' });
  if (other.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
  callers = [
    { name: 'send-only', key: send.key, scopes: ['SEND'], operator: true, revoked: false, ownTenant: true },
    { name: 'read-only', key: read.key, scopes: ['READ'], operator: true, revoked: false, ownTenant: true },
    { name: 'admin-only', key: adminOnly.key, scopes: ['ADMIN'], operator: true, revoked: false, ownTenant: true },
    {
      name: 'revoked',
      key: revoked.key,
      scopes: ['SEND', 'READ', 'ADMIN'],
      operator: true,
      revoked: true,
      ownTenant: true,
    },
    {
      name: 'other tenant',
      key: other.createTenant.key,
      scopes: ['SEND', 'READ', 'ADMIN'],
      operator: false,
      revoked: false,
      ownTenant: false,
    },
  ];

  // One node of every type, owned by the operator tenant.
  messageText = `matrix secret ${Math.random().toString(36).slice(2)}`;
  const sms = await admin.SendSms({ input: { to: '+918800001234', text: messageText } });
  if (sms.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(sms));
  const template = await admin.CreateTemplate({ input: { channel: 'SMS', name: 'matrix', body: 'Hi {{1}}' } });
  if (template.createTemplate.__typename !== 'Template') throw new Error(JSON.stringify(template));
  const endpoint = await admin.CreateWebhookEndpoint({ input: { url: 'https://callbacks.example.com/herald' } });
  if (endpoint.createWebhookEndpoint.__typename !== 'CreatedWebhookEndpoint') throw new Error(JSON.stringify(endpoint));
  const upload = await fetch(`${h.url}/api/media/upload`, {
    method: 'POST',
    headers: { apikey: h.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ mediaType: 'image', data: png().toString('base64'), filename: 'matrix.png' }),
  });
  mediaId = ((await upload.json()) as { mediaId: string }).mediaId;
  const campaign = await admin.CreateCampaign({
    input: { name: 'matrix', channel: 'SMS', content: { sms: { text: 'Hi {{1}}' } } },
  });
  if (campaign.createCampaign.__typename !== 'Campaign') throw new Error(JSON.stringify(campaign));
  nodeIds = new Map([
    ['Message', sms.sendSms.id],
    ['Template', template.createTemplate.id],
    ['WebhookEndpoint', endpoint.createWebhookEndpoint.endpoint.id],
    ['Media', encodeGlobalID('Media', mediaId)],
    ['ApiKey', send.id],
    ['Campaign', campaign.createCampaign.id],
  ]);
});
afterAll(() => h?.stop());

// --- GraphQL over HTTP ---------------------------------------------------------------------------

type GraphQLAnswer = {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string } }> };
};

async function graphql(
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
  files: string[] = [],
): Promise<GraphQLAnswer> {
  let init: RequestInit;
  if (files.length === 0) {
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    };
  } else {
    // GraphQL multipart request: each File variable gets a small text file.
    const form = new FormData();
    form.set('operations', JSON.stringify({ query, variables }));
    form.set('map', JSON.stringify(Object.fromEntries(files.map((v, i) => [String(i), [`variables.${v}`]]))));
    for (const i of files.keys()) form.set(String(i), new Blob(['matrix\n'], { type: 'text/plain' }), 'matrix.txt');
    init = {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'graphql-require-preflight': '1' },
      body: form,
    };
  }
  const res = await fetch(h.graphqlUrl, init);
  return { status: res.status, body: (await res.json()) as GraphQLAnswer['body'] };
}

const refusedIn = (errors: GraphQLAnswer['body']['errors']): Outcome =>
  errors?.some((e) => e.extensions?.code === 'FORBIDDEN') ? 'forbidden' : 'allowed';

function classify(answer: GraphQLAnswer): Outcome {
  if (answer.status === 401) return 'unauthenticated';
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return refusedIn(answer.body.errors);
}

/** A value of the type that passes GraphQL validation (the resolver may still refuse it). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  const scalars: Record<string, unknown> = {
    ID: 'matrix-unknown-id',
    String: 'x',
    Int: 1,
    Float: 1,
    Boolean: false,
    DateTime: '2030-01-01T00:00:00.000Z',
    JSON: {},
    File: null,
  };
  if (!(type.name in scalars)) throw new Error(`no sample value for scalar ${type.name}: add one to the scope matrix`);
  return scalars[type.name];
}

/** A document calling `field` with every required argument as a variable. */
function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const variables = Object.fromEntries(required.map((a) => [a.name, sample(a.type)]));
  const files = required.filter((a) => getNamedType(a.type).name === 'File').map((a) => a.name);
  const defs = required.length ? `(${required.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const args = required.length ? `(${required.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return { query: `${kind} Matrix${defs} { ${field.name}${args}${selection} }`, variables, files };
}

const roots = [
  ['query', schema.getQueryType()!],
  ['mutation', schema.getMutationType()!],
  ['subscription', schema.getSubscriptionType()!],
] as const;

const rootFieldNames = roots.flatMap(([, type]) => Object.keys(type.getFields()).map((f) => `${type.name}.${f}`));
const nodeTypes = schema.getPossibleTypes(schema.getType('Node') as GraphQLInterfaceType).map((t) => t.name);

describe('the README scope table', () => {
  it('has a row for every root field and node type, and none for fields that do not exist', () => {
    for (const name of rootFieldNames)
      expect(table.has(name), `${name} needs a row in the README scope table`).toBe(true);
    for (const t of nodeTypes) expect(table.has(`node → ${t}`), `node → ${t} needs a row`).toBe(true);
    const known = new Set([...rootFieldNames, ...nodeTypes.map((t) => `node → ${t}`)]);
    const graphqlRows = [...table.keys()].filter((k) => /^(Query|Mutation|Subscription)\.|^node → /.test(k));
    expect(graphqlRows.filter((k) => !known.has(k))).toEqual([]);
  });
});

describe('root fields over HTTP', () => {
  const fields = roots
    .filter(([kind]) => kind !== 'subscription')
    .flatMap(([kind, type]) =>
      Object.values((type as GraphQLObjectType).getFields()).map((f) => [kind, type.name, f] as const),
    );

  it.each(fields.map(([kind, typeName, f]) => [`${typeName}.${f.name}`, kind, f] as const))(
    '%s',
    async (name, kind, field) => {
      const need = needOf(name);
      const { query, variables, files } = operationFor(kind, field);
      for (const c of callers) {
        const outcome = classify(await graphql(c.key, query, variables, files));
        // node/nodes: any valid key reaches the field; the type of each id decides (tried below).
        const want = need === 'per-type' ? expected('any', c) : expected(need, c);
        expect(`${c.name}: ${outcome}`).toBe(`${c.name}: ${want}`);
      }
    },
  );
});

describe('node and nodes on every node type', () => {
  it('every node type has an instance in the matrix', () => {
    expect(nodeTypes.filter((t) => !nodeIds.has(t))).toEqual([]);
  });

  it.each(nodeTypes)('node(id) on %s', async (typename) => {
    const need = needOf(`node → ${typename}`);
    const id = nodeIds.get(typename)!;
    for (const c of callers) {
      const answer = await graphql(c.key, 'query($id: ID!) { node(id: $id) { __typename id } }', { id });
      const outcome = classify(answer);
      const want = expected(need, c);
      expect(`${c.name}: ${outcome}`).toBe(`${c.name}: ${want}`);
      if (outcome === 'allowed') {
        // Another tenant's key has the scope but finds nothing: tenants never see each other.
        expect(answer.body.errors).toBeUndefined();
        expect(answer.body.data.node).toEqual(c.ownTenant ? { __typename: typename, id } : null);
      } else if (outcome === 'forbidden') {
        expect(answer.body.data.node).toBeNull();
      }
    }
  });

  it('nodes(ids) with one id of every type answers each index on its own', async () => {
    const ids = nodeTypes.map((t) => nodeIds.get(t)!);
    for (const c of callers) {
      const answer = await graphql(c.key, 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids });
      if (c.revoked) {
        expect(answer.status).toBe(401);
        continue;
      }
      expect(answer.status).toBe(200);
      expect(answer.body.data?.nodes, `${c.name}: ${JSON.stringify(answer.body)}`).toHaveLength(ids.length);
      nodeTypes.forEach((typename, i) => {
        const want = expected(needOf(`node → ${typename}`), c);
        const error = answer.body.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(['nodes', i]));
        if (want === 'allowed') {
          expect(error, `${c.name} ${typename}`).toBeUndefined();
          expect(answer.body.data.nodes[i]).toEqual(c.ownTenant ? { __typename: typename, id: ids[i] } : null);
        } else {
          expect(error?.extensions?.code, `${c.name} ${typename}`).toBe('FORBIDDEN');
          expect(answer.body.data.nodes[i]).toBeNull();
        }
      });
    }
  });
});

describe('node and nodes, the defects fixed', () => {
  it('node on an ApiKey id loads the key for an admin key', async () => {
    const id = nodeIds.get('ApiKey')!;
    const answer = await graphql(
      h.adminKey,
      'query($id: ID!) { node(id: $id) { __typename id ... on ApiKey { scopes revokedAt } } }',
      { id },
    );
    expect(answer.body).toEqual({ data: { node: { __typename: 'ApiKey', id, scopes: ['SEND'], revokedAt: null } } });
  });

  it('nodes with an ApiKey id among others answers every index', async () => {
    const ids = [nodeIds.get('ApiKey')!, nodeIds.get('Message')!];
    const answer = await graphql(h.adminKey, 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids });
    expect(answer.body).toEqual({
      data: {
        nodes: [
          { __typename: 'ApiKey', id: ids[0] },
          { __typename: 'Message', id: ids[1] },
        ],
      },
    });
  });

  it('node(id) { ... on Message { content } } resolves the content union for a READ key', async () => {
    const read = callers.find((c) => c.name === 'read-only')!;
    const query =
      'query($id: ID!) { node(id: $id) { ... on Message { content { __typename ... on SmsContent { text } } } } }';
    const answer = await graphql(read.key, query, { id: nodeIds.get('Message')! });
    expect(answer.body).toEqual({ data: { node: { content: { __typename: 'SmsContent', text: messageText } } } });
  });

  it('a send-only key cannot read message content through node or nodes', async () => {
    const send = callers.find((c) => c.name === 'send-only')!;
    const id = nodeIds.get('Message')!;
    const one = await graphql(
      send.key,
      'query($id: ID!) { node(id: $id) { ... on Message { content { ... on SmsContent { text } } } } }',
      { id },
    );
    const many = await graphql(
      send.key,
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Message { content { ... on SmsContent { text } } } } }',
      { ids: [id] },
    );
    for (const answer of [one, many]) {
      expect(JSON.stringify(answer.body)).not.toContain(messageText);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

// --- subscriptions ---------------------------------------------------------------------------------

const FIRST_ANSWER_MS = 1_500;

/** The first answer of a subscription over graphql-ws; still open after a while counts as allowed. */
async function overWebSocket(key: string, query: string, variables: Record<string, unknown>): Promise<Outcome> {
  const client = createClient({
    url: h.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { apiKey: key },
  });
  try {
    const first = client.iterate({ query, variables }).next();
    const outcome = await Promise.race([
      first.then(
        // A refusal at subscribe time arrives as a result with errors (then complete).
        (r) => refusedIn((r.value as { errors?: GraphQLAnswer['body']['errors'] } | undefined)?.errors),
        (err: unknown) => {
          if (typeof (err as { code?: unknown }).code === 'number')
            return (err as { code: number }).code === 4403 ? ('unauthenticated' as const) : ('allowed' as const);
          return refusedIn(err as GraphQLAnswer['body']['errors']);
        },
      ),
      new Promise<'allowed'>((resolve) => setTimeout(() => resolve('allowed'), FIRST_ANSWER_MS)),
    ]);
    return outcome;
  } finally {
    await client.dispose();
  }
}

/** The first answer of a subscription over SSE. */
async function overSse(key: string, query: string, variables: Record<string, unknown>): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FIRST_ANSWER_MS);
  try {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    if (res.status === 401) return 'unauthenticated';
    expect(res.status).toBe(200);
    let text = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += Buffer.from(chunk).toString('utf8');
        if (/event: next\ndata: .*\n\n/.test(text)) break;
      }
    } catch {
      return 'allowed'; // still open when the wait ended
    }
    const data = /event: next\ndata: (.*)\n\n/.exec(text)?.[1];
    const payload = data
      ? (JSON.parse(data) as { errors?: Array<{ message: string; extensions?: { code?: string } }> })
      : {};
    return refusedIn(payload.errors);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

describe('subscriptions over graphql-ws and SSE', () => {
  const fields = Object.values(schema.getSubscriptionType()!.getFields());
  it.each(fields.map((f) => [`Subscription.${f.name}`, f] as const))('%s', async (name, field) => {
    const need = needOf(name);
    const { query, variables } = operationFor('subscription', field);
    for (const c of callers) {
      const want = expected(need, c);
      const [ws, sse] = await Promise.all([overWebSocket(c.key, query, variables), overSse(c.key, query, variables)]);
      expect(`${c.name} ws: ${ws}, sse: ${sse}`).toBe(`${c.name} ws: ${want}, sse: ${want}`);
    }
    // Nothing stays attached to the hub once the clients went away.
    await expect.poll(() => h.herald.services.statusHub.size).toBe(0);
  });
});

// --- HTTP routes -------------------------------------------------------------------------------

describe('HTTP routes', () => {
  /** The /api/ routes from the OpenAPI document, and the routes outside /api/. */
  async function routes(): Promise<Array<{ path: string; method: 'GET' | 'POST' }>> {
    const doc = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const api = Object.entries(doc.paths).map(([path, item]) => ({
      path,
      method: 'post' in item ? ('POST' as const) : ('GET' as const),
    }));
    return [
      ...api,
      { path: '/media/<mediaId>', method: 'GET' },
      { path: '/metrics', method: 'GET' },
      { path: '/healthz', method: 'GET' },
    ];
  }

  it('every route has a row in the README scope table', async () => {
    const missing = (await routes()).map((r) => r.path).filter((p) => !table.has(p));
    expect(missing).toEqual([]);
  });

  it('every route answers each key as the table says (401 without a valid key, 403 without the scope)', async () => {
    for (const route of await routes()) {
      const need = needOf(route.path);
      for (const c of callers) {
        const url = `${h.url}${route.path.replace('<mediaId>', mediaId)}`;
        const res = await fetch(url, {
          method: route.method,
          headers: { apikey: c.key, ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
          ...(route.method === 'POST' ? { body: '{}' } : {}),
        });
        await res.arrayBuffer();
        const outcome: Outcome = res.status === 401 ? 'unauthenticated' : res.status === 403 ? 'forbidden' : 'allowed';
        expect(`${route.method} ${route.path} ${c.name}: ${outcome}`).toBe(
          `${route.method} ${route.path} ${c.name}: ${expected(need, c)}`,
        );
        expect(res.status, `${route.path} ${c.name}`).toBeLessThan(500);
        // Media of one tenant is not found for another.
        if (route.path.startsWith('/media/') && outcome === 'allowed') expect(res.status).toBe(c.ownTenant ? 200 : 404);
      }
    }
  });
});

describe('logs', () => {
  it('refusals are never logged at error level, and no key appears in a log line', () => {
    const lines = h.logLines();
    expect(lines.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
    const secrets = [h.adminKey, ...callers.map((c) => c.key)];
    expect(lines.filter((l) => secrets.some((k) => l.includes(k)))).toEqual([]);
  });
});
