import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { StatusHub, SubscriberTooSlowError } from '../src/pubsub/status-hub.js';
import { revokeApiKey } from '../src/tenancy/service.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Live status over graphql-ws and GraphQL over SSE, watched the way a UI would.

type Event = { messageId: string; status: string; previousStatus: string | null };

const EVENT_FIELDS = 'messageId status previousStatus errorCode occurredAt';

let h: TestHerald;
let admin: Sdk;
let otherKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  h = await startHerald({
    HERALD_WORKERS: '2',
    HERALD_POLL_MS: '50',
    HERALD_SANDBOX_DELAY_MS: '30',
    HERALD_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
    HERALD_MAX_SSE_SUBSCRIPTIONS_PER_KEY: '3',
    HERALD_KEY_RECHECK_MS: '200',
  });
  admin = h.sdk();
  const other = await admin.CreateTenant({ name: 'Other' });
  if (other.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
  otherKey = other.createTenant.key;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await h?.stop();
});

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

/** Collects events of a subscription until `done` says so (or the bound passes). */
async function collect(
  iter: AsyncIterableIterator<{ data?: any; errors?: unknown }>,
  field: string,
  done: (events: Event[]) => boolean,
  timeoutMs = 10_000,
): Promise<Event[]> {
  const events: Event[] = [];
  const timer = setTimeout(() => void iter.return?.(), timeoutMs);
  for await (const result of iter) {
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    events.push(result.data[field]);
    if (done(events)) break;
  }
  clearTimeout(timer);
  await iter.return?.();
  return events;
}

async function send(sdk: Sdk, to = '+918800001234'): Promise<string> {
  const r = await sdk.SendSms({ input: { to, text: 'watch me', tags: ['live'] } });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  return r.sendSms.messageId;
}

const LIFECYCLE = ['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ'];
const reachedRead = (events: Event[]) => events.some((e) => e.status === 'READ');

