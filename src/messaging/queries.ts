import { and, arrayContains, asc, desc, eq, gt, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type KeysetPage, keysetPage, type PageRequest, readingOf } from '../db/keyset-page.js';
import { messageEvents, messages, type MessageEventRow, type MessageRow } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { isUuid } from '../ids.js';
import { checkOptionalText } from '../validation/input.js';
import type { Channel, MessageStatus } from '../vocabulary.js';

/** Loads messages by id, only those of the tenant; unknown or foreign ids yield undefined. */
export async function getMessages(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<(MessageRow | undefined)[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return ids.map(() => undefined);
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), inArray(messages.id, valid)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

/** The tenant's message stored under an idempotency key, if any (the unique index finds it). */
export async function findByIdempotencyKey(db: Db, tenantId: string, key: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.idempotencyKey, key)));
  return row;
}

/**
 * History of each message in the order it was recorded (the event sequence): status events chain
 * by previousStatus and the last is the current status, whatever timestamps providers reported.
 */
export async function getEvents(db: Db, tenantId: string, messageIds: readonly string[]): Promise<MessageEventRow[][]> {
  const rows = await db
    .select()
    .from(messageEvents)
    .where(and(eq(messageEvents.tenantId, tenantId), inArray(messageEvents.messageId, [...messageIds])))
    .orderBy(asc(messageEvents.seq));
  const groups = new Map<string, MessageEventRow[]>(messageIds.map((id) => [id, []]));
  for (const r of rows) groups.get(r.messageId)?.push(r);
  return messageIds.map((id) => groups.get(id) ?? []);
}

export type MessageFilter = {
  channel?: Channel | undefined;
  status?: MessageStatus | undefined;
  /** Already normalised (E.164 or lower-case address). */
  to?: string | undefined;
  tag?: string | undefined;
  externalRef?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
  /** Only this campaign's messages; another tenant's campaign matches nothing. */
  campaignId?: string | undefined;
};

// A cursor is the (created_at, id) position of a row: the listing's sort key, so a page is one
// index range scan however deep it lies.
export type Position = { createdAt: Date; id: string };

export const encodeCursor = (row: Position): string =>
  Buffer.from(`${row.createdAt.getTime()}:${row.id}`).toString('base64url');

export function decodeCursor(cursor: string, field: string): Position {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const time = Number(ms);
  if (!id || !isUuid(id) || !Number.isSafeInteger(time))
    throw new ValidationError(field, `${field} is not a valid cursor`);
  return { createdAt: new Date(time), id };
}

const olderThan = (p: Position): SQL =>
  or(lt(messages.createdAt, p.createdAt), and(eq(messages.createdAt, p.createdAt), lt(messages.id, p.id)))!;
const newerThan = (p: Position): SQL =>
  or(gt(messages.createdAt, p.createdAt), and(eq(messages.createdAt, p.createdAt), gt(messages.id, p.id)))!;

/** Newest first. `first/after` walk towards older messages, `last/before` towards newer ones. */
export async function listMessages(
  db: Db,
  tenantId: string,
  filter: MessageFilter,
  page: PageRequest,
): Promise<KeysetPage<MessageRow>> {
  const reading = readingOf(page);
  const after = page.after ? decodeCursor(page.after, 'after') : undefined;
  const before = page.before ? decodeCursor(page.before, 'before') : undefined;

  // Text PostgreSQL cannot compare (NUL) is refused, not sent to the database.
  checkOptionalText('filter.to', filter.to);
  checkOptionalText('filter.tag', filter.tag);
  checkOptionalText('filter.externalRef', filter.externalRef);
  if (filter.campaignId !== undefined && !isUuid(filter.campaignId))
    throw new ValidationError('filter.campaign', 'filter.campaign is not a campaign id');
  const conditions: SQL[] = [eq(messages.tenantId, tenantId)];
  if (filter.channel) conditions.push(eq(messages.channel, filter.channel));
  if (filter.status) conditions.push(eq(messages.status, filter.status));
  if (filter.to) conditions.push(eq(messages.recipient, filter.to));
  if (filter.tag) conditions.push(arrayContains(messages.tags, [filter.tag]));
  if (filter.externalRef) conditions.push(eq(messages.externalRef, filter.externalRef));
  if (filter.createdAfter) conditions.push(gte(messages.createdAt, filter.createdAfter));
  if (filter.createdBefore) conditions.push(lt(messages.createdAt, filter.createdBefore));
  if (filter.campaignId) conditions.push(eq(messages.campaignId, filter.campaignId));
  if (after) conditions.push(olderThan(after));
  if (before) conditions.push(newerThan(before));

  const { backwards, size } = reading;
  const order = backwards ? [asc(messages.createdAt), asc(messages.id)] : [desc(messages.createdAt), desc(messages.id)];
  const fetched = await db
    .select()
    .from(messages)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(size + 1);
  return keysetPage(fetched, reading, page, encodeCursor);
}
