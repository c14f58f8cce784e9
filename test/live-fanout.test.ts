import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Live subscriptions that would receive the same payloads share one execution (graphql/live/):
// each subscriber must still get exactly its own payloads, in order, and let go at once.

let h: TestHerald;
let admin: Sdk;
let otherKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  // No dispatch: the only status changes are the ones the test makes.
  h = await startHerald({ HERALD_WORKERS: '0' });
  admin = h.sdk();
  const other = await admin.CreateTenant({ name: 'Elsewhere' });
  if (other.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
  otherKey = other.createTenant.key;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await h?.stop();
});

const hubSize = () => h.herald.services.statusHub.size;
const liveSize = () => h.herald.live.groups.members;
const groups = () => h.herald.live.groups.size;

async function eventually(probe: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

function ws(key: string): Client {
  const client = createClient({
    url: h.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { apiKey: key },
  });
  clients.push(client);
  return client;
}

type Result = { data?: Record<string, any>; errors?: unknown };

/** Every result a graphql-ws subscription receives, until stop(). */
function watch(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: Result[] = [];
  let completed = false;
  const stop = client.subscribe<Record<string, any>>(
    { query, variables },
    {
      next: (r) => void results.push(r as Result),
      error: (e) => void results.push({ errors: e }),
      complete: () => {
        completed = true;
      },
    },
  );
  return { results, stop, completed: () => completed };
}

/** The same over SSE. */
function sse(query: string, variables: Record<string, unknown>, key: string) {
  const controller = new AbortController();
  const results: Result[] = [];
  const done = (async () => {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (/^event: next$/m.test(block) && data) results.push(JSON.parse(data));
      }
    }
  })().catch(() => {});
  return { results, done, stop: () => controller.abort() };
}

