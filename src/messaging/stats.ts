import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import { messages } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { isUuid } from '../ids.js';
import { checkOptionalText } from '../validation/input.js';
import { CHANNELS, MESSAGE_STATUSES, type Channel, type MessageStatus } from '../vocabulary.js';

// Delivery analytics: how many of a tenant's messages reached each status, how fast, and why the
// others failed, grouped by what a team varies (template, provider, hour of sending...). One SQL
// statement answers it from aggregates; no message row is read into JavaScript. What one
// question may cost is bounded: a window of at most MAX_RANGE_DAYS and at most MAX_GROUPS groups.
//
// No index of its own: the tenant listing index (tenant_id, created_at) already bounds the scan
// to the tenant's window, and a campaign filter uses the campaign index. A covering index would
// spare the heap to tenants sharing the table, at the price of one more index entry written by
// every status change; on one tenant's million messages the planner keeps the sequential scan,
// and forced to use it the statement was slower (docs/benchmarks.md, stats).

export const MESSAGE_STATS_DIMENSIONS = [
  'STATUS',
  'CHANNEL',
  'TEMPLATE',
  'PROVIDER',
  'CAMPAIGN',
  'DAY',
  'HOUR_OF_DAY',
  'DAY_OF_WEEK',
] as const;
export type MessageStatsDimension = (typeof MESSAGE_STATS_DIMENSIONS)[number];

export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_GROUPS = 1000;
/** How many failure codes each group lists, most frequent first. */
export const TOP_FAILURE_CODES = 5;
/** Statuses whose last error code explains a failure (a queued retry's error is not one yet). */
const FAILED_STATUSES: readonly MessageStatus[] = ['FAILED', 'UNDELIVERED', 'EXPIRED'];

export type MessageStatsFilter = {
  /** created_at >= from; default `to` minus DEFAULT_RANGE_DAYS. */
  from?: Date | undefined;
  /** created_at < to; default now. */
  to?: Date | undefined;
  channel?: Channel | undefined;
  /** A campaign id; another tenant's simply matches nothing. */
  campaign?: string | undefined;
  /** A template name. */
  template?: string | undefined;
  tag?: string | undefined;
  /** A provider name as messages record it (`twilio`, `smsmedia.<config id>`...). */
  provider?: string | undefined;
};

export type MessageStatsOptions = {
  /** IANA name the time dimensions (DAY, HOUR_OF_DAY, DAY_OF_WEEK) are read in; default UTC. */
  timeZone?: string | undefined;
  now: Date;
};

/** A group's value of each dimension asked for; the others are absent. */
export type MessageStatsKey = {
  status?: MessageStatus;
  channel?: Channel;
  template?: string | null;
  provider?: string | null;
  campaign?: string | null;
  /** YYYY-MM-DD in the time zone. */
  day?: string;
  /** 0-23 in the time zone. */
  hourOfDay?: number;
  /** ISO 8601: 1 = Monday ... 7 = Sunday, in the time zone. */
  dayOfWeek?: number;
};

export type MessageStatsGroup = {
  key: MessageStatsKey;
  total: number;
  /** How many are in each status now. */
  counts: Record<MessageStatus, number>;
  /** How many reached SENT (a provider accepted them), whatever happened next. */
  sent: number;
  /** How many reached DELIVERED (READ implies it). */
  delivered: number;
  read: number;
  /** delivered / sent; null when none was sent. */
  deliveredRate: number | null;
  /** read / delivered; null when none was delivered. */
  readRate: number | null;
  /** Most frequent last error codes among messages that failed (FAILED, UNDELIVERED, EXPIRED). */
  failureCodes: { code: string; count: number }[];
  /** Median seconds from sent to delivered, over the messages delivered; null when none. */
  medianSecondsToDelivered: number | null;
  medianSecondsToRead: number | null;
};

export type MessageStats = {
  from: Date;
  to: Date;
  timeZone: string;
  groupBy: MessageStatsDimension[];
  groups: MessageStatsGroup[];
};

