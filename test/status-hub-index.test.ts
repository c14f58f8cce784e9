import { describe, expect, it } from 'vitest';
import type { StatusChange } from '../src/messaging/status-updates.js';
import { type LiveMatch, StatusHub } from '../src/pubsub/status-hub.js';

// The status hub finds an event's subscribers through a per-tenant index: each must receive
// exactly the changes its filter (or message id) matches, in the order published, and nothing
// of another tenant.

const change = (over: Partial<StatusChange>): StatusChange => ({
  messageId: 'm1',
  tenantId: 't1',
  channel: 'SMS',
  recipient: '+918800001234',
  externalRef: null,
  tags: [],
  status: 'SENT',
  previousStatus: 'SENDING',
  errorCode: null,
  errorMessage: null,
  occurredAt: new Date(),
  ...over,
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function received(hub: StatusHub, tenantId: string, match: LiveMatch, publish: () => void): Promise<string[]> {
  const stream = hub.subscribe(tenantId, match);
  publish();
  await turn();
  stream.close();
  const ids: string[] = [];
  for await (const c of stream) ids.push(`${c.messageId}:${c.status}`);
  return ids;
}

describe('status hub index', () => {
  const events = [
    change({ messageId: 'a', tags: ['x', 'y'], channel: 'SMS', status: 'SENT' }),
    change({ messageId: 'b', tags: ['y'], channel: 'EMAIL', status: 'DELIVERED', externalRef: 'order-1' }),
    change({ messageId: 'c', tags: ['x', 'x'], channel: 'WHATSAPP', status: 'READ' }),
    change({ messageId: 'a', tags: ['x', 'y'], channel: 'SMS', status: 'DELIVERED' }),
    change({ messageId: 'a', tenantId: 't2', tags: ['x'], status: 'FAILED' }),
  ];

  it.each<[string, LiveMatch, string[]]>([
    ['everything', { filter: {} }, ['a:SENT', 'b:DELIVERED', 'c:READ', 'a:DELIVERED']],
    ['one message', { messageId: 'a' }, ['a:SENT', 'a:DELIVERED']],
    ['a tag (a tag repeated on a message counts once)', { filter: { tag: 'x' } }, ['a:SENT', 'c:READ', 'a:DELIVERED']],
    ['a status', { filter: { status: 'DELIVERED' } }, ['b:DELIVERED', 'a:DELIVERED']],
    ['a channel', { filter: { channel: 'SMS' } }, ['a:SENT', 'a:DELIVERED']],
    ['an external reference', { filter: { externalRef: 'order-1' } }, ['b:DELIVERED']],
    ['tag and status together', { filter: { tag: 'y', status: 'DELIVERED' } }, ['b:DELIVERED', 'a:DELIVERED']],
    ['channel and tag together', { filter: { channel: 'SMS', tag: 'x' } }, ['a:SENT', 'a:DELIVERED']],
    ['nothing that matches', { filter: { tag: 'z' } }, []],
  ])('%s: exactly its changes, in order, none of another tenant', async (_name, match, expected) => {
    const hub = StatusHub.inProcess();
    expect(await received(hub, 't1', match, () => hub.publish(events))).toEqual(expected);
    expect(hub.size).toBe(0);
    await hub.close();
  });

  it('delivers after the publisher has moved on, and subscribers let go of the index', async () => {
    const hub = StatusHub.inProcess();
    const streams = [
      hub.subscribe('t1', { messageId: 'a' }),
      hub.subscribe('t1', { filter: { tag: 'x' } }),
      hub.subscribe('t2', { filter: {} }),
    ];
    expect(hub.size).toBe(3);
    let heard = false;
    void streams[0]!.next().then(() => {
      heard = true;
    });
    hub.publish([change({ messageId: 'a' })]);
    expect(heard).toBe(false); // not within publish()
    await turn();
    await turn();
    expect(heard).toBe(true);
    for (const s of streams) s.close();
    expect(hub.size).toBe(0);
    await hub.close();
  });
});
