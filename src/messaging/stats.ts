import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import { ValidationError } from '../errors.js';
import { isUuid } from '../ids.js';
import { checkOptionalText } from '../validation/input.js';
import { CHANNELS, MESSAGE_STATUSES, type Channel, type MessageStatus } from '../vocabulary.js';

// Delivery analytics: how many of a tenant's messages reached each status, how fast, and why the
// others failed, grouped by what a team varies (template, provider, hour of sending...). Two SQL
// passes answer it from aggregates, in one snapshot: the counts by group, status and failure code
// (countStatement), read from the quarter-hour counts that triggers keep (message_counts), then
// the medians of the groups that have delivered messages (medianStatement), from the index of
// delivered messages. No message row is read into JavaScript. What one question may cost is
// bounded: a window of at most MAX_RANGE_DAYS and at most MAX_GROUPS groups.

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
  /**
   * The key of a message or a row of counts, by column name. Time dimensions read the instant
   * given (a message's created_at, or the start of its quarter hour), in the session's time zone.
   */
  expression: (createdAt: SQL) => SQL;
  /** The key as answered, from the grouped column. */
  output: (column: SQL) => SQL;
  /** The SQL type of the key column (how the medians' pass receives the keys it samples for). */
  type: string;
  /** Stands for a null key where keys are joined (never a real value: names are never empty). */
  absent?: string;
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
const bytewise = (column: string) => sql.raw(`(${column} collate "C")`);
const byBytes = (a: unknown, b: unknown) => Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
const byNumber = (a: unknown, b: unknown) => Number(a) - Number(b);
const byList = (list: readonly string[]) => (a: unknown, b: unknown) =>
  list.indexOf(String(a)) - list.indexOf(String(b));

const DIMENSIONS: Record<MessageStatsDimension, Dimension> = {
  STATUS: {
    alias: 'k_status',
    key: 'status',
    expression: () => sql`status`,
    output: (c) => sql`${c}::text`,
    type: 'message_status',
    order: byList(MESSAGE_STATUSES),
  },
  CHANNEL: {
    alias: 'k_channel',
    key: 'channel',
    expression: () => sql`channel`,
    output: (c) => sql`${c}::text`,
    type: 'channel',
    order: byList(CHANNELS),
  },
  TEMPLATE: {
    alias: 'k_template',
    key: 'template',
    expression: () => bytewise('template_name'),
    output: asIs,
    type: 'text',
    absent: `''`,
    order: byBytes,
  },
  PROVIDER: {
    alias: 'k_provider',
    key: 'provider',
    expression: () => bytewise('provider'),
    output: asIs,
    type: 'text',
    absent: `''`,
    order: byBytes,
  },
  CAMPAIGN: {
    alias: 'k_campaign',
    key: 'campaign',
    expression: () => sql`campaign_id`,
    output: (c) => sql`${c}::text`,
    type: 'uuid',
    absent: `'00000000-0000-0000-0000-000000000000'::uuid`,
    order: byBytes,
  },
  DAY: {
    alias: 'k_day',
    key: 'day',
    expression: (at) => sql`${at}::date`,
    output: (c) => sql`to_char(${c}, 'YYYY-MM-DD')`,
    type: 'date',
    order: byBytes,
  },
  HOUR_OF_DAY: {
    alias: 'k_hour',
    key: 'hourOfDay',
    expression: (at) => sql`date_part('hour', ${at})::int`,
    output: asIs,
    type: 'int',
    order: byNumber,
  },
  DAY_OF_WEEK: {
    alias: 'k_dow',
    key: 'dayOfWeek',
    expression: (at) => sql`date_part('isodow', ${at})::int`,
    output: asIs,
    type: 'int',
    order: byNumber,
  },
};

/**
 * A group's medians are exact up to this many delayed messages (delivered, or read); past it,
 * they are the medians of a uniform sample of about this many (see medianStatement).
 */
export const MEDIAN_SAMPLE = 4000;
/** Sample keys run over 0 .. SAMPLE_SPACE - 1 (two random bytes of the message's id). */
const SAMPLE_SPACE = 65_536;
const SAMPLE_KEY = sql.raw('((get_byte(uuid_send(id), 14) << 8) | get_byte(uuid_send(id), 15))');
const DAY_OF = sql.raw(`date_bin('1 day', created_at, '2000-01-01T00:00:00Z'::timestamptz)`);

