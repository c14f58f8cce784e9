import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestClock } from './support/clock.js';
import { startHerald, type TestHerald } from './support/herald.js';

// Reconciliation reporting: what waits and what is stuck, per tenant (GraphQL) and for the
// installation (/metrics, operator key).

const clock = new TestClock();
let h: TestHerald;

beforeAll(async () => {
  h = await startHerald(
    {
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      // Reports never come within the test: sent messages stay SENT.
      HERALD_SANDBOX_DELAY_MS: '3600000',
      HERALD_STUCK_SENT_AFTER_MS: '60000',
    },
    { now: clock.now },
  );
});
afterAll(() => h?.stop());

describe('delivery health', () => {
  it('counts waiting messages and reports SENT messages without news as stuck', async () => {
    const sdk = h.sdk();
    const sent = await sdk.SendSms({ input: { to: '+918800001234', text: 'will go quiet' } });
    if (sent.sendSms.__typename !== 'Message') throw new Error('not sent');
    const id = sent.sendSms.messageId;
    await sdk.SendSms({
      input: { to: '+918800001234', text: 'later', sendAt: new Date(clock.now().getTime() + 3_600_000).toISOString() },
    });
    await eventually(
      () => sdk.Message({ id }),
      (r) => r.message?.status === 'SENT',
    );

    const fresh = await sdk.DeliveryHealth({});
    expect(fresh.deliveryHealth).toMatchObject({
      scheduled: 1,
      queued: 0,
      sending: 0,
      stuckSending: 0,
      stuckSent: 0,
      stuckMessages: [],
    });

    clock.advance(60_001);
    const later = await sdk.DeliveryHealth({});
    expect(later.deliveryHealth.stuckSent).toBe(1);
    expect(later.deliveryHealth.stuckMessages).toEqual([
      { messageId: id, status: 'SENT', providerMessageId: expect.stringMatching(/^sbx_/) },
    ]);

    // Another tenant's view holds none of it.
    const other = await sdk.CreateTenant({ name: 'Quiet Co' });
    if (other.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
    const theirs = await h.sdk(other.createTenant.key).DeliveryHealth({});
    expect(theirs.deliveryHealth).toMatchObject({ scheduled: 0, stuckSent: 0, stuckMessages: [] });

    // The installation-wide metric, for operators only.
    const metrics = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${h.adminKey}` } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('herald_messages_stuck{state="sent"} 1');
    expect(text).toContain('herald_messages{state="scheduled"} 1');
    const denied = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${other.createTenant.key}` } });
    expect(denied.status).toBe(403);
  });
});
