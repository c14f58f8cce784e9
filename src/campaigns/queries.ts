import { and, asc, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaigns, type CampaignRow } from '../db/schema.js';
import { isUuid } from '../ids.js';
import { type KeysetPage, keysetPage, type PageRequest, readingOf } from '../db/keyset-page.js';
import { decodeCursor, encodeCursor, type Position } from '../messaging/queries.js';
import type { CampaignStatus } from '../vocabulary.js';

// Reading a tenant's campaigns: by id (unknown or foreign ids are simply not found) and as a
// keyset page, newest first, on the (tenant_id, created_at, id) index.

export async function getCampaigns(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<(CampaignRow | undefined)[]> {
  const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
  if (valid.length === 0) return ids.map(() => undefined);
  const rows = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), inArray(campaigns.id, valid)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

export async function getCampaign(db: Db, tenantId: string, id: string): Promise<CampaignRow | undefined> {
  return (await getCampaigns(db, tenantId, [id]))[0];
}

export type CampaignPage = KeysetPage<CampaignRow>;

const olderThan = (p: Position): SQL =>
  or(lt(campaigns.createdAt, p.createdAt), and(eq(campaigns.createdAt, p.createdAt), lt(campaigns.id, p.id)))!;
const newerThan = (p: Position): SQL =>
  or(gt(campaigns.createdAt, p.createdAt), and(eq(campaigns.createdAt, p.createdAt), gt(campaigns.id, p.id)))!;

/** Newest first. `first/after` walk towards older campaigns, `last/before` towards newer ones. */
export async function listCampaigns(
  db: Db,
  tenantId: string,
  filter: { status?: CampaignStatus | undefined },
  page: PageRequest,
): Promise<CampaignPage> {
  const reading = readingOf(page);
  const after = page.after ? decodeCursor(page.after, 'after') : undefined;
  const before = page.before ? decodeCursor(page.before, 'before') : undefined;
  const conditions: SQL[] = [eq(campaigns.tenantId, tenantId)];
  if (filter.status) conditions.push(eq(campaigns.status, filter.status));
  if (after) conditions.push(olderThan(after));
  if (before) conditions.push(newerThan(before));
  const { backwards, size } = reading;
  const order = backwards
    ? [asc(campaigns.createdAt), asc(campaigns.id)]
    : [desc(campaigns.createdAt), desc(campaigns.id)];
  const fetched = await db
    .select()
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(size + 1);
  return keysetPage(fetched, reading, page, encodeCursor);
}
