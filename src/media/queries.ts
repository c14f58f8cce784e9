import { and, asc, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
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

export type MediaPageRequest = {
  first?: number | undefined;
  after?: string | undefined;
  last?: number | undefined;
  before?: string | undefined;
};
export type MediaPage = {
  rows: MediaRow[];
  cursorOf: (row: MediaRow) => string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
};

export const MAX_MEDIA_PAGE = 100;
const DEFAULT_MEDIA_PAGE = 20;

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

function pageSize(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_MEDIA_PAGE)
    throw new ValidationError(field, `${field} must be between 0 and ${MAX_MEDIA_PAGE}`);
  return value;
}

/** Newest first, keyset on (created_at, id): `first/after` towards older, `last/before` towards newer. */
export async function listMedia(db: Db, tenantId: string, page: MediaPageRequest): Promise<MediaPage> {
  const first = pageSize(page.first, 'first');
  const last = pageSize(page.last, 'last');
  if (first !== undefined && last !== undefined)
    throw new ValidationError('last', 'use either first or last, not both');
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
  const backwards = last !== undefined && first === undefined;
  const size = (backwards ? last : first) ?? DEFAULT_MEDIA_PAGE;
  const fetched = await db
    .select()
    .from(media)
    .where(and(...conditions))
    .orderBy(...(backwards ? [asc(media.createdAt), asc(media.id)] : [desc(media.createdAt), desc(media.id)]))
    .limit(size + 1);
  const more = fetched.length > size;
  const rows = fetched.slice(0, size);
  if (backwards) rows.reverse();
  return {
    rows,
    cursorOf: encodeCursor,
    hasNextPage: backwards ? before !== undefined : more,
    hasPreviousPage: backwards ? more : after !== undefined,
  };
}
