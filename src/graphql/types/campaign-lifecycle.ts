import { cancelCampaign, pauseCampaign, resumeCampaign, startCampaign } from '../../campaigns/lifecycle.js';
import { type CampaignProgress, watchProgress } from '../../campaigns/progress.js';
import { CampaignStateError, NotFoundError, ValidationError } from '../../errors.js';
import type { CampaignStatus } from '../../vocabulary.js';
import { builder } from '../builder.js';
import { CampaignCountersRef, CampaignRef, CampaignStatusEnum, campaignIdFrom } from './campaign.js';

// A campaign's lifecycle (start, pause, resume, cancel) and its live progress; campaigns/ does
// the work (lifecycle.ts, progress.ts), the release loop runs beside the dispatcher.

builder.mutationFields((t) => ({
  startCampaign: t.field({
    type: CampaignRef,
    authScopes: { send: true },
    description:
      'Starts a DRAFT campaign: RUNNING (its messages are released at its pace), or SCHEDULED until its sendAt when that lies ahead.',
    errors: { types: [NotFoundError, CampaignStateError, ValidationError] },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain campaign id.' }) },
    resolve: (_root, { id }, ctx) =>
      startCampaign(ctx.services.campaigns, ctx.principal.tenantId, campaignIdFrom(id) ?? id),
  }),
  pauseCampaign: t.field({
    type: CampaignRef,
    authScopes: { send: true },
    description:
      'Pauses a RUNNING or SCHEDULED campaign: no new message goes to a provider from now (sends in flight finish).',
    errors: { types: [NotFoundError, CampaignStateError] },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain campaign id.' }) },
    resolve: (_root, { id }, ctx) =>
      pauseCampaign(ctx.services.campaigns, ctx.principal.tenantId, campaignIdFrom(id) ?? id),
  }),
  resumeCampaign: t.field({
    type: CampaignRef,
    authScopes: { send: true },
    description: 'Resumes a PAUSED campaign (SCHEDULED again if its sendAt still lies ahead).',
    errors: { types: [NotFoundError, CampaignStateError] },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain campaign id.' }) },
    resolve: (_root, { id }, ctx) =>
      resumeCampaign(ctx.services.campaigns, ctx.principal.tenantId, campaignIdFrom(id) ?? id),
  }),
  cancelCampaign: t.field({
    type: CampaignRef,
    authScopes: { send: true },
    description:
      'Cancels a campaign: none of its messages is handed to a provider from now (sends in flight finish); each one not yet handed over becomes CANCELED, with its status event and callbacks. completedAt is set once all are.',
    errors: { types: [NotFoundError, CampaignStateError] },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain campaign id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const { campaign, changes } = await cancelCampaign(
        ctx.services.campaigns,
        ctx.principal.tenantId,
        campaignIdFrom(id) ?? id,
      );
      ctx.services.statusHub.publish(changes);
      return campaign;
    },
  }),
}));

const CampaignProgressRef = builder.objectRef<CampaignProgress>('CampaignProgress').implement({
  description: "A campaign's status and counters at one moment.",
  fields: (t) => ({
    campaignId: t.string({ resolve: (p) => p.campaign.id }),
    status: t.field({ type: CampaignStatusEnum, resolve: (p) => p.campaign.status as CampaignStatus }),
    counters: t.field({ type: CampaignCountersRef, resolve: (p) => p.counters }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.campaign.startedAt }),
    completedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Set once nothing is left to send (COMPLETED) or to cancel (CANCELED).',
      resolve: (p) => p.campaign.completedAt,
    }),
    campaign: t.field({
      type: CampaignRef,
      description: 'The campaign as read for this emission.',
      resolve: (p) => p.campaign,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  campaignProgress: t.field({
    type: CampaignProgressRef,
    authScopes: { read: true },
    description:
      "A campaign's status and counters: at once, then at most four times a second while anything changes; completes when the campaign is COMPLETED, or CANCELED with every remaining message canceled.",
    // One reading per distinct subscription; a late subscriber gets the last one at once (graphql/live/).
    extensions: { live: 'latest' },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain campaign id.' }) },
    subscribe: (_root, { id }, ctx) => watchProgress(ctx.services.db, ctx.principal.tenantId, campaignIdFrom(id) ?? id),
    resolve: (progress: CampaignProgress) => progress,
  }),
}));