/** Reads a GraphQL-over-SSE response and yields each `next` payload. */
async function* sse(
  query: string,
  variables: Record<string, unknown>,
  key: string,
  stop?: AbortSignal,
): AsyncGenerator<{ data?: any; errors?: unknown }> {
  const controller = new AbortController();
  stop?.addEventListener('abort', () => controller.abort());
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`SSE answered ${res.status}: ${await res.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'complete') return;
        if (event === 'next' && data) yield JSON.parse(data);
      }
    }
  } finally {
    controller.abort();
  }
}

/** An SSE stream read in the background; close() aborts the request (the client goes away). */
function sseInBackground(query: string, key: string) {
  const stop = new AbortController();
  const results: Array<{ data?: any; errors?: any }> = [];
  const done = (async () => {
    for await (const r of sse(query, {}, key, stop.signal)) results.push(r);
  })().catch(() => {});
  return { results, done, close: () => stop.abort() };
}

describe('graphql-ws', () => {
  it('messageEvents streams a message from QUEUED to READ, in order, each change once', async () => {
    const before = hubSize();
    const iter = ws(h.adminKey).iterate({
      query: `subscription { messageEvents(filter: { tag: "live" }) { ${EVENT_FIELDS} } }`,
    });
    // Let the subscription attach before sending (graphql-ws clients subscribe at iterate()).
    expect(await eventually(() => hubSize() === before + 1, 5_000)).toBe(true);
    const id = await send(admin);
    const events = await collect(iter, 'messageEvents', (es) =>
      es.some((e) => e.messageId === id && e.status === 'READ'),
    );
    const mine = events.filter((e) => e.messageId === id);
    expect(mine.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(mine.map((e) => e.previousStatus)).toEqual([null, 'QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
  });

  it("each event reads the message afresh: a shared subscription's loaders keep nothing between events", async () => {
    const iter = ws(h.adminKey).iterate({
      query: `subscription { messageEvents(filter: { tag: "live" }) { ${EVENT_FIELDS} message { status } } }`,
    });
    // Messages are sent until one's event arrives, which shows the subscription is attached (a
    // whole lifecycle can take less time than attaching); the message sent after that is judged.
    const probing = setInterval(() => void send(admin), 500);
    void send(admin);
    let id: string | undefined;
    const events = (await collect(iter, 'messageEvents', (es) => {
      if (id === undefined && es.length > 0) {
        clearInterval(probing);
        id = '';
        void send(admin).then((sent) => {
          id = sent;
        });
      }
      return !!id && es.some((e) => e.messageId === id && e.status === 'READ');
    })) as unknown as { messageId: string; status: string; message: { status: string } }[];
    clearInterval(probing);
    const read = events.find((e) => e.messageId === id && e.status === 'READ');
    expect(read?.message.status).toBe('READ');
  });

  it('messageStatusChanged replays what happened before subscribing, then goes live', async () => {
    const id = await send(admin);
    const iter = ws(h.adminKey).iterate({
      query: `subscription($id: ID!) { messageStatusChanged(id: $id) { ${EVENT_FIELDS} message { status } } }`,
      variables: { id },
    });
    const events = await collect(iter, 'messageStatusChanged', reachedRead);
    expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
  });

  it('another tenant sees nothing of it, and cannot watch it by id', async () => {
    const theirs = ws(otherKey).iterate({ query: `subscription { messageEvents { ${EVENT_FIELDS} } }` });
    await new Promise((r) => setTimeout(r, 100));
    const mine = await send(admin);
    const byId = ws(otherKey).iterate({
      query: `subscription($id: ID!) { messageStatusChanged(id: $id) { status } }`,
      variables: { id: mine },
    });
    const refusal = await byId.next().then(
      () => 'no error',
      (errors: unknown) => JSON.stringify(errors),
    );
    expect(refusal).toMatch(/was not found/);
    // Their own message arrives; ours never does.
    await new Promise((r) => setTimeout(r, 300));
    const own = await send(h.sdk(otherKey));
    const seen = await collect(theirs, 'messageEvents', (es) =>
      es.some((e) => e.messageId === own && e.status === 'READ'),
    );
    expect(seen.every((e) => e.messageId === own)).toBe(true);
  });
});

describe('Server-Sent Events', () => {
  it('messageStatusChanged over SSE with the key in a header: QUEUED to READ, each once', async () => {
    const id = await send(admin);
    const events: Event[] = [];
    for await (const r of sse(
      `subscription($id: ID!) { messageStatusChanged(id: $id) { ${EVENT_FIELDS} } }`,
      { id },
      h.adminKey,
    )) {
      events.push(r.data.messageStatusChanged);
      if (reachedRead(events)) break;
    }
    expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
  });

  it('is tenant-scoped and refuses requests without a key', async () => {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { messageEvents { status } }' }),
    });
    expect(res.status).toBe(401);

    const received: Event[] = [];
    const reader = (async () => {
      for await (const r of sse(`subscription { messageEvents { ${EVENT_FIELDS} } }`, {}, otherKey)) {
        received.push(r.data.messageEvents);
        if (reachedRead(received)) return;
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const mine = await send(admin);
    await new Promise((r) => setTimeout(r, 300));
    const own = await send(h.sdk(otherKey));
    await reader;
    expect(received.some((e) => e.messageId === mine)).toBe(false);
    expect(received.filter((e) => e.messageId === own).map((e) => e.status)).toEqual(LIFECYCLE);
  });
});

/** Polls until `probe` holds (a bounded wait, not a fixed sleep). */
async function eventually(probe: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const hubSize = () => h.herald.services.statusHub.size;
/** Live subscriptions (sockets' and SSE streams'), however many share one execution. */
const liveSize = () => h.herald.live.groups.members;

/** A message that stays SCHEDULED (nothing happens to it unless the test acts). */
async function scheduled(sdk: Sdk = admin): Promise<string> {
  const r = await sdk.SendSms({
    input: { to: '+918800001234', text: 'later', sendAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  return r.sendSms.messageId;
}

const WATCH = `subscription($id: ID!) { messageStatusChanged(id: $id) { ${EVENT_FIELDS} } }`;

describe('subscription lifecycle', () => {
  it('graphql-ws: unsubscribing detaches from the hub at once, even when no event will ever come', async () => {
    const id = await scheduled();
    const before = hubSize();
    const iter = ws(h.adminKey).iterate({ query: WATCH, variables: { id } });
    expect((await iter.next()).value?.data.messageStatusChanged.status).toBe('SCHEDULED');
    expect(hubSize()).toBe(before + 1);
    await iter.return?.(undefined);
    expect(await eventually(() => hubSize() === before)).toBe(true);
  });

  it('graphql-ws: closing the socket detaches every subscription of it', async () => {
    const before = hubSize();
    const client = ws(h.adminKey);
    const a = client.iterate({ query: WATCH, variables: { id: await scheduled() } });
    const b = client.iterate({
      query: `subscription { messageEvents(filter: { tag: "nothing-has-this-tag" }) { status } }`,
    });
    await a.next();
    expect(await eventually(() => hubSize() === before + 2)).toBe(true);
    void b;
    await client.dispose();
    expect(await eventually(() => hubSize() === before)).toBe(true);
  });

  it('SSE: a client that goes away detaches at once', async () => {
    const id = await scheduled();
    const before = hubSize();
    const stream = sse(WATCH, { id }, h.adminKey);
    expect((await stream.next()).value?.data.messageStatusChanged.status).toBe('SCHEDULED');
    expect(hubSize()).toBe(before + 1);
    await stream.return(undefined); // aborts the request
    expect(await eventually(() => hubSize() === before)).toBe(true);
  });

  it('messageStatusChanged completes after a final status (CANCELED), over graphql-ws and SSE', async () => {
    const id = await scheduled();
    const wsEvents: Event[] = [];
    const wsDone = (async () => {
      for await (const r of ws(h.adminKey).iterate<{ messageStatusChanged: Event }>({
        query: WATCH,
        variables: { id },
      }))
        wsEvents.push(r.data!.messageStatusChanged);
    })();
    const sseEvents: Event[] = [];
    const sseDone = (async () => {
      for await (const r of sse(WATCH, { id }, h.adminKey)) sseEvents.push(r.data.messageStatusChanged);
    })();
    expect(await eventually(() => wsEvents.length === 1 && sseEvents.length === 1)).toBe(true);
    const canceled = await admin.CancelMessage({ id });
    expect(canceled.cancelMessage.__typename).toBe('Message');
    // Both loops end by themselves: the server completed the streams.
    await Promise.all([wsDone, sseDone]);
    expect(wsEvents.map((e) => e.status)).toEqual(['SCHEDULED', 'CANCELED']);
    expect(sseEvents.map((e) => e.status)).toEqual(['SCHEDULED', 'CANCELED']);
  }, 15_000);

  it('messageStatusChanged on a message already READ replays its history and completes', async () => {
    const id = await send(admin);
    const iter = ws(h.adminKey).iterate({ query: WATCH, variables: { id } });
    await collect(iter, 'messageStatusChanged', reachedRead);
    const before = hubSize();
    const replay: Event[] = [];
    for await (const r of ws(h.adminKey).iterate<{ messageStatusChanged: Event }>({ query: WATCH, variables: { id } }))
      replay.push(r.data!.messageStatusChanged);
    expect(replay.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(await eventually(() => hubSize() === before)).toBe(true);
  }, 15_000);
});

async function issue(scopes: Array<'SEND' | 'READ' | 'ADMIN'>, sdk: Sdk = admin): Promise<{ key: string; id: string }> {
  const r = await sdk.CreateApiKey({ input: { name: 'watcher', scopes } });
  if (r.createApiKey.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(r));
  return { key: r.createApiKey.key, id: r.createApiKey.apiKey.id };
}

const EVENTS = `subscription { messageEvents { ${EVENT_FIELDS} } }`;

describe('revoked keys', () => {
  it('graphql-ws: revoking the key closes its open socket at once (4403), and the hub forgets it', async () => {
    const { key, id } = await issue(['READ']);
    const before = hubSize();
    const client = ws(key);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.on('closed', (e) => resolve(e as { code: number; reason: string })),
    );
    const iter = client.iterate({ query: EVENTS });
    const ended = iter.next().then(
      (r) => (r.done ? 'completed' : 'got an event'),
      () => 'ended with an error',
    );
    expect(await eventually(() => hubSize() === before + 1)).toBe(true);
    expect((await admin.RevokeApiKey({ id })).revokeApiKey.__typename).toBe('ApiKey');
    const event = await closed;
    expect(event.code).toBe(4403);
    expect(event.reason).toMatch(/revoked/);
    expect(await ended).not.toBe('got an event');
    expect(await eventually(() => hubSize() === before)).toBe(true);
  }, 15_000);

  it('SSE: revoking the key ends its open stream with an UNAUTHENTICATED error', async () => {
    const { key, id } = await issue(['READ']);
    const before = hubSize();
    const results: Array<{ data?: any; errors?: any }> = [];
    const reader = (async () => {
      for await (const r of sse(EVENTS, {}, key)) results.push(r);
    })();
    expect(await eventually(() => hubSize() === before + 1)).toBe(true);
    expect((await admin.RevokeApiKey({ id })).revokeApiKey.__typename).toBe('ApiKey');
    await reader; // ends by itself
    expect(results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await eventually(() => hubSize() === before)).toBe(true);
  }, 15_000);

  it('a key revoked by another process (straight in the database) ends its streams within HERALD_KEY_RECHECK_MS', async () => {
    const { key, id } = await issue(['READ']);
    const before = liveSize();
    const client = ws(key);
    const closed = new Promise<{ code: number }>((resolve) =>
      client.on('closed', (e) => resolve(e as { code: number })),
    );
    void client
      .iterate({ query: EVENTS })
      .next()
      .catch(() => {});
    const sseDone = (async () => {
      for await (const _ of sse(EVENTS, {}, key)) void _;
    })();
    expect(await eventually(() => liveSize() === before + 2)).toBe(true);
    // Not through this process's revokeApiKey: only the periodic re-check can notice.
    const tenantId = (await h.sdk().Viewer()).viewer.tenant.id;
    await revokeApiKey(h.herald.database.db, tenantId, decodeGlobalID(id).id);
    const startedAt = Date.now();
    expect((await closed).code).toBe(4403);
    await sseDone;
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(await eventually(() => liveSize() === before)).toBe(true);
  }, 15_000);
});

describe('subscription caps', () => {
  it('graphql-ws: one connection holds at most HERALD_MAX_SUBSCRIPTIONS_PER_CONNECTION (3); the next is refused with a typed error', async () => {
    const before = liveSize();
    const client = ws(h.adminKey);
    const open = [1, 2, 3].map(() => client.iterate({ query: EVENTS }));
    for (const it of open) void it.next().catch(() => {});
    expect(await eventually(() => liveSize() === before + 3)).toBe(true);
    const refused = await client
      .iterate({ query: EVENTS })
      .next()
      .then(
        () => 'accepted',
        (errors: Array<{ message: string; extensions?: { code?: string } }>) => errors,
      );
    expect(refused).toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 } }]);
    expect(liveSize()).toBe(before + 3);
    // Queries on the same socket still work; completing one subscription frees a place.
    const viewer = await client.iterate({ query: '{ viewer { scopes } }' }).next();
    expect(viewer.value?.data).toMatchObject({ viewer: { scopes: ['SEND', 'READ', 'ADMIN'] } });
    await open[0]!.return?.(undefined);
    expect(await eventually(() => liveSize() === before + 2)).toBe(true);
    const again = client.iterate({ query: EVENTS });
    void again.next().catch(() => {});
    expect(await eventually(() => liveSize() === before + 3)).toBe(true);
    // Another connection has its own allowance.
    const other = ws(h.adminKey).iterate({ query: EVENTS });
    void other.next().catch(() => {});
    expect(await eventually(() => liveSize() === before + 4)).toBe(true);
    await client.dispose();
    await other.return?.(undefined);
    expect(await eventually(() => liveSize() === before)).toBe(true);
  }, 15_000);

  it('SSE: one key holds at most HERALD_MAX_SSE_SUBSCRIPTIONS_PER_KEY (3) streams; the next is refused with a typed error', async () => {
    const { key } = await issue(['READ']);
    const before = liveSize();
    const streams = [1, 2, 3].map(() => sseInBackground(EVENTS, key));
    expect(await eventually(() => liveSize() === before + 3)).toBe(true);
    const refused = sseInBackground(EVENTS, key);
    await refused.done; // answered and completed at once
    expect(refused.results).toMatchObject([{ errors: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 } }] }]);
    expect(liveSize()).toBe(before + 3);
    // Another key is not affected; closing a stream frees a place.
    const admins = sseInBackground(EVENTS, h.adminKey);
    expect(await eventually(() => liveSize() === before + 4)).toBe(true);
    streams[0]!.close();
    expect(await eventually(() => liveSize() === before + 3)).toBe(true);
    const again = sseInBackground(EVENTS, key);
    expect(await eventually(() => liveSize() === before + 4)).toBe(true);
    expect(again.results).toEqual([]);
    for (const st of [...streams, admins, again]) st.close();
    expect(await eventually(() => liveSize() === before)).toBe(true);
    // Streams that end in an error (an unknown message) give their place back too.
    for (let i = 0; i < 4; i++) {
      const failed = sseInBackground(`subscription { messageStatusChanged(id: "no-such-message") { status } }`, key);
      await failed.done;
      expect(failed.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  }, 15_000);
});

describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)(
  'revocation across processes (PostgreSQL + Redis)',
  () => {
    let shared: TestDatabase;
    let a: TestHerald;
    let b: TestHerald;
    beforeAll(async () => {
      shared = await createTestDatabase();
      // The default re-check (30 s) is far beyond the bound asserted: only the Redis notice can pass.
      const env = { REDIS_URL: process.env.REDIS_URL! };
      a = await startHerald(env, {}, { database: shared });
      b = await startHerald({ ...env, HERALD_BOOTSTRAP_API_KEY: a.adminKey }, {}, { database: shared });
    });
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
      await shared?.drop();
    });

    it('a key revoked through one process closes its streams on another at once', async () => {
      const issued = await a.sdk().CreateApiKey({ input: { name: 'elsewhere', scopes: ['READ'] } });
      if (issued.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
      const { key, apiKey } = issued.createApiKey;
      const client = createClient({
        url: b.graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { apiKey: key },
      });
      clients.push(client);
      const closed = new Promise<{ code: number }>((resolve) =>
        client.on('closed', (e) => resolve(e as { code: number })),
      );
      void client
        .iterate({ query: EVENTS })
        .next()
        .catch(() => {});
      const onB = () => b.herald.services.statusHub.size;
      expect(await eventually(() => onB() === 1)).toBe(true);
      const startedAt = Date.now();
      expect((await a.sdk().RevokeApiKey({ id: apiKey.id })).revokeApiKey.__typename).toBe('ApiKey');
      expect((await closed).code).toBe(4403);
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      expect(await eventually(() => onB() === 0)).toBe(true);
      // B no longer accepts the key either (its cache was dropped by the notice).
      const res = await fetch(b.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: key },
        body: '{"query":"{ viewer { scopes } }"}',
      });
      expect(res.status).toBe(401);
    });
  },
);

describe('slow subscribers', () => {
  it('are dropped once their queue is full instead of growing memory', async () => {
    const hub = StatusHub.inProcess(10);
    const stream = hub.subscribe('t1', { filter: {} });
    const change = (n: number) => ({
      messageId: `m${n}`,
      tenantId: 't1',
      channel: 'SMS' as const,
      recipient: '+918800001234',
      externalRef: null,
      tags: [],
      status: 'SENT' as const,
      previousStatus: 'SENDING' as const,
      errorCode: null,
      errorMessage: null,
      occurredAt: new Date(),
    });
    for (let n = 0; n < 11; n++) hub.publish([change(n)]);
    await new Promise((resolve) => setImmediate(resolve)); // delivery comes a turn after publishing
    await expect(stream.next()).rejects.toBeInstanceOf(SubscriberTooSlowError);
    expect(hub.size).toBe(0);
    // Other tenants' changes never reach a subscriber.
    const other = hub.subscribe('t2', { filter: {} });
    hub.publish([change(99)]);
    await new Promise((resolve) => setImmediate(resolve));
    other.close();
    expect(await other.next()).toEqual({ value: undefined, done: true });
    await hub.close();
  });
});