type Dimension = {
  /** Column alias of the group key. */
  alias: string;
  /** The key of a message (time dimensions in the session's time zone). */
  expression: () => SQL;
  /** The key as answered, from the grouped column. */
  output: (column: SQL) => SQL;
  key: keyof MessageStatsKey;
  /** The order of two answered keys (not null). */
  order: (a: unknown, b: unknown) => number;
};

// Time dimensions read created_at, the time the filter reads too: a group's messages all lie
// within the window asked for. They are read in the session's time zone, set for the statement's
// transaction to the one asked for: `created_at at time zone <name>` looked the zone up by name
// for every message.
const asIs = (column: SQL) => column;
// Names are grouped and ordered by their bytes: sorting a million of them by a locale's rules
// took 1.5x (C.UTF-8) to 2.2x (ICU en-US) as long, and names need no linguistic order.
const bytewise = (column: AnyPgColumn) => sql`(${column} collate "C")`;
const byBytes = (a: unknown, b: unknown) => Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
const byNumber = (a: unknown, b: unknown) => Number(a) - Number(b);
const byList = (list: readonly string[]) => (a: unknown, b: unknown) =>
  list.indexOf(String(a)) - list.indexOf(String(b));

const DIMENSIONS: Record<MessageStatsDimension, Dimension> = {
  STATUS: {
    alias: 'k_status',
    key: 'status',
    expression: () => sql`${messages.status}`,
    output: (c) => sql`${c}::text`,
    order: byList(MESSAGE_STATUSES),
  },
  CHANNEL: {
    alias: 'k_channel',
    key: 'channel',
    expression: () => sql`${messages.channel}`,
    output: (c) => sql`${c}::text`,
    order: byList(CHANNELS),
  },
  TEMPLATE: {
    alias: 'k_template',
    key: 'template',
    expression: () => bytewise(messages.templateName),
    output: asIs,
    order: byBytes,
  },
  PROVIDER: {
    alias: 'k_provider',
    key: 'provider',
    expression: () => bytewise(messages.provider),
    output: asIs,
    order: byBytes,
  },
  CAMPAIGN: {
    alias: 'k_campaign',
    key: 'campaign',
    expression: () => sql`${messages.campaignId}`,
    output: (c) => sql`${c}::text`,
    order: byBytes,
  },
  DAY: {
    alias: 'k_day',
    key: 'day',
    expression: () => sql`${messages.createdAt}::date`,
    output: (c) => sql`to_char(${c}, 'YYYY-MM-DD')`,
    order: byBytes,
  },
  HOUR_OF_DAY: {
    alias: 'k_hour',
    key: 'hourOfDay',
    expression: () => sql`date_part('hour', ${messages.createdAt})::int`,
    output: asIs,
    order: byNumber,
  },
  DAY_OF_WEEK: {
    alias: 'k_dow',
    key: 'dayOfWeek',
    expression: () => sql`date_part('isodow', ${messages.createdAt})::int`,
    output: asIs,
    order: byNumber,
  },
};

/** Statuses' column aliases in the answer (lower case, as SQL folds them). */
const countAlias = (status: MessageStatus) => `n_${status.toLowerCase()}`;

type FigureRow = Record<string, unknown> & {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  median_delivered: number | null;
  median_read: number | null;
  failure_codes: { code: string; count: number }[] | null;
};

