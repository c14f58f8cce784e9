import { and, eq } from 'drizzle-orm';
import { messages } from '../db/schema.js';
import { CampaignStateError, ValidationError } from '../errors.js';
import type { Channel } from '../vocabulary.js';
import type { CampaignDeps } from './deps.js';
import { startCampaign } from './lifecycle.js';
import { addCampaignRecipients, createCampaign } from './service.js';

// One send to a long list of recipients, made a campaign behind the scenes: what the REST send
// endpoints do with a `mobile` (or `emailids`) list longer than a request's own cap. The single
// send's input (without `to`) becomes the campaign's content, every recipient gets the same
// template parameters, and each recipient is judged on its own, so the answer is per recipient.

/** A single send's input, as the channel's validator takes it, without `to`. */
export type OneSend = Record<string, unknown>;

export type RecipientResult =
  | { to: string; messageId: string; status: string }
  | { to: string; suppressed: true }
  | { to: string; field: string; reason: string };

export type SentToMany = { campaignId: string; results: RecipientResult[] };

export async function sendToMany(
  deps: CampaignDeps,
  tenantId: string,
  channel: Channel,
  one: OneSend,
  recipients: readonly string[],
  opts: { name: string; idempotencyKey?: string | undefined },
): Promise<SentToMany> {
  const params = Array.isArray(one.params) ? (one.params as string[]) : undefined;
  const campaign = await asSingleSend(() =>
    createCampaign(deps, tenantId, {
      name: opts.name,
      channel,
      content: contentOf(channel, one),
      // The REST endpoints take no category: like a campaign made through the API, opt-outs apply.
      category: 'MARKETING',
      sendAt: one.sendAt as Date | undefined,
      validUntil: one.validUntil as Date | undefined,
      tags: one.tags as string[] | undefined,
      callbackUrl: one.callbackUrl as string | undefined,
      idempotencyKey: opts.idempotencyKey,
    }),
  );
  // A repeated request (same idempotency key) finds its campaign started already: nothing to add.
  const invalid = new Map<number, { field: string; reason: string }>();
  if (campaign.status === 'DRAFT') {
    const added = await addCampaignRecipients(
      deps,
      tenantId,
      campaign.id,
      recipients.map((to) => ({ to, ...(params ? { params } : {}) })),
    );
    for (const r of added.invalidRows) invalid.set(r.row, r);
    if (added.accepted + added.duplicates > 0)
      await startCampaign(deps, tenantId, campaign.id).catch((err: unknown) => {
        // A concurrent repeat started it first.
        if (!(err instanceof CampaignStateError)) throw err;
      });
  }

  const stored = await deps.db
    .select({ id: messages.id, recipient: messages.recipient, status: messages.status })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.campaignId, campaign.id)));
  const byRecipient = new Map(stored.map((m) => [m.recipient, m]));
  const results = recipients.map((to, row): RecipientResult => {
    const problem = invalid.get(row);
    if (problem) return { to, field: problem.field, reason: problem.reason };
    const address = deps.validators.address(channel, to);
    if (!address.ok) return { to, field: 'to', reason: address.message };
    const message = byRecipient.get(address.value);
    return message ? { to, messageId: message.id, status: message.status } : { to, suppressed: true };
  });
  return { campaignId: campaign.id, results };
}

/** A refusal of the content names the single send's field (`text`, not `content.sms.text`). */
async function asSingleSend<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (err instanceof ValidationError && err.field.startsWith('content.'))
      throw new ValidationError(err.field.split('.').slice(2).join('.'), err.message);
    throw err;
  }
}

/** The campaign content a single send's input describes. */
function contentOf(channel: Channel, one: OneSend): unknown {
  const pick = (...keys: string[]) =>
    Object.fromEntries(keys.filter((k) => one[k] !== undefined).map((k) => [k, one[k]]));
  switch (channel) {
    case 'SMS':
      return { sms: pick('text', 'senderId', 'unicode', 'flash', 'dltEntityId', 'dltTemplateId') };
    case 'WHATSAPP':
      return { whatsApp: pick('templateName', 'language', 'mediaType', 'mediaId') };
    case 'EMAIL':
      return { email: pick('subject', 'html', 'text', 'from', 'attachments') };
  }
}
