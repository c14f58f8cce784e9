import { NotFoundError } from '../../errors.js';
import type { StatusChange } from '../../messaging/status-updates.js';
import { getEvents, getMessages } from '../../messaging/queries.js';
import { builder } from '../builder.js';
import { ChannelEnum, MessageRef, MessageStatusEnum, messageIdFrom } from './message.js';

// Live status changes over graphql-ws and SSE. Every stream is scoped to the caller's tenant
// before any filter runs; the hub bounds each subscriber's queue (see pubsub/status-hub.ts).

const MessageStatusEventRef = builder.objectRef<StatusChange>('MessageStatusEvent').implement({
  description: 'A committed status change of a message.',
  fields: (t) => ({
    messageId: t.exposeString('messageId'),
    message: t.field({
      type: MessageRef,
      nullable: true,
      description: 'The message as it is now (one query per event; select only what you need).',
      resolve: (c) => c.messageId,
    }),
    channel: t.expose('channel', { type: ChannelEnum }),
    to: t.exposeString('recipient'),
    externalRef: t.exposeString('externalRef', { nullable: true }),
    tags: t.exposeStringList('tags'),
    status: t.expose('status', { type: MessageStatusEnum }),
    previousStatus: t.expose('previousStatus', { type: MessageStatusEnum, nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    reportedAt: t.expose('reportedAt', { type: 'DateTime', nullable: true }),
  }),
});

const MessageEventFilter = builder.inputType('MessageEventFilter', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum }),
    status: t.field({ type: MessageStatusEnum }),
    tag: t.string(),
    externalRef: t.string(),
  }),
});

const changeKey = (c: Pick<StatusChange, 'status' | 'previousStatus' | 'occurredAt'>) =>
  `${c.previousStatus}>${c.status}@${c.occurredAt.getTime()}`;

builder.subscriptionFields((t) => ({
  messageStatusChanged: t.field({
    type: MessageStatusEventRef,
    authScopes: { read: true },
    description:
      "One message's status history, then its changes as they happen, in order and each once. Subscribing late loses nothing.",
    args: { id: t.arg.id({ required: true, description: 'Global id or plain message id.' }) },
    subscribe: async function* (_root, { id }, ctx) {
      const { db, statusHub } = ctx.services;
      const tenantId = ctx.principal.tenantId;
      const messageId = messageIdFrom(id);
      // Listen first, then read the history: a change committed in between is in one or both.
      const live = statusHub.subscribe(tenantId, (c) => c.messageId === messageId);
      try {
        const [message] = messageId ? await getMessages(db, tenantId, [messageId]) : [];
        if (!message) throw new NotFoundError('Message', id);
        const [history] = await getEvents(db, tenantId, [message.id]);
        const seen = new Set<string>();
        for (const e of history ?? []) {
          if (e.kind !== 'status' || !e.status) continue;
          const change: StatusChange = {
            messageId: message.id,
            tenantId,
            channel: message.channel,
            recipient: message.recipient,
            externalRef: message.externalRef,
            tags: message.tags,
            status: e.status,
            previousStatus: e.previousStatus,
            errorCode: e.errorCode,
            errorMessage: e.errorMessage,
            occurredAt: e.occurredAt,
            reportedAt: e.reportedAt,
          };
          seen.add(changeKey(change));
          yield change;
        }
        for await (const change of live) if (!seen.has(changeKey(change))) yield change;
      } finally {
        live.close();
      }
    },
    resolve: (change: StatusChange) => change,
  }),
  messageEvents: t.field({
    type: MessageStatusEventRef,
    authScopes: { read: true },
    description: "Status changes of the tenant's messages as they happen, optionally filtered.",
    args: { filter: t.arg({ type: MessageEventFilter }) },
    subscribe: async function* (_root, { filter }, ctx) {
      const f = filter ?? {};
      const live = ctx.services.statusHub.subscribe(
        ctx.principal.tenantId,
        (c) =>
          (!f.channel || c.channel === f.channel) &&
          (!f.status || c.status === f.status) &&
          (!f.tag || c.tags.includes(f.tag)) &&
          (!f.externalRef || c.externalRef === f.externalRef),
      );
      try {
        yield* live;
      } finally {
        live.close();
      }
    },
    resolve: (change: StatusChange) => change,
  }),
}));
