import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { media, mediaProviderUploads } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
import { readAll, type MediaStore } from './store.js';

// A provider's own id for Herald media (WhatsApp Cloud API media ids), uploaded once and reused
// until it expires. Concurrent callers in one process share one upload; two processes racing
// may both upload once (both ids work; the later one is kept).

const DAY = 24 * 3600 * 1000;

/** How long a provider keeps uploaded media, minus a margin so a cached id is never stale when used. */
export const PROVIDER_MEDIA_TTL_MS: Readonly<Record<string, number>> = {
  // Meta keeps uploaded media for 30 days.
  'whatsapp-cloud': 30 * DAY - 2 * DAY,
};
const DEFAULT_TTL_MS = 30 * DAY - 2 * DAY;

export type ProviderUpload = (bytes: Uint8Array, mimeType: string, filename: string) => Promise<{ id: string }>;

const inFlight = new WeakMap<object, Map<string, Promise<string>>>();

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/** The media's own filename, else one made of its kind and type (`document.pdf`). */
export function mediaFilename(row: { filename: string | null; kind: string; mimeType: string }): string {
  return row.filename ?? `${row.kind.toLowerCase()}.${EXTENSIONS[row.mimeType] ?? 'bin'}`;
}

/**
 * The provider's id for a media item: the cached one while it is valid at `now`, otherwise
 * uploads the bytes with `upload` and caches the answer. `mediaId` is Herald's id (already
 * checked against the message's tenant by the caller).
 */
export async function providerMediaId(
  db: Db,
  store: MediaStore,
  mediaId: string,
  provider: string,
  upload: ProviderUpload,
  now: Date,
  opts: { ttlMs?: number } = {},
): Promise<string> {
  let pending = inFlight.get(db);
  if (!pending) {
    pending = new Map();
    inFlight.set(db, pending);
  }
  const key = `${provider}\u0000${mediaId}`;
  const running = pending.get(key);
  if (running) return running;
  if (!isUuid(mediaId)) throw new NotFoundError('Media', mediaId.slice(0, 80));
  // The cache read is inside the shared work, so a caller arriving just after an upload finished
  // reads the committed row instead of uploading again.
  const work = (async () => {
    const [cached] = await db
      .select()
      .from(mediaProviderUploads)
      .where(and(eq(mediaProviderUploads.mediaId, mediaId), eq(mediaProviderUploads.provider, provider)));
    if (cached && (cached.expiresAt === null || cached.expiresAt.getTime() > now.getTime()))
      return cached.providerMediaId;

    const [row] = await db.select().from(media).where(eq(media.id, mediaId));
    if (!row) throw new NotFoundError('Media', mediaId);
    const bytes = await readAll(await store.get(row.storageKey));
    const filename = mediaFilename(row);
    const { id } = await upload(bytes, row.mimeType, filename);
    const uploadedAt = now;
    const ttl = opts.ttlMs ?? PROVIDER_MEDIA_TTL_MS[provider] ?? DEFAULT_TTL_MS;
    const expiresAt = new Date(uploadedAt.getTime() + ttl);
    await db
      .insert(mediaProviderUploads)
      .values({ mediaId, provider, providerMediaId: id, uploadedAt, expiresAt })
      .onConflictDoUpdate({
        target: [mediaProviderUploads.mediaId, mediaProviderUploads.provider],
        set: { providerMediaId: id, uploadedAt, expiresAt },
      });
    return id;
  })();
  pending.set(key, work);
  try {
    return await work;
  } finally {
    pending.delete(key);
  }
}