/** One group of the counting pass: its keys as answered, and its messages by status and failure code. */
type CountRow = Record<string, unknown> & {
  /** [status, failure code or null, messages, sent, delivered, read] per status and code. */
  parts: [MessageStatus, string | null, number, number, number, number][] | null;
};
type MedianRow = Record<string, unknown> & { median_delivered: number | null; median_read: number | null };

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
  const scope: Scope = { tenantId, from, to, filters: filtersOf(filter) };
  // Statement texts depend only on which dimensions are asked for, written in one order, and
  // filters are parameters (see filtersOf): postgres.js prepares each distinct text on each
  // connection, so callers can make at most 256 of them. Groups are put in the order asked for
  // here, after the statements.
  const dimensions = MESSAGE_STATS_DIMENSIONS.filter((name) => groupBy.includes(name)).map((name) => DIMENSIONS[name]);

  const groups = await db.transaction(
    async (tx) => {
      // PostgreSQL compiles statements this costly (JIT) on every run, about 380 ms here; what the
      // compiled aggregates save is less.
      await tx.execute(sql`set local jit = off`);
      // Planned with the values each time, so absent filters fold away and a campaign filter
      // still uses its index (a generic plan of the prepared statement would do neither).
      await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
      // The counting pass hashes up to a few hundred thousand rows of counts; with the default
      // 4 MB PostgreSQL would sort them instead.
      await tx.execute(sql`set local work_mem = '32MB'`);
      // The time zone the time dimensions are read in (see DIMENSIONS), for this transaction only.
      await tx.execute(sql`select set_config('timezone', ${timeZone}, true)`);

      // Starting parallel workers took longer here (50-80 ms) than either pass in one process.
      await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
      const counted = rowsOf<CountRow>(await tx.execute(countStatement(dimensions, scope)));
      if (counted.length > MAX_GROUPS) {
        throw new ValidationError(
          'groupBy',
          `the answer would have more than ${MAX_GROUPS} groups: group by fewer dimensions or narrow the filter`,
        );
      }
      const figures = counted.map((row) => ({ row, group: groupOf(row, dimensions) }));
      const delayed = figures.filter((f) => f.group.delivered > 0);
      if (delayed.length > 0) {
        const medians = rowsOf<MedianRow>(await tx.execute(medianStatement(dimensions, scope, delayed)));
        const byKey = new Map(medians.map((m) => [keyString(m, dimensions), m]));
        for (const f of delayed) {
          const m = byKey.get(keyString(f.row, dimensions));
          f.group.medianSecondsToDelivered = m?.median_delivered ?? null;
          f.group.medianSecondsToRead = m?.median_read ?? null;
        }
      }
      return figures;
    },
    // Both passes read the same snapshot, so the medians are of the messages counted.
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );

  groups.sort(inOrderOf(asked));
  return { from, to, timeZone, groupBy: [...groupBy], groups: groups.map((f) => f.group) };
}

/** The tenant and window asked about, and the filters on what groups are made of. */
type Scope = {
  tenantId: string;
  from: Date;
  to: Date;
  /** Conditions on columns that message_counts, its changes and messages name alike. */
  filters: SQL;
};

const QUARTER_MS = 15 * 60_000;
// As the triggers of migration 0016 write them.
const FAILED_LIST = sql.raw(FAILED_STATUSES.map((s) => `'${s}'`).join(', '));
const QUARTER_OF = sql.raw(`date_bin('15 minutes', created_at, '2000-01-01T00:00:00Z'::timestamptz)`);

/**
 * The counting pass: the window's whole quarter hours from message_counts and the changes not
 * yet folded into it (a few hundred thousand rows for a million messages), the parts of a
 * quarter hour at either end from the messages themselves (found by the tenant's time index);
 * one hashed sum by group, status and failure code, then one row per group.
 *
 * Time dimensions read the quarter hour of each row of counts in the time zone (every zone's day
 * and hour starts on one).
 */
