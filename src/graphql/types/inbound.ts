import type { InboundMessageRow } from '../../db/schema.js';
import { listInbound } from '../../messaging/inbound.js';
import { builder } from '../builder.js';

const InboundMessageRef = builder.objectRef<InboundMessageRow>('InboundMessage').implement({
  description: 'A message a user sent to one of your numbers (a reply, "STOP", a button tap).',
  fields: (t) => ({
    id: t.exposeID('id'),
    provider: t.exposeString('provider'),
    providerMessageId: t.exposeString('providerMessageId'),
    from: t.exposeString('sender'),
    to: t.exposeString('recipient', { nullable: true }),
    kind: t.exposeString('kind'),
    text: t.exposeString('text', { nullable: true }),
    payload: t.exposeString('payload', { nullable: true }),
    inReplyToMessageId: t.exposeString('inReplyToMessageId', { nullable: true }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

builder.queryField('inboundMessages', (t) =>
  t.field({
    type: [InboundMessageRef],
    authScopes: { read: true },
    description: 'What users sent to your numbers, newest first (at most 200).',
    args: { first: t.arg.int({ defaultValue: 50 }) },
    resolve: (_root, { first }, ctx) =>
      listInbound(ctx.services.db, ctx.principal.tenantId, Math.min(Math.max(first ?? 50, 0), 200)),
  }),
);