/** The tenant's delivery figures for messages created in [from, to), one entry per group. */
export async function messageStats(
  db: Db,
  tenantId: string,
  filter: MessageStatsFilter,
  groupBy: readonly MessageStatsDimension[],
  options: MessageStatsOptions,
): Promise<MessageStats> {
  const { from, to } = windowOf(filter, options.now);
  const asked = checkGroupBy(groupBy);
  const timeZone = await canonicalTimeZone(db, options.timeZone);
  const where = conditions(tenantId, filter, from, to);
  // The statement's text depends only on which dimensions are asked for, written in one order,
  // and filters are parameters (see conditions): postgres.js prepares each distinct text on
  // each connection, so callers can make at most 256 of them. Groups are put in the order asked
  // for here, after the statement.
  const dimensions = MESSAGE_STATS_DIMENSIONS.filter((name) => groupBy.includes(name)).map((name) => DIMENSIONS[name]);

  const keys = dimensions.map((d) => sql.raw(d.alias));
  const list = (items: SQL[]) => sql.join(items, sql`, `);
  // The group keys followed by a comma, for select and group by lists (nothing without groupBy).
  const keysThen = dimensions.length ? sql`${list(keys)}, ` : sql``;
  const expressions = dimensions.map((d) => sql`${d.expression()} as ${sql.raw(d.alias)}`);
  const selectKeys = (rest: SQL) => (dimensions.length ? sql`${list(expressions)}, ${rest}` : rest);
  const grouped = dimensions.length ? sql`group by ${list(keys)}` : sql``;
  const failed = list(FAILED_STATUSES.map((s) => sql`${s}`));
  const answeredKeys = dimensions.map((d) => sql`${d.output(sql.raw(`figures.${d.alias}`))} as ${sql.raw(d.alias)}`);

  // Every figure of each group in one pass over the window's messages. The failure codes of a
  // group are gathered with its other figures (only failed messages add one) and counted per
  // group afterwards: counting them by a grouping of their own read the window a second time.
  const statement = sql`
    select ${dimensions.length ? sql`${list(answeredKeys)}, ` : sql``}
      figures.total, ${list(MESSAGE_STATUSES.map((s) => sql.raw(`figures.${countAlias(s)}`)))},
      figures.sent, figures.delivered, figures.read, figures.median_delivered, figures.median_read,
      (
        select json_agg(json_build_object('code', code, 'count', n) order by n desc, code)
        from (
          select code, count(*)::int as n from unnest(figures.codes) as code
          group by code order by n desc, code limit ${TOP_FAILURE_CODES}
        ) top
      ) as failure_codes
    from (
      select ${keysThen}
        count(*)::int as total,
        ${list(MESSAGE_STATUSES.map((s) => sql`count(*) filter (where status = ${s})::int as ${sql.raw(countAlias(s))}`))},
        count(sent_at)::int as sent,
        count(delivered_at)::int as delivered,
        count(read_at)::int as read,
        extract(epoch from percentile_cont(0.5) within group (order by delivered_at - sent_at))::float8 as median_delivered,
        extract(epoch from percentile_cont(0.5) within group (order by read_at - sent_at))::float8 as median_read,
        array_agg(code) filter (where code is not null) as codes
      from (
        select ${selectKeys(sql`${messages.status} as status, ${messages.sentAt} as sent_at, ${messages.deliveredAt} as delivered_at, ${messages.readAt} as read_at,
          case when ${messages.status} in (${failed}) then ${messages.lastErrorCode} end as code`)}
        from ${messages} where ${where}
      ) m
      ${grouped}
      limit ${MAX_GROUPS + 1}
    ) figures`;
  const result = await db.transaction(async (tx) => {
    // PostgreSQL compiles a statement this costly (JIT) on every run, about 380 ms here; what the
    // compiled aggregates save is less: interpreted, it ran 6% faster on 1,000,000 messages.
    await tx.execute(sql`set local jit = off`);
    // Planned with the values each time, so absent filters fold away and a campaign filter
    // still uses its index (a generic plan of the prepared statement would do neither).
    await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
    // The time zone the time dimensions are read in (see DIMENSIONS), for this transaction only.
    await tx.execute(sql`select set_config('timezone', ${timeZone}, true)`);
    return tx.execute(statement);
  });

  const rows = rowsOf<FigureRow>(result);
  if (rows.length > MAX_GROUPS) {
    throw new ValidationError(
      'groupBy',
      `the answer would have more than ${MAX_GROUPS} groups: group by fewer dimensions or narrow the filter`,
    );
  }
  rows.sort(inOrderOf(asked));
  return { from, to, timeZone, groupBy: [...groupBy], groups: rows.map((row) => groupOf(row, dimensions)) };
}

/** Groups ordered by the dimensions in the order asked for, each ascending, nulls last. */
function inOrderOf(dimensions: Dimension[]): (a: FigureRow, b: FigureRow) => number {
  return (a, b) => {
    for (const d of dimensions) {
      const [x, y] = [a[d.alias] ?? null, b[d.alias] ?? null];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const order = d.order(x, y);
      if (order !== 0) return order;
    }
    return 0;
  };
}

