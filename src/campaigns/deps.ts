import type { Readable } from 'node:stream';
import type { Db } from '../db/client.js';
import type { MediaRow } from '../db/schema.js';
import type { SendDeps } from '../messaging/send.js';

// What the campaign services need: the database, the checks single sends use (so a campaign's
// content and recipients are judged exactly as a single send would be), and the media store
// (CSV imports are uploaded media).

export type CampaignDeps = Pick<SendDeps, 'validators' | 'now' | 'media' | 'templates' | 'emailAttachmentMaxBytes'> & {
  db: Db;
  /** The tenant's media item and a stream of its bytes; NotFoundError for unknown or foreign ids. */
  openMedia: (tenantId: string, mediaId: string) => Promise<{ media: MediaRow; stream: Readable }>;
};
