import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHerald, type TestHerald } from './support/herald.js';
import { eventually } from './support/clock.js';

let h: TestHerald;
const issuedKeys: string[] = [];

beforeAll(async () => {
  h = await startHerald();
});
afterAll(() => h?.stop());

async function post(headers: Record<string, string>, query: string, variables?: unknown) {
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> },
  };
}

async function issue(scopes: Array<'SEND' | 'READ' | 'ADMIN'>, name = 'k'): Promise<{ key: string; id: string }> {
  const r = await h.sdk().CreateApiKey({ input: { name, scopes } });
  if (r.createApiKey.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(r));
  issuedKeys.push(r.createApiKey.key);
  return { key: r.createApiKey.key, id: r.createApiKey.apiKey.id };
}

describe('authentication', () => {
  it.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer hk_nosuchkey_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }],
    ['a short key', { apikey: 'x' }],
    ['a malformed header', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('%s gets HTTP 401 with a clear message', async (_name, headers) => {
    const r = await post(headers, '{ viewer { scopes } }');
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.body.errors?.[0]?.message).toMatch(/API key/);
  });

  it('accepts the key as a Bearer token or in the apikey header', async () => {
    for (const headers of [{ authorization: `Bearer ${h.adminKey}` }, { apikey: h.adminKey }] as Record<
      string,
      string
    >[]) {
      const r = await post(headers, '{ viewer { tenant { name isOperator } scopes } }');
      expect(r.status).toBe(200);
      expect(r.body.data.viewer).toEqual({
        tenant: { name: 'default', isOperator: true },
        scopes: ['SEND', 'READ', 'ADMIN'],
      });
    }
  });

  it('serves GraphiQL without a key but no operation', async () => {
    const page = await fetch(h.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  });
});

describe('api keys', () => {
  it('creates, lists (prefix, scopes, last used) and revokes keys', async () => {
    const { key, id } = await issue(['SEND', 'READ'], 'billing app');
    expect(key.startsWith('hk_')).toBe(true);
    const viewer = await h.sdk(key).Viewer();
    expect(viewer.viewer.scopes).toEqual(['SEND', 'READ']);

    // Last use is written after the request is answered, off its path.
    const listed = await eventually(
      async () => (await h.sdk().ApiKeys()).apiKeys.find((k) => k.id === id),
      (k) => k?.lastUsedAt != null,
    );
    expect(listed).toMatchObject({
      name: 'billing app',
      prefix: key.slice(0, 12),
      scopes: ['SEND', 'READ'],
      revokedAt: null,
    });
    expect(listed?.lastUsedAt).not.toBeNull();
    // The listing never contains the secret.
    expect(JSON.stringify(await h.sdk().ApiKeys())).not.toContain(key.slice(12));

    const revoked = await h.sdk().RevokeApiKey({ id });
    expect(revoked.revokeApiKey).toMatchObject({ __typename: 'ApiKey', id });
    const after = await post({ authorization: `Bearer ${key}` }, '{ viewer { scopes } }');
    expect(after.status).toBe(401);
  });

  it('refuses bad key input and unknown ids with typed errors', async () => {
    const empty = await h.sdk().CreateApiKey({ input: { name: ' ', scopes: ['READ'] } });
    expect(empty.createApiKey).toMatchObject({ __typename: 'ValidationError', field: 'name' });
    const noScopes = await h.sdk().CreateApiKey({ input: { name: 'x', scopes: [] } });
    expect(noScopes.createApiKey).toMatchObject({ __typename: 'ValidationError', field: 'scopes' });
    const missing = await h.sdk().RevokeApiKey({ id: 'QXBpS2V5OjAxOTAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA==' });
    expect(missing.revokeApiKey.__typename).toBe('NotFoundError');
    const garbage = await h.sdk().RevokeApiKey({ id: 'not-a-global-id' });
    expect(garbage.revokeApiKey.__typename).toBe('NotFoundError');
  });

  it('enforces scopes', async () => {
    const reader = await issue(['READ']);
    const send = await post(
      { authorization: `Bearer ${reader.key}` },
      'mutation { sendSms(input: {to: "+918800001234", text: "x"}) { __typename } }',
    );
    expect(send.body.errors?.[0]?.message).toMatch(/authorized/i);
    expect(send.body.data).toBeNull();

    const sender = await issue(['SEND']);
    const read = await post({ authorization: `Bearer ${sender.key}` }, '{ messages(first: 1) { edges { cursor } } }');
    expect(read.body.errors?.[0]?.message).toMatch(/authorized/i);
    const keys = await post({ authorization: `Bearer ${sender.key}` }, '{ apiKeys { id } }');
    expect(keys.body.errors?.[0]?.message).toMatch(/authorized/i);
  });

  it('only the operator creates tenants; a new tenant is isolated and cannot create tenants', async () => {
    const created = await h.sdk().CreateTenant({ name: 'Acme Billing' });
    if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error('expected a key');
    const tenantKey = created.createTenant.key;
    issuedKeys.push(tenantKey);
    const viewer = await h.sdk(tenantKey).Viewer();
    expect(viewer.viewer.tenant).toMatchObject({ name: 'Acme Billing', isOperator: false });
    expect(viewer.viewer.scopes).toEqual(['SEND', 'READ', 'ADMIN']);
    // Its key list holds only its own key.
    expect((await h.sdk(tenantKey).ApiKeys()).apiKeys).toHaveLength(1);

    const nested = await post(
      { authorization: `Bearer ${tenantKey}` },
      'mutation { createTenant(name: "sub") { __typename } }',
    );
    expect(nested.body.errors?.[0]?.message).toMatch(/authorized/i);

    // Keys of another tenant cannot be revoked from here.
    const ownKeys = (await h.sdk().ApiKeys()).apiKeys;
    const foreign = await h.sdk(tenantKey).RevokeApiKey({ id: ownKeys[0]!.id });
    expect(foreign.revokeApiKey.__typename).toBe('NotFoundError');
  });

  it('no log line contains an API key', () => {
    const secrets = [h.adminKey, ...issuedKeys];
    const leaked = h.logLines().filter((line) => secrets.some((k) => line.includes(k) || line.includes(k.slice(12))));
    expect(leaked).toEqual([]);
  });
});

describe('health', () => {
  it('GET /healthz checks the database', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});
