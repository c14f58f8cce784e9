import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHerald, type TestHerald } from './support/herald.js';

let h: TestHerald;
beforeAll(async () => {
  h = await startHerald();
});
afterAll(() => h?.stop());

const wsUrl = () => h.graphqlUrl.replace(/^http/, 'ws');

describe('graphql-ws on /graphql', () => {
  it('streams heartbeats to a client whose key is in connectionParams', async () => {
    const client = createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: h.adminKey },
    });
    const ticks: string[] = [];
    for await (const result of client.iterate<{ heartbeat: string }>({
      query: 'subscription { heartbeat(intervalMs: 50) }',
    })) {
      expect(result.errors).toBeUndefined();
      ticks.push(result.data!.heartbeat);
      if (ticks.length === 3) break;
    }
    await client.dispose();
    expect(ticks).toHaveLength(3);
    expect(new Date(ticks[2]!).getTime()).toBeGreaterThanOrEqual(new Date(ticks[0]!).getTime());
  });

  it('also answers queries, scoped to the key', async () => {
    const client = createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${h.adminKey}` },
    });
    const results = [];
    for await (const r of client.iterate<{ viewer: { tenant: { name: string } } }>({
      query: '{ viewer { tenant { name } } }',
    }))
      results.push(r);
    await client.dispose();
    expect(results[0]?.data?.viewer.tenant.name).toBe('default');
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { apiKey: 'hk_nosuchkey_aaaaaaaaaaaaaaaaaaaaaaaaaaa' }],
  ])('refuses a connection with %s', async (_name, connectionParams) => {
    const client = createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams,
      lazy: false,
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.on('closed', (e) => resolve(e as { code: number; reason: string })),
    );
    const event = await closed;
    await client.dispose();
    expect(event.code).toBe(4403);
  });
});