function groupOf(row: FigureRow, dimensions: Dimension[]): MessageStatsGroup {
  const key: Record<string, unknown> = {};
  for (const d of dimensions) key[d.key] = row[d.alias] ?? null;
  const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  return {
    key: key as MessageStatsKey,
    total: row.total,
    counts: Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, Number(row[countAlias(s)])])) as Record<
      MessageStatus,
      number
    >,
    sent: row.sent,
    delivered: row.delivered,
    read: row.read,
    deliveredRate: ratio(row.delivered, row.sent),
    readRate: ratio(row.read, row.delivered),
    failureCodes: row.failure_codes ?? [],
    medianSecondsToDelivered: row.median_delivered,
    medianSecondsToRead: row.median_read,
  };
}

const DAY_MS = 86_400_000;
/** No message is older; earlier instants (year 0 and before) are not even written the same way everywhere. */
const EARLIEST = Date.UTC(1970, 0, 1);

function windowOf(filter: MessageStatsFilter, now: Date): { from: Date; to: Date } {
  const to = filter.to ?? now;
  const from = filter.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime())
    throw new ValidationError('filter.to', 'filter.to must be later than filter.from');
  if (from.getTime() < EARLIEST) {
    throw new ValidationError(filter.from ? 'filter.from' : 'filter.to', 'the window must start in 1970 or later');
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new ValidationError(
      filter.from ? 'filter.from' : 'filter.to',
      `filter.from to filter.to may span at most ${MAX_RANGE_DAYS} days`,
    );
  }
  return { from, to };
}

function checkGroupBy(groupBy: readonly MessageStatsDimension[]): Dimension[] {
  const seen = new Set<MessageStatsDimension>();
  return groupBy.map((name, i) => {
    if (seen.has(name)) throw new ValidationError(`groupBy.${i}`, `groupBy.${i} repeats ${name}`);
    seen.add(name);
    return DIMENSIONS[name];
  });
}

function conditions(tenantId: string, filter: MessageStatsFilter, from: Date, to: Date): SQL {
  checkOptionalText('filter.template', filter.template);
  checkOptionalText('filter.tag', filter.tag);
  checkOptionalText('filter.provider', filter.provider);
  if (filter.campaign !== undefined && !isUuid(filter.campaign)) {
    throw new ValidationError('filter.campaign', 'filter.campaign is not a campaign id');
  }
  // An absent filter is a null parameter: "null is null or ..." folds to true when planned.
  const optional = (value: string | undefined, type: string, condition: (param: SQL) => SQL) => {
    const param = sql`${value ?? null}::${sql.raw(type)}`;
    return sql`(${param} is null or ${condition(param)})`;
  };
  return and(
    eq(messages.tenantId, tenantId),
    gte(messages.createdAt, from),
    lt(messages.createdAt, to),
    optional(filter.channel, 'channel', (p) => sql`${messages.channel} = ${p}`),
    optional(filter.campaign?.toLowerCase(), 'uuid', (p) => sql`${messages.campaignId} = ${p}`),
    optional(filter.template, 'text', (p) => sql`${messages.templateName} = ${p}`),
    optional(filter.tag, 'text', (p) => sql`${messages.tags} @> array[${p}]`),
    optional(filter.provider, 'text', (p) => sql`${messages.provider} = ${p}`),
  )!;
}

// The database's own list of zone names is the authority (the statement would fail on a name
// it does not know); it is read once per database and process.
const zoneNames = new WeakMap<Db, Promise<Map<string, string>>>();

async function canonicalTimeZone(db: Db, timeZone: string | undefined): Promise<string> {
  if (timeZone === undefined || timeZone === 'UTC') return 'UTC';
  checkOptionalText('timeZone', timeZone);
  let names = zoneNames.get(db);
  if (!names) {
    names = db
      .execute(sql`select name from pg_timezone_names`)
      .then((r) => new Map(rowsOf<{ name: string }>(r).map(({ name }) => [name.toLowerCase(), name])));
    zoneNames.set(db, names);
    names.catch(() => zoneNames.delete(db));
  }
  const name = (await names).get(timeZone.toLowerCase());
  if (!name) throw new ValidationError('timeZone', 'timeZone must be an IANA time zone name, such as Asia/Kolkata');
  return name;
}
