import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/raw-rows.js';
import { campaigns, messages } from '../src/db/schema.js';
import { newId } from '../src/ids.js';
import type { MessageStatus } from '../src/vocabulary.js';
import { startHerald, type TestHerald } from './support/herald.js';

// The database keeps campaign counters and delivery milestones itself (migration 0007), whatever
// statement moves a message: these tests write through plain SQL, as any writer could.

let h: TestHerald;
let tenantId: string;
beforeAll(async () => {
  h = await startHerald();
  tenantId = (await h.sdk().Viewer()).viewer.tenant.id;
});
afterAll(() => h?.stop());

const db = () => h.herald.database.db;

async function newCampaign(): Promise<string> {
  const now = new Date();
  const id = newId(now.getTime());
  await db()
    .insert(campaigns)
    .values({
      id,
      tenantId,
      name: 'counts',
      channel: 'SMS',
      category: 'MARKETING',
      status: 'RUNNING',
      content: { text: 'hi' },
      createdAt: now,
      updatedAt: now,
    });
  return id;
}

async function addMessages(campaignId: string | null, n: number, first = 0): Promise<string[]> {
  const now = new Date();
  const rows = Array.from({ length: n }, (_, i) => ({
    id: newId(now.getTime()),
    tenantId,
    channel: 'SMS' as const,
    status: 'SCHEDULED' as const,
    statusAt: now,
    recipient: `+1415555${String(first + i).padStart(4, '0')}`,
    channelOptions: {},
    campaignId,
    createdAt: now,
    updatedAt: now,
  }));
  await db().insert(messages).values(rows);
  return rows.map((r) => r.id);
}

async function counters(campaignId: string): Promise<Record<string, number>> {
  const rows = rowsOf<{ status: string; n: string | number }>(
    await db().execute(
      sql`select status, sum(delta) as n from campaign_counts where campaign_id = ${campaignId} group by status having sum(delta) <> 0`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function counted(campaignId: string): Promise<Record<string, number>> {
  const rows = rowsOf<{ status: string; n: string | number }>(
    await db().execute(
      sql`select status, count(*) as n from messages where campaign_id = ${campaignId} group by status`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

const move = (ids: string[], status: MessageStatus) =>
  db()
    .update(messages)
    .set({ status, statusAt: new Date() })
    .where(and(inArray(messages.id, ids)));

describe('campaign counters', () => {
  it('equal a count of the campaign messages after inserts and concurrent updates; other messages do not count', async () => {
    const campaignId = await newCampaign();
    const other = await newCampaign();
    const ids = await addMessages(campaignId, 300);
    await addMessages(null, 20, 5000);
    await addMessages(other, 10, 6000);
    expect(await counters(campaignId)).toEqual({ SCHEDULED: 300 });

    // Many writers at once, several statements per transaction, some rolled back.
    const chunks = Array.from({ length: 10 }, (_, i) => ids.slice(i * 30, i * 30 + 30));
    await Promise.all(
      chunks.map(async (chunk, i) => {
        await move(chunk, 'QUEUED');
        await db().transaction(async (tx) => {
          await tx.update(messages).set({ status: 'SENDING' }).where(inArray(messages.id, chunk));
          await tx
            .update(messages)
            .set({ status: 'SENT' })
            .where(inArray(messages.id, chunk.slice(0, 20)));
        });
        await db()
          .transaction(async (tx) => {
            await tx.update(messages).set({ status: 'FAILED' }).where(inArray(messages.id, chunk));
            if (i % 2 === 0) throw new Error('rolled back');
          })
          .catch(() => {});
      }),
    );
    expect(await counters(campaignId)).toEqual(await counted(campaignId));
    expect(await counters(campaignId)).toEqual({ SENDING: 50, SENT: 100, FAILED: 150 });
    expect(await counters(other)).toEqual({ SCHEDULED: 10 });

    // An update that changes no status adds nothing.
    const before = rowsOf(await db().execute(sql`select 1 from campaign_counts where campaign_id = ${campaignId}`));
    await db().update(messages).set({ updatedAt: new Date() }).where(eq(messages.campaignId, campaignId));
    const after = rowsOf(await db().execute(sql`select 1 from campaign_counts where campaign_id = ${campaignId}`));
    expect(after.length).toBe(before.length);
  });
});

describe('delivery milestones', () => {
  it('record when a message was first sent, delivered and read; a READ without DELIVERED implies both', async () => {
    const [a, b] = await addMessages(null, 2, 7000);
    const at = (iso: string) => new Date(iso);
    await db()
      .update(messages)
      .set({ status: 'SENT', statusAt: at('2026-01-01T10:00:00Z') })
      .where(eq(messages.id, a!));
    await db()
      .update(messages)
      .set({ status: 'DELIVERED', statusAt: at('2026-01-01T10:00:05Z') })
      .where(eq(messages.id, a!));
    await db()
      .update(messages)
      .set({ status: 'READ', statusAt: at('2026-01-01T10:01:00Z') })
      .where(eq(messages.id, a!));
    await db()
      .update(messages)
      .set({ status: 'SENT', statusAt: at('2026-01-01T11:00:00Z') })
      .where(eq(messages.id, b!));
    await db()
      .update(messages)
      .set({ status: 'READ', statusAt: at('2026-01-01T11:00:09Z') })
      .where(eq(messages.id, b!));

    const rows = await db()
      .select({ id: messages.id, sentAt: messages.sentAt, deliveredAt: messages.deliveredAt, readAt: messages.readAt })
      .from(messages)
      .where(inArray(messages.id, [a!, b!]));
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[a!]).toMatchObject({
      sentAt: at('2026-01-01T10:00:00Z'),
      deliveredAt: at('2026-01-01T10:00:05Z'),
      readAt: at('2026-01-01T10:01:00Z'),
    });
    expect(byId[b!]).toMatchObject({
      sentAt: at('2026-01-01T11:00:00Z'),
      deliveredAt: at('2026-01-01T11:00:09Z'),
      readAt: at('2026-01-01T11:00:09Z'),
    });
  });
});
