import { ValidationError } from '../../errors.js';
import {
  MAX_GROUPS,
  MAX_RANGE_DAYS,
  MEDIAN_SAMPLE,
  DEFAULT_RANGE_DAYS,
  MESSAGE_STATS_DIMENSIONS,
  messageStats,
  TOP_FAILURE_CODES,
  type MessageStats,
  type MessageStatsGroup,
  type MessageStatsKey,
} from '../../messaging/stats.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../../vocabulary.js';
import { builder } from '../builder.js';
import { plainIdOf } from '../global-ids.js';
import { ChannelEnum, MessageStatusEnum } from './message.js';

// Delivery analytics (messaging/stats.ts does the work): the query's input, its typed answer, and
// nothing else.

const MessageStatsDimensionEnum = builder.enumType('MessageStatsDimension', {
  description:
    'What messageStats can group by. DAY, HOUR_OF_DAY and DAY_OF_WEEK read createdAt in the timeZone asked for.',
  values: MESSAGE_STATS_DIMENSIONS,
});

const MessageStatsFilterInput = builder.inputType('MessageStatsFilter', {
  fields: (t) => ({
    from: t.field({
      type: 'DateTime',
      description: `Messages created at or after this instant (1970 or later); default ${DEFAULT_RANGE_DAYS} days before \`to\`.`,
    }),
    to: t.field({
      type: 'DateTime',
      description: `Messages created before this instant; default now. At most ${MAX_RANGE_DAYS} days after \`from\`.`,
    }),
    channel: t.field({ type: ChannelEnum }),
    campaign: t.id({ description: "A campaign's id (global or plain)." }),
    template: t.string({ description: 'A template name (WhatsApp sends).' }),
    tag: t.string(),
    provider: t.string({ description: 'A provider name as messages show it, e.g. twilio.' }),
  }),
});

const MessageStatsKeyRef = builder.objectRef<MessageStatsKey>('MessageStatsKey').implement({
  description:
    "A group's value of each dimension it was grouped by. A field is null when the query did not group by it, " +
    'and for TEMPLATE, PROVIDER and CAMPAIGN also when the messages have none.',
  fields: (t) => ({
    status: t.field({ type: MessageStatusEnum, nullable: true, resolve: (k) => k.status ?? null }),
    channel: t.field({ type: ChannelEnum, nullable: true, resolve: (k) => k.channel ?? null }),
    template: t.string({ nullable: true, resolve: (k) => k.template ?? null }),
    provider: t.string({ nullable: true, resolve: (k) => k.provider ?? null }),
    campaignId: t.string({ nullable: true, resolve: (k) => k.campaign ?? null }),
    day: t.string({ nullable: true, description: 'YYYY-MM-DD in the time zone.', resolve: (k) => k.day ?? null }),
    hourOfDay: t.int({ nullable: true, description: '0-23 in the time zone.', resolve: (k) => k.hourOfDay ?? null }),
    dayOfWeek: t.int({
      nullable: true,
      description: 'ISO 8601: 1 = Monday ... 7 = Sunday, in the time zone.',
      resolve: (k) => k.dayOfWeek ?? null,
    }),
  }),
});

const MessageStatsCountsRef = builder.objectRef<Record<MessageStatus, number>>('MessageStatsCounts').implement({
  description: 'How many of the messages are in each status now.',
  fields: (t) =>
    Object.fromEntries(
      MESSAGE_STATUSES.map((s) => [s.toLowerCase(), t.int({ resolve: (counts) => counts[s] })]),
    ) as Record<string, ReturnType<typeof t.int>>,
});

const FailureCodeCountRef = builder.objectRef<{ code: string; count: number }>('FailureCodeCount').implement({
  fields: (t) => ({ code: t.exposeString('code'), count: t.exposeInt('count') }),
});

