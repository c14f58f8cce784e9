// Vocabulary of the messaging domain, shared by the database, the providers, the service layer and
// the APIs. It imports nothing, so db/ and providers/ can name a channel or a status without
// depending on the domain (test/package-boundaries.test.ts).

export const CHANNELS = ['WHATSAPP', 'SMS', 'EMAIL'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MESSAGE_STATUSES = [
  'SCHEDULED',
  'QUEUED',
  'SENDING',
  'SENT',
  'DELIVERED',
  'READ',
  'FAILED',
  'UNDELIVERED',
  'EXPIRED',
  'CANCELED',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Why a message is sent, as Meta and Twilio distinguish: marketing opt-outs block MARKETING only. */
export const MESSAGE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];

/** Where a suppression came from: the API, a keyword reply (STOP), or a provider's answer that means an opt-out. */
export const SUPPRESSION_SOURCES = ['API', 'INBOUND', 'PROVIDER'] as const;
export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

export const CAMPAIGN_STATUSES = ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const MEDIA_TYPES = ['NONE', 'IMAGE', 'VIDEO', 'DOCUMENT'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** A message's media reference is a public link (sent as is) rather than an uploaded media id. */
export const isMediaLink = (mediaId: string): boolean => /^https?:\/\//i.test(mediaId);

/** SMSMedia's service id of each channel (its guide's values): Herald's REST API answers to them, its SMSMedia provider sends them. */
export const DEFAULT_SERVICE_IDS: Readonly<Record<Channel, number>> = { WHATSAPP: 18, SMS: 6, EMAIL: 10 };

export const SCOPES = ['send', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A registered template's status. WhatsApp templates follow Meta's review (templates/lifecycle.ts):
 * PENDING while reviewed, APPROVED, REJECTED, PAUSED (low quality, for a while) or DISABLED.
 * Only APPROVED templates can be sent.
 */
export const TEMPLATE_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
