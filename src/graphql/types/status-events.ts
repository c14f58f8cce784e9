import { NotFoundError } from '../../errors.js';
import { statusChange, type StatusChange } from '../../messaging/status-updates.js';
import { getEvents, getMessages } from '../../messaging/queries.js';
import { isFinal } from '../../messaging/status-machine.js';
import type { EventFilter, StatusStream } from '../../pubsub/status-hub.js';
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

/**
 * Unsubscribing (graphql-ws complete, socket closed, SSE request gone) calls return() on the
 * stream. A generator parked in `await live.next()` would only run its `finally` after the next
 * matching event, which for a finished message never comes: close the hub stream first, which
 * ends that wait and detaches the subscriber at once.
 */
function detachOnReturn<T>(live: StatusStream, stream: AsyncGenerator<T>): AsyncIterableIterator<T> {
  return {
    next: () => stream.next(),
    return: async () => {
      live.close();
      return stream.return(undefined);
    },
    throw: (err: unknown) => {
      live.close();
      return stream.throw(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

builder.subscriptionFields((t) => ({
  messageStatusChanged: t.field({
    type: MessageStatusEventRef,
    authScopes: { read: true },
    description:
      "One message's status history, then its changes as they happen, in order and each once. Subscribing late loses nothing. " +
      'Completes after a final status (READ, FAILED, UNDELIVERED, EXPIRED, CANCELED), at once when the message is already there; ' +
      'should a FAILED message be retried (or a late DELIVERED report outrank a failure), subscribe again.',
    args: { id: t.arg.id({ required: true, description: 'Global id or plain message id.' }) },
    subscribe: (_root, { id }, ctx) => {
      const { db, statusHub } = ctx.services;
      const tenantId = ctx.principal.tenantId;
      const messageId = messageIdFrom(id);
      // Listen first, then read the history: a change committed in between is in one or both.
      const live = statusHub.subscribe(tenantId, { messageId: messageId ?? '' });
      async function* replayThenLive(): AsyncGenerator<StatusChange> {
        try {
          const [message] = messageId ? await getMessages(db, tenantId, [messageId]) : [];
          if (!message) throw new NotFoundError('Message', id);
          const [history] = await getEvents(db, tenantId, [message.id]);
          const seen = new Set<string>();
          let last: StatusChange['status'] | undefined;
          for (const e of history ?? []) {
            if (e.kind !== 'status' || !e.status) continue;
            const change = statusChange(message, {
              status: e.status,
              previousStatus: e.previousStatus,
              errorCode: e.errorCode,
              errorMessage: e.errorMessage,
              occurredAt: e.occurredAt,
              reportedAt: e.reportedAt,
            });
            seen.add(changeKey(change));
            last = change.status;
            yield change;
          }
          // Complete once a final status was sent (isFinal): nothing more is expected. Should a
          // FAILED message be queued again (retryMessage) or a late DELIVERED report outrank a
          // failure, subscribe again: the replay shows the whole story.
          if (last && isFinal(last)) return;
          for await (const change of live) {
            if (seen.has(changeKey(change))) continue;
            yield change;
            if (isFinal(change.status)) return;
          }
        } finally {
          live.close();
        }
      }
      return detachOnReturn(live, replayThenLive());
    },
    resolve: (change: StatusChange) => change,
  }),
  messageEvents: t.field({
    type: MessageStatusEventRef,
    authScopes: { read: true },
    description: "Status changes of the tenant's messages as they happen, optionally filtered.",
    // Subscribers of the same document and variables share one execution (graphql/live/).
    extensions: { live: 'shared' },
    args: { filter: t.arg({ type: MessageEventFilter }) },
    subscribe: (_root, { filter }, ctx) => {
      // Null and absent keys are the same filter (one index bucket, one predicate).
      const f: EventFilter = {};
      if (filter?.channel) f.channel = filter.channel;
      if (filter?.status) f.status = filter.status;
      if (filter?.tag != null) f.tag = filter.tag;
      if (filter?.externalRef != null) f.externalRef = filter.externalRef;
      const live = ctx.services.statusHub.subscribe(ctx.principal.tenantId, { filter: f });
      // The hub's stream detaches on return() itself (no generator in between to park).
      return live;
    },
    resolve: (change: StatusChange) => change,
  }),
}));