const MessageStatsGroupRef = builder.objectRef<MessageStatsGroup>('MessageStatsGroup').implement({
  description: 'The figures of the messages sharing one key.',
  fields: (t) => ({
    key: t.field({ type: MessageStatsKeyRef, resolve: (g) => g.key }),
    total: t.exposeInt('total'),
    counts: t.field({ type: MessageStatsCountsRef, resolve: (g) => g.counts }),
    sent: t.exposeInt('sent', {
      description:
        'Messages that left Herald: a provider accepted them (they reached SENT), whatever happened next ' +
        '(SENT, DELIVERED, READ, UNDELIVERED, or FAILED after sending). Messages refused before any provider ' +
        'accepted them, expired, canceled or still waiting are not counted.',
    }),
    delivered: t.exposeInt('delivered', { description: 'Messages that reached DELIVERED (a READ one did too).' }),
    read: t.exposeInt('read', { description: 'Messages that reached READ.' }),
    deliveredRate: t.exposeFloat('deliveredRate', {
      nullable: true,
      description: 'delivered / sent, from 0 to 1; null when none was sent.',
    }),
    readRate: t.exposeFloat('readRate', {
      nullable: true,
      description:
        'read / delivered, from 0 to 1; null when none was delivered. Channels without read reports (SMS, most email) stay at 0.',
    }),
    failureCodes: t.field({
      type: [FailureCodeCountRef],
      description: `The ${TOP_FAILURE_CODES} most frequent lastError codes of the messages that failed (FAILED, UNDELIVERED, EXPIRED), most frequent first.`,
      resolve: (g) => g.failureCodes,
    }),
    medianSecondsToDelivered: t.exposeFloat('medianSecondsToDelivered', {
      nullable: true,
      description: `Median time from SENT to DELIVERED of the messages delivered, in seconds; null when none. Exact up to ${MEDIAN_SAMPLE} delivered messages in the group; past that, the median of a uniform sample of about ${MEDIAN_SAMPLE} of them (within about 1.6% of the group in rank, 19 times out of 20).`,
    }),
    medianSecondsToRead: t.exposeFloat('medianSecondsToRead', {
      nullable: true,
      description: `Median time from SENT to READ of the messages read, in seconds; null when none. Exact or sampled as medianSecondsToDelivered, counting the messages read.`,
    }),
  }),
});

const MessageStatsRef = builder.objectRef<MessageStats>('MessageStats').implement({
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    timeZone: t.exposeString('timeZone'),
    groupBy: t.field({ type: [MessageStatsDimensionEnum], resolve: (s) => s.groupBy }),
    groups: t.field({
      type: [MessageStatsGroupRef],
      description: `In the order of the groupBy dimensions, each ascending (names in byte order, statuses and channels in the order of their enums, nulls last). Without groupBy, one group of all the messages.`,
      resolve: (s) => s.groups,
    }),
  }),
});

builder.queryField('messageStats', (t) =>
  t.field({
    type: MessageStatsRef,
    authScopes: { read: true },
    errors: { types: [ValidationError] },
    description:
      'Delivery analytics of your messages created in [from, to): counts per status, delivered and read rates, ' +
      `failure codes and median times, per group. At most ${MAX_RANGE_DAYS} days and ${MAX_GROUPS} groups; ` +
      'beyond that a ValidationError names the field to narrow.',
    args: {
      filter: t.arg({ type: MessageStatsFilterInput }),
      groupBy: t.arg({ type: [MessageStatsDimensionEnum], description: 'Each dimension once; none: one group.' }),
      timeZone: t.arg.string({ description: 'IANA name (e.g. Asia/Kolkata) for the time dimensions; default UTC.' }),
    },
    resolve: (_root, args, ctx) => {
      const f = args.filter ?? {};
      return messageStats(
        ctx.services.db,
        ctx.principal.tenantId,
        {
          from: f.from ?? undefined,
          to: f.to ?? undefined,
          channel: f.channel ?? undefined,
          campaign: f.campaign == null ? undefined : plainIdOf('Campaign', f.campaign),
          template: f.template ?? undefined,
          tag: f.tag ?? undefined,
          provider: f.provider ?? undefined,
        },
        args.groupBy ?? [],
        { timeZone: args.timeZone ?? undefined, now: ctx.services.now() },
      );
    },
  }),
);
