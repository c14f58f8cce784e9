import { deflateSync } from 'node:zlib';

// Small media files built in code (no binaries in the repository): each is a real file of its
// type as file-type recognises it, and `variant` changes the bytes so tests can tell uploads
// apart (or, with the same variant, upload the very same bytes again).

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A valid RGB PNG. `noise` fills it with incompressible pixels (stored, not deflated), so
 * `width * height * 3` is about its size: a way to make an image of a chosen size.
 */
export function png(opts: { width?: number; height?: number; variant?: number; noise?: boolean } = {}): Buffer {
  const width = opts.width ?? 4;
  const height = opts.height ?? 4;
  const variant = opts.variant ?? 0;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows: Buffer[] = [];
  let seed = (variant * 2654435761 + 12345) >>> 0;
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let i = 1; i < row.length; i++) {
      if (opts.noise) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        row[i] = seed >>> 24;
      } else row[i] = (variant * 37 + y * 11 + i) & 0xff;
    }
    rows.push(row);
  }
  const idat = deflateSync(Buffer.concat(rows), { level: opts.noise ? 0 : 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal valid one-page PDF (catalog, pages, page, cross-reference table). */
export function pdf(variant = 0): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${200 + variant} 200] >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function box(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

/** An MP4 (ISO base media) file: an `ftyp` box with the isom brand, then a `free` box. */
export function mp4(variant = 0): Buffer {
  const ftyp = box(
    'ftyp',
    Buffer.concat([
      Buffer.from('isom', 'latin1'),
      Buffer.from([0, 0, 2, 0]),
      Buffer.from('isomiso2avc1mp41', 'latin1'),
    ]),
  );
  return Buffer.concat([ftyp, box('free', Buffer.from(`herald test video ${variant}`, 'latin1'))]);
}

/** A WebP (lossy VP8) of about `size` bytes: enough for file-type, not a decodable picture. */
export function webp(size = 64, variant = 0): Buffer {
  const payload = Buffer.alloc(Math.max(size - 20, 10), variant & 0xff);
  const riff = Buffer.concat([Buffer.from('WEBPVP8 ', 'latin1'), Buffer.alloc(4), payload]);
  riff.writeUInt32LE(payload.length, 8);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(riff.length, 4);
  return Buffer.concat([head, riff]);
}

/** The start of a Linux executable (ELF, 64-bit little-endian). */
export function elf(): Buffer {
  const b = Buffer.alloc(128);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // x86-64
  return b;
}

/** The start of a Windows executable (MZ header with its DOS stub message). */
export function mz(): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('This program cannot be run in DOS mode.', 0x4e, 'latin1');
  return b;
}
