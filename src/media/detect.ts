import type { Readable } from 'node:stream';
import { fileTypeFromBuffer, fileTypeFromStream } from 'file-type';
import { ValidationError } from '../errors.js';
import { UnsupportedMediaError } from './errors.js';
import { MIME, WHATSAPP_MEDIA, type MediaKind } from './kinds.js';

// The content type of stored bytes, recognised from the bytes themselves (file-type reads the
// magic numbers and, for ZIP-based Office files, the archive's entries). What the client says
// is a claim: a declared kind that disagrees with the bytes is refused, a declared MIME type is
// ignored, and a filename only picks among types the bytes leave open (.doc/.xls/.ppt inside an
// OLE compound file) or marks plain text, which has no magic number.

export type Claims = {
  /** The kind the client says it uploads (REST mediaType); undefined when it did not say. */
  kind?: MediaKind | undefined;
  filename?: string | undefined;
  /** The client's or the remote server's Content-Type. */
  contentType?: string | undefined;
};

export type Detected = { kind: MediaKind; mimeType: string; animated: boolean };

/** file-type's answer → the kind and canonical MIME type Herald stores. */
const RECOGNISED: Readonly<Record<string, { kind: MediaKind; mimeType: string }>> = {
  [MIME.jpeg]: { kind: 'IMAGE', mimeType: MIME.jpeg },
  [MIME.png]: { kind: 'IMAGE', mimeType: MIME.png },
  [MIME.webp]: { kind: 'STICKER', mimeType: MIME.webp },
  [MIME.mp4]: { kind: 'VIDEO', mimeType: MIME.mp4 },
  [MIME.threeGpp]: { kind: 'VIDEO', mimeType: MIME.threeGpp },
  'audio/x-m4a': { kind: 'AUDIO', mimeType: MIME.audioMp4 },
  [MIME.audioMp4]: { kind: 'AUDIO', mimeType: MIME.audioMp4 },
  [MIME.aac]: { kind: 'AUDIO', mimeType: MIME.aac },
  [MIME.amr]: { kind: 'AUDIO', mimeType: MIME.amr },
  [MIME.mpeg]: { kind: 'AUDIO', mimeType: MIME.mpeg },
  [MIME.ogg]: { kind: 'AUDIO', mimeType: MIME.ogg },
  'audio/ogg; codecs=opus': { kind: 'AUDIO', mimeType: MIME.ogg },
  'audio/opus': { kind: 'AUDIO', mimeType: MIME.ogg },
  [MIME.pdf]: { kind: 'DOCUMENT', mimeType: MIME.pdf },
  [MIME.doc]: { kind: 'DOCUMENT', mimeType: MIME.doc },
  [MIME.docx]: { kind: 'DOCUMENT', mimeType: MIME.docx },
  [MIME.xls]: { kind: 'DOCUMENT', mimeType: MIME.xls },
  [MIME.xlsx]: { kind: 'DOCUMENT', mimeType: MIME.xlsx },
  [MIME.ppt]: { kind: 'DOCUMENT', mimeType: MIME.ppt },
  [MIME.pptx]: { kind: 'DOCUMENT', mimeType: MIME.pptx },
};

/** Legacy Office files share one container (OLE compound file); the extension tells which. */
const CFB_BY_EXTENSION: Readonly<Record<string, string>> = {
  doc: MIME.doc,
  dot: MIME.doc,
  xls: MIME.xls,
  xlt: MIME.xls,
  ppt: MIME.ppt,
  pot: MIME.ppt,
  pps: MIME.ppt,
};

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'application/x-elf': 'an ELF executable',
  'application/x-msdownload': 'a Windows executable',
  'application/x-mach-binary': 'a macOS executable',
  'application/x-sharedlib': 'a shared library',
  'application/zip': 'a ZIP archive',
  'application/x-rar-compressed': 'a RAR archive',
  'application/x-7z-compressed': 'a 7-Zip archive',
  'application/gzip': 'a gzip archive',
  'image/gif': 'a GIF image',
  'image/svg+xml': 'an SVG image',
  'image/heic': 'a HEIC image',
};

const ACCEPTED = Object.entries(WHATSAPP_MEDIA)
  .map(([kind, spec]) => `${kind.toLowerCase()} (${spec.mimeTypes.join(', ')})`)
  .join('; ');

const describe = (mime: string): string => (DESCRIPTIONS[mime] ? `${DESCRIPTIONS[mime]} (${mime})` : mime);
const article = (kind: MediaKind): string => (kind === 'IMAGE' || kind === 'AUDIO' ? `an ${kind.toLowerCase()}` : `a ${kind.toLowerCase()}`);

export const extensionOf = (filename: string | undefined): string | undefined => /\.([A-Za-z0-9]{1,8})$/.exec(filename ?? '')?.[1]?.toLowerCase();