async function scheduled(sdk: Sdk, tags: string[], to = '+918800001234'): Promise<string> {
  const r = await sdk.SendSms({
    input: { to, text: 'later', tags, sendAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  return r.sendSms.messageId;
}

async function cancel(sdk: Sdk, id: string): Promise<void> {
  const r = await sdk.CancelMessage({ id });
  if (r.cancelMessage.__typename !== 'Message') throw new Error(JSON.stringify(r.cancelMessage));
}

const BY_TAG =
  'subscription($tag: String!) { messageEvents(filter: { tag: $tag }) { messageId status previousStatus } }';

describe('shared execution', () => {
  it('identical subscriptions share one run; every socket and SSE stream gets every event of it, in order, once', async () => {
    const hub = hubSize();
    const live = liveSize();
    const one = ws(h.adminKey);
    const two = ws(h.adminKey);
    const subs = [
      watch(one, BY_TAG, { tag: 'shared' }),
      watch(one, BY_TAG, { tag: 'shared' }),
      watch(two, BY_TAG, { tag: 'shared' }),
    ];
    const stream = sse(BY_TAG, { tag: 'shared' }, h.adminKey);
    const otherTag = watch(two, BY_TAG, { tag: 'not-this-one' });
    expect(await eventually(() => liveSize() === live + 5)).toBe(true);
    // Two distinct subscriptions (two tags), so two hub subscribers for five subscribers.
    expect(hubSize()).toBe(hub + 2);

    const first = await scheduled(admin, ['shared']);
    const second = await scheduled(admin, ['shared']);
    await cancel(admin, first);
    await cancel(admin, second);
    const expected = [
      { messageId: first, status: 'SCHEDULED', previousStatus: null },
      { messageId: second, status: 'SCHEDULED', previousStatus: null },
      { messageId: first, status: 'CANCELED', previousStatus: 'SCHEDULED' },
      { messageId: second, status: 'CANCELED', previousStatus: 'SCHEDULED' },
    ];
    const all = [...subs.map((s) => s.results), stream.results];
    expect(await eventually(() => all.every((r) => r.length >= 4))).toBe(true);
    for (const results of all) expect(results.map((r) => r.data?.messageEvents)).toEqual(expected);

    // The other tag saw nothing of those, and gets its own.
    const third = await scheduled(admin, ['not-this-one']);
    expect(await eventually(() => otherTag.results.length === 1)).toBe(true);
    expect(otherTag.results.map((r) => r.data?.messageEvents.messageId)).toEqual([third]);
    await new Promise((r) => setTimeout(r, 100));
    for (const results of all) expect(results).toHaveLength(4);

    for (const s of [...subs, otherTag]) s.stop();
    stream.stop();
    expect(await eventually(() => liveSize() === live && hubSize() === hub)).toBe(true);
  });

  it('different selections, scopes and tenants each receive exactly their own payloads', async () => {
    const readIssued = await admin.CreateApiKey({ input: { name: 'reader', scopes: ['READ'] } });
    if (readIssued.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
    const readKey = readIssued.createApiKey.key;
    const groupsBefore = groups();
    const q = (fields: string) => `subscription { messageEvents(filter: { tag: "mixed" }) { ${fields} } }`;
    const statusOnly = watch(ws(h.adminKey), q('messageId status'));
    const toAndTags = watch(ws(h.adminKey), q('messageId to tags'));
    const reader = watch(ws(readKey), q('messageId status'));
    const readerSse = sse(q('messageId status'), {}, readKey);
    const otherTenant = watch(ws(otherKey), q('messageId status'));
    const otherSse = sse(q('messageId status'), {}, otherKey);
    // Admin/status, admin/to+tags, reader (another scope set), the other tenant: four runs.
    expect(await eventually(() => groups() === groupsBefore + 4)).toBe(true);

    const mine = await scheduled(admin, ['mixed'], '+918800005678');
    const theirs = await scheduled(h.sdk(otherKey), ['mixed'], '+918800009999');
    const own = [statusOnly, toAndTags, reader, readerSse, otherTenant, otherSse];
    expect(await eventually(() => own.every((s) => s.results.length >= 1))).toBe(true);
    await new Promise((r) => setTimeout(r, 100));

    expect(statusOnly.results).toEqual([{ data: { messageEvents: { messageId: mine, status: 'SCHEDULED' } } }]);
    expect(toAndTags.results).toEqual([
      { data: { messageEvents: { messageId: mine, to: '+918800005678', tags: ['mixed'] } } },
    ]);
    expect(reader.results).toEqual([{ data: { messageEvents: { messageId: mine, status: 'SCHEDULED' } } }]);
    expect(readerSse.results).toEqual([{ data: { messageEvents: { messageId: mine, status: 'SCHEDULED' } } }]);
    // No event crosses tenants, either way.
    expect(otherTenant.results).toEqual([{ data: { messageEvents: { messageId: theirs, status: 'SCHEDULED' } } }]);
    expect(otherSse.results).toEqual([{ data: { messageEvents: { messageId: theirs, status: 'SCHEDULED' } } }]);

    for (const s of [statusOnly, toAndTags, reader, otherTenant]) s.stop();
    readerSse.stop();
    otherSse.stop();
    expect(await eventually(() => groups() === groupsBefore)).toBe(true);
  });
});

describe('release', () => {
  it('unsubscribing, closing a socket or dropping an SSE stream gives the subscription back at once', async () => {
    const live = liveSize();
    const hub = hubSize();
    const client = ws(h.adminKey);
    const a = watch(client, BY_TAG, { tag: 'release' });
    const b = watch(client, BY_TAG, { tag: 'release' });
    const c = watch(ws(h.adminKey), BY_TAG, { tag: 'release' });
    const s = sse(BY_TAG, { tag: 'release' }, h.adminKey);
    expect(await eventually(() => liveSize() === live + 4)).toBe(true);
    a.stop();
    expect(await eventually(() => liveSize() === live + 3)).toBe(true);
    s.stop();
    expect(await eventually(() => liveSize() === live + 2)).toBe(true);
    await client.dispose(); // b goes with its socket
    expect(await eventually(() => liveSize() === live + 1)).toBe(true);
    // The last one out stops the shared run.
    expect(hubSize()).toBe(hub + 1);
    c.stop();
    expect(await eventually(() => liveSize() === live && hubSize() === hub)).toBe(true);
    void b;
  });

  it('messageStatusChanged on a finished message completes and lets go, as does an idle one unsubscribed', async () => {
    const live = liveSize();
    const hub = hubSize();
    const finished = await scheduled(admin, []);
    await cancel(admin, finished);
    const client = ws(h.adminKey);
    const WATCH = 'subscription($id: ID!) { messageStatusChanged(id: $id) { status } }';
    const done = watch(client, WATCH, { id: finished });
    expect(await eventually(() => done.completed())).toBe(true);
    expect(done.results.map((r) => r.data?.messageStatusChanged.status)).toEqual(['SCHEDULED', 'CANCELED']);
    expect(await eventually(() => liveSize() === live && hubSize() === hub)).toBe(true);

    const idle = watch(client, WATCH, { id: await scheduled(admin, []) });
    expect(await eventually(() => idle.results.length === 1 && liveSize() === live + 1)).toBe(true);
    idle.stop();
    expect(await eventually(() => liveSize() === live && hubSize() === hub)).toBe(true);
  });
});
