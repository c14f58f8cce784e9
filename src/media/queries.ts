import { and, asc, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type KeysetPage, keysetPage, type PageRequest, readingOf } from '../db/keyset-page.js';
import { media, type MediaRow } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { isUuid } from '../ids.js';

// Reads of the media table; every one is scoped by the tenant.

/** By id, the tenant's only; unknown, malformed or foreign ids yield undefined. */
export async function getMedia(db: Db, tenantId: string, ids: readonly string[]): Promise<(MediaRow | undefined)[]> {
  const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (valid.length === 0) return ids.map(() => undefined);
  const rows = await db
    .select()
    .from(media)
    .where(and(eq(media.tenantId, tenantId), inArray(media.id, valid)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

export async function findMediaBySha(db: Db, tenantId: string, sha256: string): Promise<MediaRow | undefined> {
  const [row] = await db
    .select()
    .from(media)
    .where(and(eq(media.tenantId, tenantId), eq(media.sha256, sha256)));
  return row;
}

export type MediaPageRequest = PageRequest;
export type MediaPage = KeysetPage<MediaRow>;

type Position = { createdAt: Date; id: string };
const encodeCursor = (row: Position): string =>
  Buffer.from(`${row.createdAt.getTime()}:${row.id}`).toString('base64url');

function decodeCursor(cursor: string, field: string): Position {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const time = Number(ms);
  if (!id || !isUuid(id) || !Number.isSafeInteger(time))
    throw new ValidationError(field, `${field} is not a valid cursor`);
  return { createdAt: new Date(time), id };
}

/** Newest first, keyset on (created_at, id): `first/after` towards older, `last/before` towards newer. */
export async function listMedia(db: Db, tenantId: string, page: MediaPageRequest): Promise<MediaPage> {
  const reading = readingOf(page);
  const after = page.after ? decodeCursor(page.after, 'after') : undefined;
  const before = page.before ? decodeCursor(page.before, 'before') : undefined;
  const conditions: SQL[] = [eq(media.tenantId, tenantId)];
  if (after)
    conditions.push(
      or(lt(media.createdAt, after.createdAt), and(eq(media.createdAt, after.createdAt), lt(media.id, after.id)))!,
    );
  if (before)
    conditions.push(
      or(gt(media.createdAt, before.createdAt), and(eq(media.createdAt, before.createdAt), gt(media.id, before.id)))!,
    );
  const { backwards, size } = reading;
  const fetched = await db
    .select()
    .from(media)
    .where(and(...conditions))
    .orderBy(...(backwards ? [asc(media.createdAt), asc(media.id)] : [desc(media.createdAt), desc(media.id)]))
    .limit(size + 1);
  return keysetPage(fetched, reading, page, encodeCursor);
}
