// What media Herald accepts and how large, per kind. The kinds and limits are WhatsApp's (the
// strictest channel that carries media); an email attachment only has a size limit.

export const MEDIA_KINDS = ['IMAGE', 'VIDEO', 'AUDIO', 'DOCUMENT', 'STICKER'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export const KiB = 1024;
export const MiB = 1024 * KiB;

export const MIME = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  mp4: 'video/mp4',
  threeGpp: 'video/3gpp',
  aac: 'audio/aac',
  amr: 'audio/amr',
  mpeg: 'audio/mpeg',
  audioMp4: 'audio/mp4',
  ogg: 'audio/ogg',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  text: 'text/plain',
  /** Recipient lists for campaign imports; stored as documents. */
  csv: 'text/csv',
} as const;

/** WhatsApp Cloud API media: the types of each kind and the largest file of that kind. */
export const WHATSAPP_MEDIA: Readonly<Record<MediaKind, { maxBytes: number; mimeTypes: readonly string[] }>> = {
  IMAGE: { maxBytes: 5 * MiB, mimeTypes: [MIME.jpeg, MIME.png] },
  VIDEO: { maxBytes: 16 * MiB, mimeTypes: [MIME.mp4, MIME.threeGpp] },
  AUDIO: { maxBytes: 16 * MiB, mimeTypes: [MIME.aac, MIME.amr, MIME.mpeg, MIME.audioMp4, MIME.ogg] },
  DOCUMENT: {
    maxBytes: 100 * MiB,
    mimeTypes: [MIME.pdf, MIME.doc, MIME.docx, MIME.xls, MIME.xlsx, MIME.ppt, MIME.pptx, MIME.text],
  },
  // Static stickers; animated ones (WebP with the animation flag) may be up to 500 KiB.
  STICKER: { maxBytes: 100 * KiB, mimeTypes: [MIME.webp] },
};

export const ANIMATED_STICKER_MAX_BYTES = 500 * KiB;

/** The header media a WhatsApp template takes (MediaType minus NONE) → the media kind it needs. */
export const TEMPLATE_HEADER_KINDS = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const satisfies readonly MediaKind[];

export type MediaLimits = {
  /** Overall cap on any stored file (HERALD_MEDIA_MAX_BYTES). */
  maxBytes: number;
  /** Largest media a message may attach to an email (HERALD_EMAIL_ATTACHMENT_MAX_BYTES). */
  emailAttachmentMaxBytes: number;
};

/** The largest file of a kind: the kind's WhatsApp limit within the overall cap. */
export function kindLimit(kind: MediaKind, limits: MediaLimits, opts: { animated?: boolean } = {}): number {
  const own = kind === 'STICKER' && opts.animated ? ANIMATED_STICKER_MAX_BYTES : WHATSAPP_MEDIA[kind].maxBytes;
  return Math.min(own, limits.maxBytes);
}

export const isMediaKind = (s: string): s is MediaKind => (MEDIA_KINDS as readonly string[]).includes(s);

/** 5 MiB, 100 KiB, 1234 bytes: for messages. */
export function formatBytes(n: number): string {
  if (n >= MiB && n % (MiB / 10) === 0) return `${n / MiB} MiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= KiB && n % KiB === 0) return `${n / KiB} KiB`;
  return `${n} bytes`;
}
