import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSms } from '../src/messaging/send.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

const TOTAL = 10_000;
let h: TestHerald;
let sdk: Sdk;
let sentIds: string[] = [];

beforeAll(async () => {
  h = await startHerald();
  sdk = h.sdk();
  // Stored through the domain's send call (the one GraphQL and REST use), 500 at a time: these
  // tests are about paging, and 10,000 HTTP requests would only make them slow.
  const tenantId = (await sdk.Viewer()).viewer.tenant.id;
  const ids: string[][] = [];
  for (let start = 0; start < TOTAL; start += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, TOTAL - start) }, (_, i) =>
        sendSms(h.herald.services.send, tenantId, {
          to: '+14155550100',
          text: `message ${start + i}`,
          tags: [(start + i) % 2 ? 'odd' : 'even'],
        }),
      ),
    );
    ids.push(batch.map((m) => m.id));
  }
  sentIds = ids.flat();
}, 300_000);
afterAll(() => h?.stop());

type Edge = { cursor: string; node: { messageId: string; createdAt: string } };

describe('messages connection over 10,000 messages', () => {
  it('forwards: every message exactly once, newest first', async () => {
    const seen: Edge[] = [];
    let after: string | null | undefined;
    let pages = 0;
    for (;;) {
      const { messages } = await sdk.Messages({ first: 100, after });
      seen.push(...messages.edges);
      pages++;
      expect(messages.pageInfo.hasPreviousPage).toBe(after !== undefined);
      if (!messages.pageInfo.hasNextPage) break;
      after = messages.pageInfo.endCursor;
    }
    expect(pages).toBe(TOTAL / 100);
    const ids = seen.map((e) => e.node.messageId);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(new Set(ids)).toEqual(new Set(sentIds));
    // Newest first: createdAt never increases, and ties are ordered by id, descending.
    for (let i = 1; i < seen.length; i++) {
      const [prev, cur] = [seen[i - 1]!.node, seen[i]!.node];
      expect(prev.createdAt >= cur.createdAt).toBe(true);
      if (prev.createdAt === cur.createdAt) expect(prev.messageId > cur.messageId).toBe(true);
    }
  });

  it('backwards: the same sequence, page by page from the end', async () => {
    const forward: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const { messages } = await sdk.Messages({ first: 100, after });
      forward.push(...messages.edges.map((e) => e.node.messageId));
      if (!messages.pageInfo.hasNextPage) break;
      after = messages.pageInfo.endCursor;
    }
    const pages: string[][] = [];
    let before: string | null | undefined;
    for (;;) {
      const { messages } = await sdk.Messages({ last: 100, before });
      pages.unshift(messages.edges.map((e) => e.node.messageId));
      expect(messages.pageInfo.hasNextPage).toBe(before !== undefined);
      if (!messages.pageInfo.hasPreviousPage) break;
      before = messages.pageInfo.startCursor;
    }
    expect(pages.flat()).toEqual(forward);
  });

  it('filters combine with cursors', async () => {
    const odd: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const { messages } = await sdk.Messages({
        first: 100,
        after,
        filter: { tag: 'odd', channel: 'SMS', status: 'QUEUED' },
      });
      odd.push(...messages.edges.map((e) => e.node.messageId));
      if (!messages.pageInfo.hasNextPage) break;
      after = messages.pageInfo.endCursor;
    }
    expect(odd).toHaveLength(TOTAL / 2);
    expect(new Set(odd)).toEqual(new Set(sentIds.filter((_, i) => i % 2 === 1)));
  });

  it('refuses oversize pages and bad cursors with a clear error', async () => {
    await expect(sdk.Messages({ first: 101 })).rejects.toThrow(/first must be between 0 and 100/);
    await expect(sdk.Messages({ first: 10, after: 'bm90LWEtY3Vyc29y' })).rejects.toThrow(/after is not a valid cursor/);
  });
});

describe('messages filtered by campaign', () => {
  // A tenant of its own, so the 10,000 above stay exactly 10,000.
  let owner: Sdk;
  let campaign: { id: string; campaignId: string };
  const recipients = Array.from({ length: 150 }, (_, i) => `+1415556${String(1000 + i)}`);

  beforeAll(async () => {
    const tenant = await sdk.CreateTenant({ name: 'Campaign filter' });
    if (tenant.createTenant.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(tenant));
    owner = h.sdk(tenant.createTenant.key);
    const create = async (name: string) => {
      const r = await owner.CreateCampaign({
        input: { name, channel: 'SMS', content: { sms: { text: 'Hi {{1}}' } } },
      });
      if (r.createCampaign.__typename !== 'Campaign') throw new Error(JSON.stringify(r.createCampaign));
      return r.createCampaign;
    };
    campaign = await create('spring');
    const other = await create('autumn');
    const add = async (id: string, to: string[]) => {
      const r = await owner.AddCampaignRecipients({
        campaignId: id,
        recipients: to.map((t) => ({ to: t, params: ['x'] })),
      });
      expect(r.addCampaignRecipients.__typename).toBe('CampaignRecipientsAdded');
    };
    await add(campaign.id, recipients);
    await add(other.id, ['+14155570001', '+14155570002']);
    await owner.SendSms({ input: { to: '+14155570003', text: 'not in a campaign' } });
  }, 60_000);

  it('lists the campaign only, by global or plain id, across pages and with other filters', async () => {
    for (const id of [campaign.id, campaign.campaignId]) {
      const seen: string[] = [];
      let after: string | null | undefined;
      for (;;) {
        const { messages } = await owner.Messages({ first: 40, after, filter: { campaign: id } });
        seen.push(...messages.edges.map((e) => e.node.to));
        if (!messages.pageInfo.hasNextPage) break;
        after = messages.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(recipients.length);
      expect(new Set(seen)).toEqual(new Set(recipients));
    }
    const one = await owner.Messages({ first: 10, filter: { campaign: campaign.id, to: recipients[7] } });
    expect(one.messages.edges.map((e) => e.node.to)).toEqual([recipients[7]]);
  });

  it("finds nothing with another tenant's campaign and refuses what is not a campaign id, naming the field", async () => {
    const { messages } = await sdk.Messages({ first: 10, filter: { campaign: campaign.campaignId } });
    expect(messages.edges).toEqual([]);
    for (const bad of ['not-a-campaign', '', "'; drop table messages; --", 'TWVzc2FnZTox'])
      await expect(owner.Messages({ first: 10, filter: { campaign: bad } })).rejects.toThrow(/filter\.campaign/);
  });
});
