import { and, asc, desc, eq, gt, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { type KeysetPage, keysetPage, type PageRequest, readingOf } from '../db/keyset-page.js';
import { rowReader, rowsOf } from '../db/raw-rows.js';
import { recordset, type RecordsetColumns } from '../db/recordset.js';
import { suppressions, type SuppressionRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { checkOptionalText, checkText, textProblem } from '../validation/input.js';
import { CHANNELS, type Channel, type SuppressionSource } from '../vocabulary.js';
import type { Validators } from './validate.js';

// The tenant's opt-out list: recipients that must not receive MARKETING messages on a channel.
// Entries come from the API, from keyword replies (inbound.ts) and from providers' answers that
// mean the user opted out (delivery outcomes, status reports). A recipient is stored as messages
// store it (E.164, lower-case address), so a lookup is one primary-key probe.

/**
 * Which of `recipients` (normalised as messages store them) are suppressed on `channel`. The
 * recipients travel as one JSON parameter: one statement text whatever their number (a campaign
 * asks about 10,000 at once), so prepared statements do not pile up per list length.
 */
export async function suppressedAmong(
  db: Db | Tx,
  tenantId: string,
  channel: Channel,
  recipients: readonly string[],
): Promise<Set<string>> {
  if (recipients.length === 0) return new Set();
  const rows = await db
    .select({ recipient: suppressions.recipient })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.tenantId, tenantId),
        eq(suppressions.channel, channel),
        sql`${suppressions.recipient} in (select jsonb_array_elements_text(${JSON.stringify([...new Set(recipients)])}::jsonb))`,
      ),
    );
  return new Set(rows.map((r) => r.recipient));
}

export type NewSuppression = {
  tenantId: string;
  channel: Channel;
  recipient: string;
  reason: string;
  source: SuppressionSource;
};

type InsertRow = { tenant_id: string; channel: Channel; recipient: string; reason: string; source: string; n: number };
const insertColumns: RecordsetColumns<InsertRow> = {
  tenant_id: 'uuid',
  channel: 'channel',
  recipient: 'text',
  reason: 'text',
  source: 'text',
  n: 'int',
};
const readSuppression = rowReader(suppressions);

/**
 * Adds entries in one statement; an entry already on the list keeps its first reason, source and
 * time (the first opt-out is the one that counts). Returns the entries it added.
 */
export async function suppress(db: Db | Tx, entries: readonly NewSuppression[], now: Date): Promise<SuppressionRow[]> {
  if (entries.length === 0) return [];
  const rows = entries.map(
    (e, n): InsertRow => ({
      tenant_id: e.tenantId,
      channel: e.channel,
      recipient: e.recipient,
      reason: e.reason,
      source: e.source,
      n,
    }),
  );
  // Ordered by input position, so that within one call the first of two equal entries wins.
  const result = await db.execute(sql`
    insert into ${suppressions} (tenant_id, channel, recipient, reason, source, created_at)
    select distinct on (tenant_id, channel, recipient) tenant_id, channel, recipient, reason, source,
      ${now.toISOString()}::timestamptz
    from ${recordset('v', insertColumns, rows)}
    order by tenant_id, channel, recipient, n
    on conflict do nothing
    returning *`);
  return rowsOf<Record<string, unknown>>(result).map(readSuppression);
}

/** Lifts suppressions (an opt-in keyword); returns how many there were. */
export async function unsuppress(
  db: Db | Tx,
  tenantId: string,
  channel: Channel,
  recipients: readonly string[],
): Promise<number> {
  if (recipients.length === 0) return 0;
  const removed = await db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.tenantId, tenantId),
        eq(suppressions.channel, channel),
        inArray(suppressions.recipient, [...new Set(recipients)]),
      ),
    )
    .returning({ recipient: suppressions.recipient });
  return removed.length;
}

// --- the API's calls -----------------------------------------------------------------------------

/** Entries one addSuppressions call may carry (as many as a campaign's recipients per call). */
export const MAX_SUPPRESSIONS_PER_CALL = 10_000;
const MAX_REASON_LENGTH = 500;
const DEFAULT_REASON = 'added through the API';

export type SuppressionInput = { recipient: string; reason?: string | null | undefined };

/** An entry refused on its own: its position in the input, the field at fault and why. */
export type EntryProblem = { index: number; field: string; message: string };

export type AddSuppressionsResult = {
  /** Each valid entry as the list holds it, in input order (the first entry, when it was already there). */
  suppressions: SuppressionRow[];
  /** How many of them this call added. */
  added: number;
  problems: EntryProblem[];
};

/**
 * Adds the valid entries, normalised as sends normalise recipients; each invalid one is reported
 * with its index, field and reason and does not fail its neighbours.
 */
