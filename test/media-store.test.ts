import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors.js';
import { S3Store } from '../src/media/s3-store.js';
import { LocalDirectoryStore, type MediaStore, readAll } from '../src/media/store.js';

// What the media service counts on from a store, held by both: the local directory and an
// S3-compatible bucket (s3rver, a local server speaking S3's wire format). Ids, dedup, per-kind
// limits and the download route live above the store, in the service, the same for both.

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-store-'));
  dirs.push(dir);
  return dir;
};
/** Every file below a directory, recursively. */
const filesIn = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

let s3: S3rver;
let s3Dir: string;
let endpoint: string;

beforeAll(async () => {
  s3Dir = tempDir();
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: s3Dir,
    silent: true,
    configureBuckets: [{ name: 'media', configs: [] }],
  });
  endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
});

afterAll(async () => {
  await s3?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function* chunks(count: number, size: number, failAfter?: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) {
    if (failAfter !== undefined && i === failAfter) throw new Error('the upload was cut short');
    yield Buffer.alloc(size, i);
  }
}

const stores: [string, () => { store: MediaStore; objects: () => number }][] = [
  [
    'a local directory',
    () => {
      const dir = tempDir();
      return { store: new LocalDirectoryStore(dir), objects: () => filesIn(dir).length };
    },
  ],
  [
    'an S3-compatible bucket',
    () => ({
      store: new S3Store({
        bucket: 'media',
        prefix: `t${Math.random().toString(36).slice(2)}/`,
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
      // s3rver keeps an object as a few files: count the objects themselves.
      objects: () => filesIn(s3Dir).filter((f) => f.name.endsWith('._S3rver_object')).length,
    }),
  ],
];

describe.each(stores)('media in %s', (_name, open) => {
  it('keeps bytes under a new key with their size and SHA-256, small or in parts, and streams them back', async () => {
    const { store } = open();
    const small = await store.put(chunks(1, 1000));
    expect(small).toMatchObject({ key: expect.stringMatching(/^[0-9a-f]{2}\/[0-9a-f-]{36}$/), size: 1000 });
    expect(small.sha256).toMatch(/^[0-9a-f]{64}$/);
    // 12 MiB: more than two parts of an S3 multipart upload.
    const large = await store.put(chunks(12, 1024 * 1024));
    expect(large.size).toBe(12 * 1024 * 1024);
    expect(large.key).not.toBe(small.key);
    const back = await readAll(await store.get(large.key));
    expect(back.length).toBe(large.size);
    expect(back.subarray(5 * 1024 * 1024, 5 * 1024 * 1024 + 3)).toEqual(Buffer.alloc(3, 5));
  });

  it('leaves nothing behind when the source fails, before or after a first part', async () => {
    const { store, objects } = open();
    const before = objects();
    await expect(store.put(chunks(3, 1000, 0))).rejects.toThrow('cut short');
    await expect(store.put(chunks(8, 1024 * 1024, 6))).rejects.toThrow('cut short');
    expect(objects()).toBe(before);
  });

  it('a missing key is a NotFoundError, deleting twice is fine, and no other name is a key', async () => {
    const { store } = open();
    const { key } = await store.put(chunks(1, 10));
    await store.delete(key);
    await store.delete(key);
    await expect(store.get(key)).rejects.toBeInstanceOf(NotFoundError);
    for (const bad of ['../etc/passwd', 'ab/../../x', `${key}/x`, '']) {
      await expect(store.get(bad)).rejects.toThrow('not a media store key');
    }
  });
});
