import {
  CreateApiKeyDocument,
  createHeraldClient,
  HeraldConnectionError,
  HeraldRequestError,
  type MessageStatus,
  MessageStatusChangedDocument,
  MessagesDocument,
  RevokeApiKeyDocument,
  SendSmsDocument,
  ViewerDocument,
} from '@herald/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/clock.js';
import { startHerald, type TestHerald } from './support/herald.js';

// createHeraldClient against a running Herald (sandbox): typed queries and mutations, refusals,
// and subscriptions over graphql-ws and SSE that end when Herald completes them, on break, on
// abort, and with an error when the key is wrong or revoked. The package is imported from its
// sources (an alias in test/vitest.config.ts).

let h: TestHerald;
beforeAll(async () => {
  h = await startHerald({ HERALD_WORKERS: '1', HERALD_POLL_MS: '20', HERALD_SANDBOX_DELAY_MS: '20' });
});
afterAll(async () => {
  await h?.stop();
});

const client = (opts: { apiKey?: string; subscriptions?: 'ws' | 'sse' } = {}) =>
  createHeraldClient({ url: h.url, apiKey: opts.apiKey ?? h.adminKey, subscriptions: opts.subscriptions ?? 'ws' });

async function sendSms(herald: ReturnType<typeof client>, input: { to: string; sendAt?: string }) {
  const { sendSms } = await herald.mutate(SendSmsDocument, { input: { text: 'hello', ...input } });
  if (sendSms.__typename !== 'Message') throw new Error(sendSms.__typename);
  return sendSms;
}

describe('createHeraldClient', () => {
  it('queries and mutates with typed results; a domain refusal is a typed result naming the field', async () => {
    const herald = client();
    const { viewer } = await herald.query(ViewerDocument);
    expect(viewer.tenant.isOperator).toBe(true);
    const { sendSms } = await herald.mutate(SendSmsDocument, { input: { to: 'not-a-number', text: 'x' } });
    expect(sendSms).toMatchObject({ __typename: 'ValidationError', field: 'to' });
    const { messages } = await herald.query(MessagesDocument, { first: 1 });
    expect(messages.edges).toEqual([]);
  });

  it('throws HeraldRequestError for a request refused as a whole, and a TypeError for the wrong kind of operation', async () => {
    const wrongKey = client({ apiKey: 'hk_nobody_xxxxxxxxxxxxxxxxxxxxxxxx' });
    const refused = await wrongKey.query(ViewerDocument).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HeraldRequestError);
    expect((refused as HeraldRequestError).status).toBe(401);

    const readOnly = await client().mutate(CreateApiKeyDocument, { input: { name: 'reader', scopes: ['READ'] } });
    if (readOnly.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
    const forbidden = await client({ apiKey: readOnly.createApiKey.key })
      .mutate(SendSmsDocument, { input: { to: '+14155550100', text: 'x' } })
      .catch((err: unknown) => err);
    expect(forbidden).toBeInstanceOf(HeraldRequestError);
    expect((forbidden as HeraldRequestError).code).toBeDefined();

    // A mutation is not a query: refused before anything is sent.
    await expect(client().query(SendSmsDocument, { input: { to: '+14155550100', text: 'x' } })).rejects.toThrow(
      /SendSms is a mutation, not a query/,
    );
  });

  it('types variables from the document: required when the operation needs them, optional when not', () => {
    // Checked by tsc (npm run typecheck); never called.
    const typed = (herald: ReturnType<typeof client>) => {
      void herald.query(ViewerDocument);
      void herald.query(MessagesDocument);
      // @ts-expect-error: sendSms needs its input
      void herald.mutate(SendSmsDocument);
      // @ts-expect-error: `to` is a string
      void herald.mutate(SendSmsDocument, { input: { to: 14155550100, text: 'x' } });
      // @ts-expect-error: the subscription needs the message id
      void herald.subscribe(MessageStatusChangedDocument);
      void herald.subscribe(MessageStatusChangedDocument, { id: 'x' }, { signal: AbortSignal.timeout(1) });
    };
    expect(typed).toBeTypeOf('function');
  });

  for (const transport of ['ws', 'sse'] as const) {
    it(`subscribe (${transport}): the history and each change, ending when the status is final`, async () => {
      const herald = client({ subscriptions: transport });
      const sent = await sendSms(herald, { to: '+14155550111' });
      const statuses: MessageStatus[] = [];
      for await (const { messageStatusChanged } of herald.subscribe(MessageStatusChangedDocument, { id: sent.id }))
        statuses.push(messageStatusChanged.status);
      expect(statuses).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
      await herald.dispose();
    });

    it(`subscribe (${transport}): break and abort end it early; the client subscribes again afterwards`, async () => {
      const herald = client({ subscriptions: transport });
      const later = await sendSms(herald, {
        to: '+14155550112',
        sendAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      for await (const { messageStatusChanged } of herald.subscribe(MessageStatusChangedDocument, { id: later.id })) {
        expect(messageStatusChanged.status).toBe('SCHEDULED');
        break;
      }
      const stop = new AbortController();
      const seen: string[] = [];
      const waited = (async () => {
        for await (const { messageStatusChanged } of herald.subscribe(
          MessageStatusChangedDocument,
          { id: later.id },
          { signal: stop.signal },
        ))
          seen.push(messageStatusChanged.status);
      })();
      // Aborted while the next result is awaited, after the history's one.
      await eventually(
        async () => seen.length,
        (n) => n > 0,
        20_000,
      );
      stop.abort();
      await waited; // ends without an error while a result was awaited
      expect(seen).toEqual(['SCHEDULED']);

      const sent = await sendSms(herald, { to: '+14155550113' });
      const statuses: string[] = [];
      for await (const { messageStatusChanged } of herald.subscribe(MessageStatusChangedDocument, { id: sent.id }))
        statuses.push(messageStatusChanged.status);
      expect(statuses.at(-1)).toBe('READ');
      await herald.dispose();
    });
  }

  it('a subscription with a wrong key throws instead of waiting; a revoked key ends a running one with an error', async () => {
    for (const transport of ['ws', 'sse'] as const) {
      const wrong = client({ apiKey: 'hk_nobody_xxxxxxxxxxxxxxxxxxxxxxxx', subscriptions: transport });
      const failure = await (async () => {
        for await (const _ of wrong.subscribe(MessageStatusChangedDocument, { id: 'x' })) return 'a result';
        return 'ended';
      })().catch((err: unknown) => err);
      expect(failure, transport).toBeInstanceOf(transport === 'ws' ? HeraldConnectionError : HeraldRequestError);
      await wrong.dispose();
    }

    const issued = await client().mutate(CreateApiKeyDocument, {
      input: { name: 'watcher', scopes: ['SEND', 'READ'] },
    });
    if (issued.createApiKey.__typename !== 'IssuedApiKey') throw new Error('no key');
    const watcher = client({ apiKey: issued.createApiKey.key });
    const later = await sendSms(watcher, {
      to: '+14155550114',
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const watched = (async () => {
      const seen: string[] = [];
      for await (const { messageStatusChanged } of watcher.subscribe(MessageStatusChangedDocument, { id: later.id }))
        seen.push(messageStatusChanged.status);
      return seen;
    })();
    await new Promise((r) => setTimeout(r, 300));
    await client().mutate(RevokeApiKeyDocument, { id: issued.createApiKey.apiKey.id });
    const ended = await watched.catch((err: unknown) => err);
    expect(ended).toBeInstanceOf(HeraldConnectionError);
    expect((ended as HeraldConnectionError).code).toBe(4403);
    await watcher.dispose();
  });
});