const claimsText = (claims: Claims): boolean =>
  extensionOf(claims.filename) === 'txt' || (claims.contentType ?? '').split(';')[0]!.trim().toLowerCase() === MIME.text;

/** WebP with the VP8X animation flag (byte 20, bit 1). */
export function isAnimatedWebp(head: Uint8Array): boolean {
  const tag = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  return head.length > 20 && tag(0, 4) === 'RIFF' && tag(8, 12) === 'WEBP' && tag(12, 16) === 'VP8X' && (head[20]! & 0x02) !== 0;
}

/**
 * The kind of a file from its first bytes, to tighten the size cap while it is still streaming
 * (an "image" stops at 5 MiB, not at the overall cap). Undefined when the head does not tell.
 */
export async function kindFromHead(head: Uint8Array): Promise<{ kind: MediaKind; animated: boolean } | undefined> {
  const type = await fileTypeFromBuffer(head).catch(() => undefined);
  const known = type ? RECOGNISED[type.mime] : undefined;
  return known ? { kind: known.kind, animated: known.kind === 'STICKER' && isAnimatedWebp(head) } : undefined;
}

/**
 * What stored bytes are. `open` returns a fresh stream of them (read up to three times: type,
 * animation flag, text check). Throws UnsupportedMediaError (or ValidationError for an empty file).
 */
export async function detectMedia(open: () => Promise<Readable>, size: number, claims: Claims, field: string): Promise<Detected> {
  if (size === 0) throw new ValidationError(field, `${field} is empty`);
  const type = await withStream(open, (s) => fileTypeFromStream(s));
  let found = type ? RECOGNISED[type.mime] : undefined;

  if (!found && type?.mime === 'application/x-cfb') {
    const mimeType = CFB_BY_EXTENSION[extensionOf(claims.filename) ?? ''];
    if (!mimeType) {
      throw new UnsupportedMediaError(
        field,
        type.mime,
        `${field} is a legacy Office file (OLE compound file); give its filename with the extension .doc, .xls or .ppt so Herald knows which`,
      );
    }
    found = { kind: 'DOCUMENT', mimeType };
  }
  if (!found && !type && claimsText(claims) && (claims.kind === undefined || claims.kind === 'DOCUMENT')) {
    await checkText(open, field);
    found = { kind: 'DOCUMENT', mimeType: MIME.text };
  }
  if (!found) {
    const what = type ? `is ${describe(type.mime)}` : 'is not a type Herald recognises from its content';
    const textHint = type ? '' : ' (plain text is accepted as a document with a .txt filename or a text/plain content type)';
    throw new UnsupportedMediaError(field, type?.mime ?? null, `${field} ${what}${textHint}; accepted: ${ACCEPTED}`);
  }

  let kind = found.kind;
  let mimeType = found.mimeType;
  // An MP4 container holds audio as well as video; the bytes cannot say which it carries.
  if (claims.kind === 'AUDIO' && mimeType === MIME.mp4) {
    kind = 'AUDIO';
    mimeType = MIME.audioMp4;
  }
  if (claims.kind !== undefined && claims.kind !== kind) {
    const webpHint = claims.kind === 'IMAGE' && mimeType === MIME.webp ? ' (WebP is accepted as a sticker only; WhatsApp images are JPEG or PNG)' : '';
    throw new UnsupportedMediaError(
      field,
      mimeType,
      `${field} is ${describe(mimeType)}, ${article(kind)}, not ${article(claims.kind)} as declared${webpHint}`,
    );
  }
  const animated = kind === 'STICKER' && (await withStream(open, async (s) => isAnimatedWebp(await readHead(s, 32))));
  return { kind, mimeType, animated };
}

async function withStream<T>(open: () => Promise<Readable>, use: (s: Readable) => Promise<T>): Promise<T> {
  const stream = await open();
  try {
    return await use(stream);
  } finally {
    stream.destroy();
  }
}

async function readHead(stream: Readable, n: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length >= n) break;
  }
  return Buffer.concat(chunks).subarray(0, n);
}

/** Control characters other than tab, line feed, form feed and carriage return. */
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;

/** Plain text: valid UTF-8 without control characters, checked chunk by chunk. */
async function checkText(open: () => Promise<Readable>, field: string): Promise<void> {
  const refuse = (why: string) =>
    new UnsupportedMediaError(field, null, `${field} is not plain text (${why}); text documents must be UTF-8`);
  await withStream(open, async (stream) => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const check = (text: string) => {
      if (CONTROL.test(text)) throw refuse('it contains control characters');
    };
    try {
      for await (const chunk of stream) check(decoder.decode(chunk as Buffer, { stream: true }));
      check(decoder.decode());
    } catch (err) {
      if (err instanceof UnsupportedMediaError) throw err;
      if (err instanceof TypeError) throw refuse('it is not valid UTF-8');
      throw err;
    }
  });
}
