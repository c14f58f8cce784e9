import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import type { StatusChange } from '../src/messaging/status-updates.js';
import { MAX_PAYLOAD_BYTES, toPayloads } from '../src/pubsub/postgres-event-target.js';
import { StatusHub } from '../src/pubsub/status-hub.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

// The StatusHub between processes on PostgreSQL without Redis: LISTEN/NOTIFY, batches cut under
// NOTIFY's 8000-byte limit, in order, dates intact.

const DATABASE_URL = process.env.DATABASE_URL;
let database: TestDatabase | undefined;
const hubs: StatusHub[] = [];
afterAll(async () => {
  for (const h of hubs) await h.close();
  await database?.drop();
});

const change = (i: number, over: Partial<StatusChange> = {}): StatusChange => ({
  messageId: `m-${i}`,
  tenantId: 't-1',
  channel: 'SMS',
  recipient: '+918800001234',
  externalRef: null,
  tags: ['campaign'],
  status: 'FAILED',
  previousStatus: 'SENDING',
  errorCode: 'PROVIDER_ERROR',
  // Multi-byte text: the limit is in bytes, not characters.
  errorMessage: `réponse du fournisseur ${i} ${'é'.repeat(150)}`,
  occurredAt: new Date(1_800_000_000_000 + i),
  reportedAt: new Date(1_700_000_000_000 + i),
  ...over,
});

describe('NOTIFY payloads', () => {
  it('cuts a batch into payloads under the limit that together carry every change in order', () => {
    const changes = Array.from({ length: 120 }, (_, i) => change(i));
    const { payloads, tooLarge } = toPayloads('herald:status', changes);
    expect(tooLarge).toEqual([]);
    expect(payloads.length).toBeGreaterThan(5);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const carried = payloads.flatMap((p) => {
      const envelope = JSON.parse(p) as { t: string; d: unknown[] };
      expect(envelope.t).toBe('herald:status');
      return envelope.d;
    });
    expect(carried).toEqual(JSON.parse(JSON.stringify(changes)));
  });

  it('keeps a small batch in one payload, shrinks what cannot fit alone, reports what still cannot', () => {
    expect(toPayloads('herald:revoked-keys', 'key-1').payloads).toEqual(['{"t":"herald:revoked-keys","d":"key-1"}']);
    const huge = change(1, { errorMessage: 'x'.repeat(9000) });
    const { payloads, tooLarge } = toPayloads('herald:status', [change(0), huge, change(2)]);
    expect(tooLarge).toEqual([huge]);
    const shrink = (item: unknown) => ({ ...(item as StatusChange), errorMessage: 'cut' });
    const shrunk = toPayloads('herald:status', [change(0), huge, change(2)], { shrink });
    expect(shrunk.tooLarge).toEqual([]);
    expect(
      shrunk.payloads.flatMap((p) => (JSON.parse(p) as { d: StatusChange[] }).d.map((c) => c.errorMessage)),
    ).toEqual([change(0).errorMessage, 'cut', change(2).errorMessage]);
    expect(
      payloads.flatMap((p) => (JSON.parse(p) as { d: Array<{ messageId: string }> }).d.map((c) => c.messageId)),
    ).toEqual(['m-0', 'm-2']);
  });
});

describe.skipIf(!DATABASE_URL)('StatusHub over LISTEN/NOTIFY', () => {
  it("one process's changes and key revocations reach the others' subscribers, in order, large batches included", async () => {
    database = await createTestDatabase();
    const log = createLogger('silent');
    const publisher = await StatusHub.open({ redisUrl: undefined, databaseUrl: database.url }, log);
    const other = await StatusHub.open({ redisUrl: undefined, databaseUrl: database.url }, log);
    hubs.push(publisher, other);

    const theirs = other.subscribe('t-1', { filter: {} });
    const own = publisher.subscribe('t-1', { filter: {} });
    const revoked: string[] = [];
    other.onKeyRevoked((keyId) => revoked.push(keyId));

    // Above NOTIFY's 8000 bytes many times over, then a single change, then another batch.
    const batches = [
      Array.from({ length: 150 }, (_, i) => change(i)),
      // A provider's long error text: the live event carries its first 1000 characters.
      [change(500, { errorMessage: 'e'.repeat(20_000) })],
      [change(150, { status: 'SENT', errorCode: null, errorMessage: null, reportedAt: null })],
      Array.from({ length: 30 }, (_, i) => change(151 + i)),
    ];
    for (const b of batches) publisher.publish(b);
    publisher.publishKeyRevoked('key-9');

    const expected = batches
      .flat()
      .map((c) => (c.messageId === 'm-500' ? { ...c, errorMessage: `${'e'.repeat(1000)}…` } : c));
    for (const stream of [theirs, own]) {
      const heard: StatusChange[] = [];
      while (heard.length < expected.length) {
        const next = await stream.next();
        if (next.done) break;
        heard.push(next.value);
      }
      expect(heard.map((c) => c.messageId)).toEqual(expected.map((c) => c.messageId));
      expect(heard).toEqual(expected);
      expect(heard[0]!.occurredAt).toBeInstanceOf(Date);
    }
    await expect.poll(() => revoked, { timeout: 10_000 }).toEqual(['key-9']);
  });

  it('a publish-only hub (a dispatch process) is heard by the others and reads nothing itself', async () => {
    const log = createLogger('silent');
    const dispatch = await StatusHub.open({ redisUrl: undefined, databaseUrl: database!.url }, log, {
      publishOnly: true,
    });
    const api = await StatusHub.open({ redisUrl: undefined, databaseUrl: database!.url }, log);
    hubs.push(dispatch, api);
    const theirs = api.subscribe('t-1', { filter: {} });
    const own = dispatch.subscribe('t-1', { filter: {} });
    dispatch.publish([change(1)]);
    expect((await theirs.next()).value).toEqual(change(1));
    // The API process heard it; a listening publisher would have by now too.
    const heardOwn = await Promise.race([own.next(), new Promise((r) => setTimeout(() => r('nothing'), 500))]);
    expect(heardOwn).toBe('nothing');
  });
});
