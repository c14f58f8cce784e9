import { ValidationError } from '../errors.js';
import { formatBytes } from './kinds.js';
import { isUuid } from '../ids.js';
import type { MediaLookup } from './template-media.js';

// The media an email attaches, checked when the message is accepted: each id must be one of the
// tenant's uploads (any kind), and all of them together at most HERALD_EMAIL_ATTACHMENT_MAX_BYTES.
// Only the ids are stored (channelOptions.attachments); the dispatcher reads the bytes when sending.

const shown = (id: string): string => JSON.stringify(id.length > 60 ? `${id.slice(0, 60)}…` : id);

/** The canonical ids of the attachments, or a ValidationError on `attachments.N` / `attachments`. */
export async function checkEmailAttachments(
  lookup: MediaLookup,
  tenantId: string,
  ids: readonly string[],
  maxBytes: number,
): Promise<string[]> {
  const found = await Promise.all(ids.map((id) => (isUuid(id) ? lookup(tenantId, id) : Promise.resolve(undefined))));
  let total = 0;
  found.forEach((media, i) => {
    const field = `attachments.${i}`;
    if (!media) {
      throw new ValidationError(
        field,
        `${field} ${shown(ids[i]!)} is not a media id of this tenant: upload the file first (uploadMedia, createMediaFromUrl or POST /api/media/upload) ` +
          'and attach the mediaId it returns',
      );
    }
    total += media.sizeBytes;
  });
  if (total > maxBytes) {
    throw new ValidationError(
      'attachments',
      `attachments total ${formatBytes(total)}, more than the ${formatBytes(maxBytes)} an email may attach (HERALD_EMAIL_ATTACHMENT_MAX_BYTES)`,
    );
  }
  return found.map((media) => media!.id);
}
