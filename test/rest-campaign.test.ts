import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSendResponse } from '../src/rest/handler.js';
import { eventually } from './support/clock.js';
import { startHerald, type TestHerald } from './support/herald.js';

// The SMSMedia-compatible send endpoints keep their meaning for long `mobile` lists: above the
// 100 a request sends as single messages, the list becomes a campaign, each number judged on its
// own, answered with the campaign's id and a result per number.

const SMS = '/api/sms/send-sms-api';
let h: TestHerald;

beforeAll(async () => {
  h = await startHerald({ HERALD_WORKERS: '2', HERALD_POLL_MS: '20', HERALD_SANDBOX_DELAY_MS: '20' });
});
afterAll(() => h?.stop());

const numbers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `1415${3_000_000 + from + i}`);

async function sendSms(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.url}${SMS}`, {
    method: 'POST',
    headers: { apikey: h.adminKey, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as CampaignSendResponse & { error?: { field: string } } };
}

describe('REST sends to more than 100 numbers', () => {
  it('become one campaign: every number answered on its own (sent, invalid, suppressed), and it runs to COMPLETED', async () => {
    const suppressedNumber = '+14153000007';
    const added = await h.sdk().AddSuppressions({
      input: { channel: 'SMS', entries: [{ recipient: suppressedNumber, reason: 'asked us' }] },
    });
    expect(added.addSuppressions.__typename).toBe('AddedSuppressions');
    const mobile = [...numbers(150), 'not-a-number', '12'];

    const { status, body } = await sendSms(
      { senderid: 'HERALD', mobile: mobile.join(','), smstext: 'Sale ends tonight', serviceid: 6 },
      { 'Idempotency-Key': 'october-sale' },
    );
    expect(status).toBe(200);
    expect(body.campaignId).toEqual(expect.any(String));
    expect(body.messages).toHaveLength(152);
    expect(body.messages.map((m) => m.to)).toEqual(mobile);
    expect(body.messages[7]).toEqual({ messageId: null, to: '14153000007', status: 'SUPPRESSED' });
    expect(body.messages[150]).toMatchObject({ messageId: null, status: 'INVALID', error: { field: 'mobile' } });
    expect(body.messages[151]).toMatchObject({ status: 'INVALID', error: { field: 'mobile' } });
    expect(body.messageIds).toHaveLength(149);
    expect(new Set(body.messageIds).size).toBe(149);
    expect(body.messageId).toBe(body.messageIds[0]);

    const campaign = await eventually(
      async () => (await h.sdk().Campaign({ id: body.campaignId })).campaign,
      (c) => c?.status === 'COMPLETED',
      30_000,
    );
    expect(campaign?.counters).toMatchObject({ total: 149, invalid: 2, suppressed: 1 });
    expect(campaign?.counters.scheduled).toBe(0);

    // The same request again (same Idempotency-Key) answers the same campaign and sends nothing more.
    const again = await sendSms(
      { senderid: 'HERALD', mobile: mobile.join(','), smstext: 'Sale ends tonight', serviceid: 6 },
      { 'Idempotency-Key': 'october-sale' },
    );
    expect(again.status).toBe(200);
    expect(again.body.campaignId).toBe(body.campaignId);
    expect(new Set(again.body.messageIds)).toEqual(new Set(body.messageIds));
    expect((await h.sdk().Campaign({ id: body.campaignId })).campaign?.counters.total).toBe(149);
  }, 60_000);

  it('refuse the content as a single send would, naming the REST parameter, and store nothing; more than 10,000 numbers are refused', async () => {
    const before = (await h.sdk().Campaigns({ first: 100 })).campaigns.edges.length;
    const empty = await sendSms({ mobile: numbers(120).join(','), smstext: '', serviceid: 6 });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.field).toBe('smstext');

    const tooMany = await sendSms({ mobile: numbers(10_001).join(','), smstext: 'hi', serviceid: 6 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error?.field).toBe('mobile');
    expect((await h.sdk().Campaigns({ first: 100 })).campaigns.edges.length).toBe(before);
  });
});
