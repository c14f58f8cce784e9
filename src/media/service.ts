import type { Readable } from 'node:stream';
import type { Db } from '../db/client.js';
import { media, type MediaRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { checkOptionalText, checkText } from '../validation/input.js';
import { detectMedia, kindFromHead, type Claims } from './detect.js';
import { MediaTooLargeError } from './errors.js';
import { fetchMedia, redactUrl } from './fetch-url.js';
import { formatBytes, kindLimit, WHATSAPP_MEDIA, type MediaKind, type MediaLimits } from './kinds.js';
import { findMediaBySha, getMedia, listMedia, type MediaPage, type MediaPageRequest } from './queries.js';
import { isUuid } from '../ids.js';
import type { MediaStore, StoredObject } from './store.js';
import type { OutboundGuard } from '../net/outbound.js';

// Media intake for every API (GraphQL multipart, URL, REST multipart and base64): the bytes are
// streamed to the store under a size cap checked as they arrive, hashed on the way, then
// recognised from the stored bytes and kept once per tenant and content. Any refusal deletes
// what was written: no row, no file.
//
//   stage:  source → cap (the declared kind's limit, tightened once the first bytes show the
//           kind) → store.put (size, sha256)
//   commit: detect the type from the bytes → check the declared kind and the kind's limit →
//           insert (tenant, sha256) or return the tenant's existing row for the same bytes

export type MediaServiceOptions = {
  db: Db;
  store: MediaStore;
  limits: MediaLimits;
  /** Where URL fetches may go (net/outbound.ts). */
  outbound: OutboundGuard;
  fetchTimeoutMs: number;
  now: () => Date;
};

/** What the client says about a file; none of it is trusted for the type. */
export type MediaDetails = {
  /** The input the bytes came in ("file", "url", "data"...), named in errors. */
  field: string;
  kind?: MediaKind | undefined;
  filename?: string | undefined;
  contentType?: string | undefined;
  caption?: string | undefined;
  sourceUrl?: string | undefined;
};

export type Staged = StoredObject & { field: string };
export type UploadResult = { media: MediaRow; created: boolean };

export const MAX_CAPTION = 1024;
const MAX_FILENAME = 255;
/** Bytes read before the kind is guessed to tighten the cap (file-type's usual sample). */
const HEAD_BYTES = 4100;

export class MediaService {
  constructor(private readonly opts: MediaServiceOptions) {}

  get limits(): MediaLimits {
    return this.opts.limits;
  }

  get store(): MediaStore {
    return this.opts.store;
  }

  /** The largest upload accepted for a declared kind (or any kind). */
  capFor(kind: MediaKind | undefined): number {
    return kind ? kindLimit(kind, this.opts.limits, { animated: kind === 'STICKER' }) : this.opts.limits.maxBytes;
  }

  /** One upload: stage, then commit. `sizeHint` (a known length) refuses an oversize file before reading it. */
  async upload(
    tenantId: string,
    source: AsyncIterable<Uint8Array>,
    details: MediaDetails & { sizeHint?: number | undefined },
  ): Promise<UploadResult> {
    checkDetails(details);
    const staged = await this.stage(source, details);
    return this.commit(tenantId, staged, details);
  }

  /** Fetches a URL (SSRF-safe) and uploads what it answers. */
  async fromUrl(tenantId: string, url: string, details: MediaDetails): Promise<UploadResult> {
    checkDetails(details);
    checkText(details.field, url);
    const fetched = await fetchMedia(url, {
      field: details.field,
      guard: this.opts.outbound,
      timeoutMs: this.opts.fetchTimeoutMs,
    });
    let staged: Staged;
    try {
      staged = await this.stage(fetched.body, { ...details, sizeHint: fetched.contentLength });
    } catch (err) {
      fetched.abort();
      throw err;
    }
    return this.commit(tenantId, staged, {
      ...details,
      filename: details.filename ?? fetched.filename,
      contentType: fetched.contentType,
      sourceUrl: redactUrl(fetched.finalUrl),
    });
  }

  /** Streams the bytes into the store under the cap; nothing is left behind when it fails. */
  async stage(
    source: AsyncIterable<Uint8Array>,
    hints: { field: string; kind?: MediaKind | undefined; sizeHint?: number | undefined },
  ): Promise<Staged> {
    const { field } = hints;
    const cap = this.capFor(hints.kind);
    if (hints.sizeHint !== undefined && hints.sizeHint > cap) throw this.tooLarge(field, cap, hints.kind);
    const limits = this.opts.limits;
    const tooLarge = (limit: number, kind: MediaKind | undefined) => this.tooLarge(field, limit, kind);
    const declared = hints.kind;
    async function* capped(): AsyncGenerator<Uint8Array> {
      let size = 0;
      let limit = cap;
      let limitKind = declared;
      let head: Buffer[] | undefined = declared ? undefined : [];
      let headLength = 0;
      for await (const chunk of source) {
        size += chunk.length;
        if (head) {
          head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          headLength += chunk.length;
          if (headLength >= HEAD_BYTES) {
            const guess = await kindFromHead(Buffer.concat(head));
            head = undefined;
            if (guess && kindLimit(guess.kind, limits, { animated: true }) < limit) {
              limit = kindLimit(guess.kind, limits, { animated: true });
              limitKind = guess.kind;
            }
          }
        }
        if (size > limit) throw tooLarge(limit, limitKind);
        yield chunk;
      }
    }
    const stored = await this.opts.store.put(capped());
    return { ...stored, field };
  }

  /** Recognises staged bytes and stores their row (or finds the tenant's row for the same bytes). */
  async commit(tenantId: string, staged: Staged, details: MediaDetails): Promise<UploadResult> {
    const { store, db } = this.opts;
    try {
      const { caption, filename } = checkDetails(details);
      const claims: Claims = { kind: details.kind, filename, contentType: details.contentType };
      const detected = await detectMedia(() => store.get(staged.key), staged.size, claims, staged.field);
      const limit = kindLimit(detected.kind, this.opts.limits, { animated: detected.animated });
      if (staged.size > limit) throw this.tooLarge(staged.field, limit, detected.kind);

      const now = this.opts.now();
      const [row] = await db
        .insert(media)
        .values({
          id: newId(now.getTime()),
          tenantId,
          sha256: staged.sha256,
          kind: detected.kind,
          mimeType: detected.mimeType,
          sizeBytes: staged.size,
          filename: filename ?? null,
          caption: caption ?? null,
          storageKey: staged.key,
          sourceUrl: details.sourceUrl ?? null,
          createdAt: now,
        })
        .onConflictDoNothing({ target: [media.tenantId, media.sha256] })
        .returning();
      if (row) return { media: row, created: true };
      // The same bytes are already this tenant's: one media, one file.
      await store.delete(staged.key);
      const existing = await findMediaBySha(db, tenantId, staged.sha256);
      if (!existing) throw new Error('media row vanished between conflict and read');
      return { media: existing, created: false };
    } catch (err) {
      await this.discard(staged);
      throw err;
    }
  }

  /** Deletes staged bytes that will not be committed. */
  async discard(staged: StoredObject): Promise<void> {
    await this.opts.store.delete(staged.key).catch(() => {});
  }

  get(tenantId: string, ids: readonly string[]): Promise<(MediaRow | undefined)[]> {
    return getMedia(this.opts.db, tenantId, ids);
  }

  async lookup(tenantId: string, id: string): Promise<MediaRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await getMedia(this.opts.db, tenantId, [id]);
    return row;
  }

  list(tenantId: string, page: MediaPageRequest): Promise<MediaPage> {
    return listMedia(this.opts.db, tenantId, page);
  }

  /** The tenant's media and a stream of its bytes; NotFoundError for unknown or foreign ids. */
  async open(tenantId: string, id: string): Promise<{ media: MediaRow; stream: Readable }> {
    const row = await this.lookup(tenantId, id);
    if (!row) throw new NotFoundError('Media', id.slice(0, 80));
    return { media: row, stream: await this.opts.store.get(row.storageKey) };
  }

  private tooLarge(field: string, limit: number, kind: MediaKind | undefined): MediaTooLargeError {
    const whose =
      kind && limit < this.opts.limits.maxBytes
        ? `the largest ${kind.toLowerCase()} WhatsApp accepts (${kind === 'STICKER' ? 'static stickers 100 KiB, animated 500 KiB' : WHATSAPP_MEDIA[kind].mimeTypes.join(', ')})`
        : 'the largest file this Herald accepts (HERALD_MEDIA_MAX_BYTES)';
    return new MediaTooLargeError(field, limit, `${field} is larger than ${formatBytes(limit)}, ${whose}`);
  }
}

/** Caption and filename, normalised; a ValidationError names the one at fault. */
export function checkDetails(details: Pick<MediaDetails, 'caption' | 'filename'>): {
  caption: string | undefined;
  filename: string | undefined;
} {
  const caption = checkOptionalText('caption', details.caption)?.trim() || undefined;
  if (caption !== undefined && caption.length > MAX_CAPTION) {
    throw new ValidationError('caption', `caption must be at most ${MAX_CAPTION} characters`);
  }
  checkOptionalText('filename', details.filename);
  // Only the last path segment, printable: a filename is shown to recipients, never used as a path.
  const filename =
    details.filename
      ?.split(/[/\\]/)
      .pop()
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      ?.replace(/[\u0000-\u001f\u007f]/g, '')
      .trim() || undefined;
  if (filename !== undefined && filename.length > MAX_FILENAME) {
    throw new ValidationError('filename', `filename must be at most ${MAX_FILENAME} characters`);
  }
  return { caption, filename };
}
