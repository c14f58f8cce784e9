import { deliveryHealth, stuckMessages, type DeliveryHealth } from '../../delivery/health.js';
import { builder } from '../builder.js';
import { MessageRef } from './message.js';

const DeliveryHealthRef = builder.objectRef<DeliveryHealth & { tenantId: string }>('DeliveryHealth').implement({
  description: "The caller's queue at a glance: what waits and what is stuck.",
  fields: (t) => ({
    queued: t.exposeInt('queued'),
    scheduled: t.exposeInt('scheduled'),
    sending: t.exposeInt('sending'),
    stuckSending: t.exposeInt('stuckSending', {
      description: 'SENDING past the lease: the worker vanished; it will be queued again.',
    }),
    stuckSent: t.exposeInt('stuckSent', {
      description:
        'SENT without a delivery report for longer than HERALD_STUCK_SENT_AFTER_MS, through a provider that reports delivery (SMTP does not: an email ends SENT).',
    }),
    oldestDueAt: t.expose('oldestDueAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the longest-waiting due message became due (how far dispatch lags).',
    }),
    stuckMessages: t.field({
      type: [MessageRef],
      description: 'Stuck messages, longest stuck first (at most 100).',
      args: { first: t.arg.int({ defaultValue: 20 }) },
      resolve: (h, { first }, ctx) =>
        stuckMessages(
          ctx.services.db,
          h.tenantId,
          ctx.services.now(),
          ctx.services.stuckSentAfterMs,
          Math.min(Math.max(first ?? 20, 0), 100),
        ),
    }),
  }),
});

builder.queryField('deliveryHealth', (t) =>
  t.field({
    type: DeliveryHealthRef,
    authScopes: { read: true },
    resolve: async (_root, _args, ctx) => ({
      tenantId: ctx.principal.tenantId,
      ...(await deliveryHealth(
        ctx.services.db,
        ctx.principal.tenantId,
        ctx.services.now(),
        ctx.services.stuckSentAfterMs,
      )),
    }),
  }),
);
