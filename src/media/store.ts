import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../errors.js';

// Where media bytes live. The service decides what may be stored (type, size, tenant); a store
// only keeps bytes under opaque keys. Two stores: a local directory (this file) and an
// S3-compatible bucket (s3-store.ts), chosen by HERALD_MEDIA_STORE; both put a stream while
// hashing it, get a stream, and delete idempotently.

export type StoredObject = { key: string; size: number; sha256: string };

export interface MediaStore {
  /**
   * Stores the bytes under a new key, computing their size and SHA-256 on the way. When the
   * source fails (a size cap, a broken upload, a timeout) the error is passed on and nothing is
   * left behind.
   */
  put(source: AsyncIterable<Uint8Array>): Promise<StoredObject>;
  /** The bytes of a key; NotFoundError when there are none. */
  get(key: string): Promise<Readable>;
  /** Removes a key; a key that is already gone is fine. */
  delete(key: string): Promise<void>;
}

/** Keys are `<2 hex>/<uuid>`: never a path or a name the caller chose. */
const KEY = /^[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A new key, and its uuid. */
export function newStoreKey(): { id: string; key: string } {
  const id = randomUUID();
  return { id, key: `${id.slice(-2)}/${id}` };
}

/** The key itself, or an error: stores never act on anything else. */
export function checkStoreKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a media store key: ${JSON.stringify(key.slice(0, 80))}`);
  return key;
}

/** A pass-through that measures what goes through it: its size and SHA-256 once it has ended. */
export function metered(): { meter: Transform; result: () => { size: number; sha256: string } } {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { meter, result: () => ({ size, sha256: hash.digest('hex') }) };
}

/**
 * Files in a directory: `<dir>/<2 hex>/<uuid>`, written first as `<dir>/tmp/<uuid>.part` and
 * renamed into place once complete, so a crash leaves at most a `.part` file in tmp/.
 * The directory is created on first use.
 */
export class LocalDirectoryStore implements MediaStore {
  constructor(readonly dir: string) {}

  async put(source: AsyncIterable<Uint8Array>): Promise<StoredObject> {
    const { id, key } = newStoreKey();
    const tmpDir = join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const partial = join(tmpDir, `${id}.part`);
    const { meter, result } = metered();
    const out = createWriteStream(partial, { flags: 'wx' });
    try {
      await pipeline(source, meter, out);
      await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
      await rename(partial, this.path(key));
    } catch (err) {
      // A source that fails at once (an upload cut short) can fail the pipeline while the file
      // is still being opened: removed before it exists, it would be created after and stay.
      if (!out.closed) await once(out, 'close').catch(() => {});
      await rm(partial, { force: true });
      throw err;
    }
    return { key, ...result() };
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    try {
      await stat(path);
    } catch {
      throw new NotFoundError('Media file', key);
    }
    return createReadStream(path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  private path(key: string): string {
    return join(this.dir, checkStoreKey(key));
  }
}

/** Reads a whole stored object (provider uploads take bytes). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
