import { and, eq } from 'drizzle-orm';
import type { CampaignRow } from '../db/schema.js';
import { campaigns } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { checkText } from '../validation/input.js';
import { CHANNELS, type Channel, MESSAGE_CATEGORIES, type MessageCategory } from '../vocabulary.js';
import { checkContent } from './content.js';
import type { CampaignDeps } from './deps.js';
import { getCampaign } from './queries.js';
import {
  type AddResult,
  type InvalidRecipient,
  MAX_RECIPIENTS_PER_CALL,
  type RecipientInput,
  RecipientIntake,
} from './recipients.js';

// Creating a campaign (DRAFT, its content checked as a single send would be) and adding
// recipients to it through the API. Starting, pausing and the release of held messages are
// lifecycle.ts's.

export type CreateCampaignInput = {
  name: string;
  channel: Channel;
  /** One member, the campaign's channel's: { sms } | { whatsApp } | { email }. */
  content: unknown;
  /** Default MARKETING: the suppression list applies unless the sender says the send is UTILITY or AUTHENTICATION. */
  category?: MessageCategory | null | undefined;
  sendAt?: Date | null | undefined;
  validUntil?: Date | null | undefined;
  /** Most messages released per second; none: as fast as the providers' limits allow. */
  ratePerSecond?: number | null | undefined;
  tags?: string[] | null | undefined;
  callbackUrl?: string | null | undefined;
  /** Creating again with the same key answers the campaign the first call created. */
  idempotencyKey?: string | null | undefined;
};

export const MAX_RATE_PER_SECOND = 10_000;

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ValidationError(field, `${field} must be one of ${allowed.join(', ')}`);
}

export async function createCampaign(
  deps: CampaignDeps,
  tenantId: string,
  input: CreateCampaignInput,
): Promise<CampaignRow> {
  const now = deps.now();
  const idempotencyKey = input.idempotencyKey ?? null;
  if (idempotencyKey !== null) {
    checkText('idempotencyKey', idempotencyKey);
    if (idempotencyKey.length === 0 || idempotencyKey.length > 255)
      throw new ValidationError('idempotencyKey', 'idempotencyKey must be 1 to 255 characters');
    const earlier = await campaignByKey(deps, tenantId, idempotencyKey);
    if (earlier) return earlier;
  }
  const name = typeof input.name === 'string' ? checkText('name', input.name).trim() : '';
  if (name.length === 0 || name.length > 200) throw new ValidationError('name', 'name must be 1 to 200 characters');
  const channel = oneOf('channel', input.channel, CHANNELS);
  const category = input.category == null ? 'MARKETING' : oneOf('category', input.category, MESSAGE_CATEGORIES);
  const rate = input.ratePerSecond ?? null;
  if (rate !== null && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE_PER_SECOND))
    throw new ValidationError('ratePerSecond', `ratePerSecond must be a whole number from 1 to ${MAX_RATE_PER_SECOND}`);
  const defaults = {
    tags: input.tags ?? undefined,
    sendAt: input.sendAt ?? undefined,
    validUntil: input.validUntil ?? undefined,
    callbackUrl: input.callbackUrl ?? undefined,
  };
  // The content, and the defaults with it, as the channel's single send checks them.
  const content = await checkContent(deps, tenantId, channel, input.content, defaults, now);
  const [row] = await deps.db
    .insert(campaigns)
    .values({
      id: newId(now.getTime()),
      tenantId,
      name,
      channel,
      category,
      status: 'DRAFT',
      content,
      ratePerSecond: rate,
      sendAt: defaults.sendAt ?? null,
      validUntil: defaults.validUntil ?? null,
      tags: defaults.tags ?? [],
      callbackUrl: defaults.callbackUrl?.trim() ?? null,
      idempotencyKey,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  // Nothing inserted: a concurrent call with the same key won.
  return row ?? (await campaignByKey(deps, tenantId, idempotencyKey!))!;
}

async function campaignByKey(deps: CampaignDeps, tenantId: string, key: string): Promise<CampaignRow | undefined> {
  const [row] = await deps.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.idempotencyKey, key)));
  return row;
}

/**
 * Adds up to 10,000 recipients; `row` in the answer is each refused recipient's index in
 * `recipients`. Recipients the campaign already has are skipped (duplicates).
 */
export async function addCampaignRecipients(
  deps: CampaignDeps,
  tenantId: string,
  campaignId: string,
  recipients: readonly RecipientInput[],
): Promise<AddResult> {
  if (recipients.length > MAX_RECIPIENTS_PER_CALL)
    throw new ValidationError(
      'recipients',
      `recipients takes at most ${MAX_RECIPIENTS_PER_CALL} per call (got ${recipients.length}); add them in chunks, or import a CSV`,
    );
  const intake = await RecipientIntake.open(deps, tenantId, campaignId);
  const invalidRows: InvalidRecipient[] = [];
  const tally = await intake.add(
    recipients.map((input, row) => ({ row, input })),
    (r) => invalidRows.push(r),
  );
  // Read again: the counters of refused rows moved.
  const campaign = (await getCampaign(deps.db, tenantId, intake.campaign.id)) ?? intake.campaign;
  return { ...tally, campaign, invalidRows };
}
