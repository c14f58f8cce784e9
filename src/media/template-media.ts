import { ValidationError } from '../errors.js';
import { isUuid } from '../ids.js';
import { isMediaLink } from '../vocabulary.js';

// The media of a WhatsApp template header, checked when the message is accepted: a media id
// must be one of the tenant's uploads, of the kind the header names. An http(s) URL instead of
// an id is "link mode": the provider fetches it when sending, so Herald neither looks it up nor
// checks its type or size here (upload the file to have both checked up front).

/** Finds a tenant's media by id (undefined when unknown or another tenant's). */
export type MediaLookup = (
  tenantId: string,
  mediaId: string,
) => Promise<{ id: string; kind: string; sizeBytes: number } | undefined>;

const article = (kind: string): string => `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind.toLowerCase()}`;

export async function checkTemplateMedia(
  lookup: MediaLookup,
  tenantId: string,
  mediaType: string,
  mediaId: string,
): Promise<void> {
  const shown = JSON.stringify(mediaId.length > 60 ? `${mediaId.slice(0, 60)}…` : mediaId);
  if (isMediaLink(mediaId)) {
    let ok = false;
    try {
      ok = new URL(mediaId).hostname.length > 0;
    } catch {
      ok = false;
    }
    if (!ok) throw new ValidationError('mediaId', `mediaId ${shown} is not a valid http(s) URL`);
    return;
  }
  const found = isUuid(mediaId) ? await lookup(tenantId, mediaId) : undefined;
  if (!found) {
    throw new ValidationError(
      'mediaId',
      `mediaId ${shown} is not a media id of this tenant: upload the file first (uploadMedia, createMediaFromUrl or POST /api/media/upload) ` +
        'and send the mediaId it returns, or give an http(s) URL of the file',
    );
  }
  if (found.kind !== mediaType) {
    throw new ValidationError(
      'mediaId',
      `mediaId ${shown} is ${article(found.kind)}, not ${article(mediaType)} as mediaType says`,
    );
  }
}
