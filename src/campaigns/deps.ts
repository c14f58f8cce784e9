import type { Db } from '../db/client.js';
import type { SendDeps } from '../messaging/send.js';

// What the campaign services need: the database and the checks single sends use, so a
// campaign's content and recipients are judged exactly as a single send would be.

export type CampaignDeps = Pick<SendDeps, 'validators' | 'now' | 'media' | 'templates' | 'emailAttachmentMaxBytes'> & {
  db: Db;
};