function countStatement(dimensions: Dimension[], scope: Scope): SQL {
  const list = (items: SQL[]) => sql.join(items, sql`, `);
  const aliases = dimensions.map((d) => sql.raw(d.alias));
  const { tenantId, filters } = scope;

  const [from, to] = [scope.from.getTime(), scope.to.getTime()];
  const [firstWhole, endWhole] = [Math.ceil(from / QUARTER_MS) * QUARTER_MS, Math.floor(to / QUARTER_MS) * QUARTER_MS];
  // Whole quarter hours come from the counts, the rest of the window from the messages: a part
  // of a quarter hour at either end, or all of a window that holds no whole one.
  type Range = readonly [number, number];
  const hasWhole = firstWhole < endWhole;
  const whole: Range = hasWhole ? [firstWhole, endWhole] : [from, from];
  const head: Range = hasWhole ? [from, firstWhole] : [from, to];
  const tail: Range = hasWhole ? [endWhole, to] : [to, to];
  const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const counts = (table: string) => sql`
    select quarter, channel, template_name, provider, campaign_id, status, failure_code as code,
      messages as n, sent, delivered, read
    from ${sql.raw(table)}
    where tenant_id = ${tenantId} and quarter >= ${at(whole[0])} and quarter < ${at(whole[1])} and ${filters}`;
  const edgeMessages = sql`
    select ${QUARTER_OF} as quarter, channel, template_name, provider, campaign_id, status,
      case when status in (${FAILED_LIST}) then last_error_code end as code,
      1 as n, (sent_at is not null)::int as sent, (delivered_at is not null)::int as delivered,
      (read_at is not null)::int as read
    from messages
    where tenant_id = ${tenantId} and ${filters}
      and (created_at >= ${at(head[0])} and created_at < ${at(head[1])}
        or created_at >= ${at(tail[0])} and created_at < ${at(tail[1])})`;
  const rows = sql`${counts('message_counts')} union all ${counts('message_count_changes')} union all ${edgeMessages}`;

  const sums = sql`sum(n)::int as n, sum(sent)::int as sent, sum(delivered)::int as delivered, sum(read)::int as read`;
  const groupList = (keys: SQL[], rest: SQL) => (keys.length ? sql`${list(keys)}, ${rest}` : rest);
  const keys = dimensions.map((d) => sql`${d.expression(sql`quarter`)} as ${sql.raw(d.alias)}`);
  const perStatus = sql`
    select ${groupList(keys, sql`status, code`)}, ${sums}
    from (${rows}) counted
    group by ${groupList(aliases, sql`status, code`)}
    having sum(n) <> 0`;
  const answered = dimensions.map((d) => sql`${d.output(sql.raw(d.alias))} as ${sql.raw(d.alias)}`);
  return sql`
    select ${groupList(answered, sql`json_agg(json_build_array(status, code, n, sent, delivered, read)) as parts`)}
    from (${perStatus}) per_status
    ${dimensions.length ? sql`group by ${list(aliases)}` : sql``}
    limit ${MAX_GROUPS + 1}`;
}

/**
 * The medians' pass, over the delivered messages of the groups that have some. A group with at
 * most MEDIAN_SAMPLE delivered (read) messages has the exact median of them all. A larger one
 * has the median of those whose sample key (two random bytes of their id) falls under a
 * threshold chosen for about MEDIAN_SAMPLE of them: a uniform sample whose median lies within
 * about 1.6% of the group, in rank, 19 times out of 20.
 *
 * The messages are read from the index of delivered messages by tenant, UTC day, read or not,
 * and sample key (messages_delay_sample_idx, migration 0016), not from the table once vacuumed:
 * on each day, the range of sample keys that the groups whose messages may lie on it need (all
 * of them for a group read whole). With DAY asked for, a group's messages lie on the UTC days around its date;
 * otherwise on any day of the window.
 */