export async function addSuppressions(
  db: Db,
  validators: Validators,
  tenantId: string,
  input: { channel: Channel; entries: readonly SuppressionInput[] },
  now: Date,
): Promise<AddSuppressionsResult> {
  const { channel, entries } = input;
  if (entries.length > MAX_SUPPRESSIONS_PER_CALL)
    throw new ValidationError('entries', `entries must be at most ${MAX_SUPPRESSIONS_PER_CALL} per call`);
  const problems: EntryProblem[] = [];
  const valid: NewSuppression[] = [];
  entries.forEach((entry, index) => {
    const address = validators.address(channel, entry.recipient);
    if (!address.ok) {
      problems.push({ index, field: 'recipient', message: `entries.${index}.recipient ${address.message}` });
      return;
    }
    const reason = entry.reason?.trim() || DEFAULT_REASON;
    const reasonProblem =
      textProblem(reason) ??
      (reason.length > MAX_REASON_LENGTH ? `must be at most ${MAX_REASON_LENGTH} characters` : null);
    if (reasonProblem) {
      problems.push({ index, field: 'reason', message: `entries.${index}.reason ${reasonProblem}` });
      return;
    }
    valid.push({ tenantId, channel, recipient: address.value, reason, source: 'API' });
  });
  const added = await suppress(db, valid, now);
  const held = new Map(added.map((r) => [r.recipient, r]));
  const existing = valid.filter((v) => !held.has(v.recipient)).map((v) => v.recipient);
  if (existing.length > 0) {
    const rows = await db
      .select()
      .from(suppressions)
      .where(
        and(
          eq(suppressions.tenantId, tenantId),
          eq(suppressions.channel, channel),
          inArray(suppressions.recipient, [...new Set(existing)]),
        ),
      );
    for (const r of rows) held.set(r.recipient, r);
  }
  const seen = new Set<string>();
  const listed = valid.flatMap((v) => {
    const row = held.get(v.recipient);
    if (!row || seen.has(v.recipient)) return [];
    seen.add(v.recipient);
    return [row];
  });
  return { suppressions: listed, added: added.length, problems };
}

/** Lifts one suppression; NotFoundError when the recipient is not on the channel's list. */
export async function removeSuppression(
  db: Db,
  validators: Validators,
  tenantId: string,
  channel: Channel,
  recipient: string,
): Promise<SuppressionRow> {
  checkText('recipient', recipient);
  const normalised = validators.recipient(recipient);
  const [row] = await db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.tenantId, tenantId),
        eq(suppressions.channel, channel),
        eq(suppressions.recipient, normalised),
      ),
    )
    .returning();
  if (!row) throw new NotFoundError('Suppression', recipient);
  return row;
}

// --- listing -----------------------------------------------------------------------------------

export type SuppressionFilter = {
  channel?: Channel | undefined;
  /** Any accepted spelling; normalised here. */
  recipient?: string | undefined;
};

export type SuppressionPageRequest = PageRequest;
export type SuppressionPage = KeysetPage<SuppressionRow>;

// The listing's order, newest first: (created_at desc, recipient, channel), the order of the
// suppressions_tenant_created_idx index; a cursor is a row's position in it.
type Position = { createdAt: Date; recipient: string; channel: Channel };

const encodeCursor = (row: Position): string =>
  Buffer.from(JSON.stringify([row.createdAt.getTime(), row.channel, row.recipient])).toString('base64url');

function decodeCursor(cursor: string, field: string): Position {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    decoded = undefined;
  }
  const [ms, channel, recipient] = Array.isArray(decoded) ? decoded : [];
  if (
    !Number.isSafeInteger(ms) ||
    !CHANNELS.includes(channel) ||
    typeof recipient !== 'string' ||
    textProblem(recipient) !== null
  )
    throw new ValidationError(field, `${field} is not a valid cursor`);
  return { createdAt: new Date(ms as number), channel: channel as Channel, recipient };
}

/** Rows after `p` in the listing's order (older, or as old and later by recipient, channel). */
const following = (p: Position): SQL =>
  or(
    lt(suppressions.createdAt, p.createdAt),
    and(
      eq(suppressions.createdAt, p.createdAt),
      or(
        gt(suppressions.recipient, p.recipient),
        and(eq(suppressions.recipient, p.recipient), gt(suppressions.channel, p.channel)),
      ),
    ),
  )!;
const preceding = (p: Position): SQL =>
  or(
    gt(suppressions.createdAt, p.createdAt),
    and(
      eq(suppressions.createdAt, p.createdAt),
      or(
        lt(suppressions.recipient, p.recipient),
        and(eq(suppressions.recipient, p.recipient), lt(suppressions.channel, p.channel)),
      ),
    ),
  )!;

/** The tenant's list, newest first: `first/after` towards older entries, `last/before` towards newer. */
export async function listSuppressions(
  db: Db,
  validators: Validators,
  tenantId: string,
  filter: SuppressionFilter,
  page: SuppressionPageRequest,
): Promise<SuppressionPage> {
  const reading = readingOf(page);
  const after = page.after ? decodeCursor(page.after, 'after') : undefined;
  const before = page.before ? decodeCursor(page.before, 'before') : undefined;
  checkOptionalText('recipient', filter.recipient);

  const conditions: SQL[] = [eq(suppressions.tenantId, tenantId)];
  if (filter.recipient) {
    conditions.push(eq(suppressions.recipient, validators.recipient(filter.recipient)));
    // Every channel spelled out, so the primary key (tenant, channel, recipient) finds the rows.
    conditions.push(
      filter.channel ? eq(suppressions.channel, filter.channel) : inArray(suppressions.channel, CHANNELS),
    );
  } else if (filter.channel) conditions.push(eq(suppressions.channel, filter.channel));
  if (after) conditions.push(following(after));
  if (before) conditions.push(preceding(before));

  const { backwards, size } = reading;
  const order = backwards
    ? [asc(suppressions.createdAt), desc(suppressions.recipient), desc(suppressions.channel)]
    : [desc(suppressions.createdAt), asc(suppressions.recipient), asc(suppressions.channel)];
  const fetched = await db
    .select()
    .from(suppressions)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(size + 1);
  return keysetPage(fetched, reading, page, encodeCursor);
}
