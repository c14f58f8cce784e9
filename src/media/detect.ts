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
const article = (kind: MediaKind): string =>
  kind === 'IMAGE' || kind === 'AUDIO' ? `an ${kind.toLowerCase()}` : `a ${kind.toLowerCase()}`;

export const extensionOf = (filename: string | undefined): string | undefined =>
  /\.([A-Za-z0-9]{1,8})$/.exec(filename ?? '')?.[1]?.toLowerCase();

/** The text type the client claims by filename or content type (text has no magic number): plain text or CSV. */
function claimedText(claims: Claims): typeof MIME.text | typeof MIME.csv | undefined {
  const extension = extensionOf(claims.filename);
  const type = (claims.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (extension === 'csv' || type === MIME.csv) return MIME.csv;
  if (extension === 'txt' || type === MIME.text) return MIME.text;
  return undefined;
}

/** WebP with the VP8X animation flag (byte 20, bit 1). */
export function isAnimatedWebp(head: Uint8Array): boolean {
  const tag = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  return (
    head.length > 20 &&
    tag(0, 4) === 'RIFF' &&
    tag(8, 12) === 'WEBP' &&
    tag(12, 16) === 'VP8X' &&
    (head[20]! & 0x02) !== 0
  );
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
export async function detectMedia(
  open: () => Promise<Readable>,
  size: number,
  claims: Claims,
  field: string,
): Promise<Detected> {
  if (size === 0) throw new ValidationError(field, `${field} is empty`);
  let type = await withStream(open, (s) => fileTypeFromStream(s));
  // file-type calls any two bytes starting 0xFF 0xE0..0xFF MPEG audio or AAC: such a verdict
  // stands only when the bytes hold real frames. Otherwise they are not recognised at all.
  if (
    type &&
    (type.mime === MIME.mpeg || type.mime === MIME.aac) &&
    !(await withStream(open, (s) => holdsAudioFrames(s, size)))
  ) {
    type = undefined;
  }
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
  const text = claimedText(claims);
  if (!found && !type && text && (claims.kind === undefined || claims.kind === 'DOCUMENT')) {
    await checkText(open, field);
    found = { kind: 'DOCUMENT', mimeType: text };
  }
  if (!found) {
    const what = type ? `is ${describe(type.mime)}` : 'is not a type Herald recognises from its content';
    const textHint = type
      ? ''
      : ' (plain text is accepted as a document with a .txt filename or a text/plain content type, CSV with .csv or text/csv)';
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
    const webpHint =
      claims.kind === 'IMAGE' && mimeType === MIME.webp
        ? ' (WebP is accepted as a sticker only; WhatsApp images are JPEG or PNG)'
        : '';
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

/** How many bytes of an ID3v2 tag (header included) the bytes start with; 0 when none. */
function id3Length(head: Uint8Array): number {
  if (head.length < 10 || head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return 0;
  // A synchsafe size: 7 bits per byte; a footer adds 10 bytes.
  const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
  return 10 + size + ((head[5]! & 0x10) !== 0 ? 10 : 0);
}

const MPEG_BITRATES_KBPS: Readonly<Record<string, readonly number[]>> = {
  // MPEG-1 layers I, II, III; MPEG-2 and 2.5 layer I, layers II and III. Index 0 (free) and 15 are not used.
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG_SAMPLE_RATES: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

/** The length of the MPEG audio or ADTS frame whose header starts at `at`, or 0 when there is none. */
function frameLength(b: Uint8Array, at: number): number {
  if (at + 7 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return 0;
  const version = (b[at + 1]! >> 3) & 3;
  const layer = (b[at + 1]! >> 1) & 3;
  if (layer === 0) {
    // ADTS (AAC): 12 sync bits, a sampling index up to 12, a 13-bit frame length including the header.
    if ((b[at + 1]! & 0xf0) !== 0xf0 || ((b[at + 2]! >> 2) & 0xf) > 12) return 0;
    const length = ((b[at + 3]! & 3) << 11) | (b[at + 4]! << 3) | (b[at + 5]! >> 5);
    return length >= ((b[at + 1]! & 1) === 0 ? 9 : 7) ? length : 0;
  }
  const rates = MPEG_SAMPLE_RATES[version];
  const bitrateIndex = b[at + 2]! >> 4;
  const rateIndex = (b[at + 2]! >> 2) & 3;
  if (!rates || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return 0;
  const layerNumber = 4 - layer;
  const kbps = MPEG_BITRATES_KBPS[`${version === 3 ? 1 : 2}-${layerNumber}`]![bitrateIndex]!;
  const rate = rates[rateIndex]!;
  const padding = (b[at + 2]! >> 1) & 1;
  if (layerNumber === 1) return (Math.floor((12 * kbps * 1000) / rate) + padding) * 4;
  const perSample = layerNumber === 3 && version !== 3 ? 72 : 144;
  return Math.floor((perSample * kbps * 1000) / rate) + padding;
}

/** Longest MPEG audio frame (layer II, 384 kbit/s at 8 kHz would be longer, but does not exist). */
const MAX_FRAME = 8192;

/**
 * MPEG audio or ADTS: after an optional ID3v2 tag, a frame header whose frame either ends the
 * file or is followed by another frame header. Two bytes of sync alone are not audio.
 */
async function holdsAudioFrames(stream: Readable, size: number): Promise<boolean> {
  // Keep only the bytes from the first frame on: an ID3 tag may carry megabytes of cover art.
  let kept: Buffer = Buffer.alloc(0);
  let from = 0; // offset of kept[0] in the file
  let tag: number | undefined;
  for await (const chunk of stream) {
    kept = Buffer.concat([kept, chunk as Buffer]);
    if (tag === undefined && from + kept.length >= Math.min(10, size)) tag = id3Length(kept);
    if (tag !== undefined && tag > from) {
      const drop = Math.min(tag - from, kept.length);
      kept = kept.subarray(drop);
      from += drop;
    }
    if (tag !== undefined && from === tag && kept.length >= 2 * MAX_FRAME) break;
  }
  if (tag === undefined || tag >= size || from !== tag) return false;
  const length = frameLength(kept, 0);
  if (length === 0) return false;
  return tag + length === size || frameLength(kept, length) > 0;
}

/** Control characters other than tab, line feed, form feed and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
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