function medianStatement(
  dimensions: Dimension[],
  scope: Scope,
  groups: { group: MessageStatsGroup; row: CountRow }[],
): SQL {
  const threshold = (n: number) => (n <= MEDIAN_SAMPLE ? SAMPLE_SPACE : Math.ceil((SAMPLE_SPACE * MEDIAN_SAMPLE) / n));
  const list = (items: SQL[]) => sql.join(items, sql`, `);
  // The outer statement reads the columns of `m` below by name.
  const median = (at: 'delivered_at' | 'read_at', filter: string) =>
    sql.raw(
      `extract(epoch from percentile_cont(0.5) within group (order by ${at} - sent_at) filter (where ${filter}))::float8`,
    );
  const aliases = dimensions.map((d) => sql.raw(`m.${d.alias}`));
  const answered = dimensions.map((d) => sql`${d.output(sql.raw(`m.${d.alias}`))} as ${sql.raw(d.alias)}`);
  const keys = dimensions.map((d) => sql`${d.expression(sql`created_at`)} as ${sql.raw(d.alias)}`);

  // Each group's thresholds, joined to its messages by key (null keys stand as `absent`, so the
  // join can hash).
  const standIn = (d: Dimension, column: SQL) => (d.absent ? sql`coalesce(${column}, ${sql.raw(d.absent)})` : column);
  const thresholds = groups.map((g) => {
    const t: Record<string, unknown> & { d_thr: number; r_thr: number } = {
      d_thr: threshold(g.group.delivered),
      r_thr: g.group.read > 0 ? threshold(g.group.read) : 0,
    };
    for (const d of dimensions) t[d.alias] = g.row[d.alias] ?? null;
    return t;
  });
  const columns = list([
    ...dimensions.map((d) => sql.raw(`${d.alias} ${d.type}`)),
    sql.raw('d_thr int'),
    sql.raw('r_thr int'),
  ]);
  const on = dimensions.length
    ? sql.join(
        dimensions.map((d) => sql`${standIn(d, sql.raw(`m.${d.alias}`))} = ${standIn(d, sql.raw(`t.${d.alias}`))}`),
        sql` and `,
      )
    : sql`true`;

  // The sample keys each UTC day of the window needs read, unread and read messages apart: the
  // highest thresholds of the groups whose messages may lie on it.
  const below = new Map<number, { day: string; unread: number; read: number }>();
  const dayKey = dimensions.find((d) => d.key === 'day');
  for (const t of thresholds) {
    // A zone is at most 14 hours off UTC: a date's messages lie on its UTC day or one either side.
    const date = dayKey ? Date.parse(`${t[dayKey.alias] as string}T00:00:00Z`) : undefined;
    const first = Math.max(Math.floor(scope.from.getTime() / DAY_MS) * DAY_MS, date === undefined ? 0 : date - DAY_MS);
    const end = Math.min(scope.to.getTime(), date === undefined ? Number.POSITIVE_INFINITY : date + 2 * DAY_MS);
    for (let day = first; day < end; day += DAY_MS) {
      const b = below.get(day) ?? { day: new Date(day).toISOString(), unread: 0, read: 0 };
      b.unread = Math.max(b.unread, t.d_thr);
      b.read = Math.max(b.read, t.d_thr, t.r_thr);
      below.set(day, b);
    }
  }
  // Written as the index is (migration 0016), or PostgreSQL does not match it.
  const rows = (read: boolean) => sql`
    select ${keys.length ? sql`${list(keys)}, ` : sql``}sent_at, delivered_at, read_at, ${SAMPLE_KEY} as s
    from messages
    where tenant_id = ${scope.tenantId} and delivered_at is not null and ${DAY_OF} = d.day
      and (read_at is not null)::int = ${sql.raw(read ? '1' : '0')} and ${SAMPLE_KEY} < d.${sql.raw(read ? 'read' : 'unread')}
      and created_at >= ${scope.from.toISOString()}::timestamptz and created_at < ${scope.to.toISOString()}::timestamptz
      and ${scope.filters}`;
  return sql`
    select ${answered.length ? sql`${list(answered)}, ` : sql``}
      ${median('delivered_at', 's < d_thr')} as median_delivered,
      ${median('read_at', 'read_at is not null and s < r_thr')} as median_read
    from json_to_recordset(${JSON.stringify([...below.values()])}::json) as d(day timestamptz, unread int, read int)
    cross join lateral (${rows(false)} union all ${rows(true)}) m
    join json_to_recordset(${JSON.stringify(thresholds)}::json) as t(${columns}) on ${on}
    where s < d_thr or (read_at is not null and s < r_thr)
    ${dimensions.length ? sql`group by ${list(aliases)}` : sql``}`;
}

/** A group's keys as one string, to pair the two passes' rows. */
function keyString(row: Record<string, unknown>, dimensions: Dimension[]): string {
  return JSON.stringify(dimensions.map((d) => row[d.alias] ?? null));
}

/** Groups ordered by the dimensions in the order asked for, each ascending, nulls last. */
function inOrderOf(dimensions: Dimension[]): (a: { row: CountRow }, b: { row: CountRow }) => number {
  return (a, b) => {
    for (const d of dimensions) {
      const [x, y] = [a.row[d.alias] ?? null, b.row[d.alias] ?? null];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const order = d.order(x, y);
      if (order !== 0) return order;
    }
    return 0;
  };
}

function groupOf(row: CountRow, dimensions: Dimension[]): MessageStatsGroup {
  const key: Record<string, unknown> = {};
  for (const d of dimensions) key[d.key] = row[d.alias] ?? null;
  const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<MessageStatus, number>;
  const codes = new Map<string, number>();
  let [total, sent, delivered, read] = [0, 0, 0, 0];
  // Without groupBy the one row comes even for no messages, with no parts.
  for (const [status, code, n, s, d, r] of row.parts ?? []) {
    counts[status] += n;
    total += n;
    sent += s;
    delivered += d;
    read += r;
    if (code !== null) codes.set(code, (codes.get(code) ?? 0) + n);
  }
  const failureCodes = [...codes]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || byBytes(a.code, b.code))
    .slice(0, TOP_FAILURE_CODES);
  const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  return {
    key: key as MessageStatsKey,
    total,
    counts,
    sent,
    delivered,
    read,
    deliveredRate: ratio(delivered, sent),
    readRate: ratio(read, delivered),
    failureCodes,
    medianSecondsToDelivered: null,
    medianSecondsToRead: null,
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

/** The filters other than the window, on columns that every source of figures names alike. */
function filtersOf(filter: MessageStatsFilter): SQL {
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
  return sql.join(
    [
      optional(filter.channel, 'channel', (p) => sql`channel = ${p}`),
      optional(filter.campaign?.toLowerCase(), 'uuid', (p) => sql`campaign_id = ${p}`),
      optional(filter.template, 'text', (p) => sql`template_name = ${p}`),
      optional(filter.tag, 'text', (p) => sql`tags @> array[${p}]`),
      optional(filter.provider, 'text', (p) => sql`provider = ${p}`),
    ],
    sql` and `,
  );
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
