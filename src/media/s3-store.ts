import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NotFoundError } from '../errors.js';
import { checkStoreKey, type MediaStore, metered, newStoreKey, type StoredObject } from './store.js';

// Media in an S3-compatible bucket, so that every Herald of an installation reads what any of
// them stored. Keys are the local store's (`<2 hex>/<uuid>`) under a prefix. Bytes stream both
// ways: uploads go up in parts (lib-storage's Upload: one PUT when small, multipart when not)
// while they are hashed, downloads come down as the response body.

export type S3StoreOptions = {
  bucket: string;
  /** Prepended to every key, e.g. `herald/media/`. */
  prefix: string;
  /** An S3-compatible service's URL (MinIO, Ceph, R2...); AWS itself when absent. */
  endpoint?: string | undefined;
  region: string;
  /** Bucket in the path rather than the host name: what most S3-compatible services need. */
  forcePathStyle: boolean;
  /** Static credentials; absent, the AWS SDK's usual chain (AWS_ACCESS_KEY_ID, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
};

/** Parts of a multipart upload: S3's smallest, so little is held in memory per upload. */
const PART_BYTES = 5 * 1024 * 1024;

export class S3Store implements MediaStore {
  private readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums only where S3 requires them: several S3-compatible services reject the
      // CRC32 trailers the SDK adds by default. Integrity is Herald's own SHA-256 anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(source: AsyncIterable<Uint8Array>): Promise<StoredObject> {
    const { key } = newStoreKey();
    const { meter, result } = metered();
    const body = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: this.objectKey(key), Body: body },
      partSize: PART_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    // The upload is awaited below; until then a failure of it is not an unhandled rejection.
    uploaded.catch(() => {});
    try {
      await pipeline(source, meter, body);
      await uploaded;
    } catch (err) {
      // A source that fails (a size cap, a broken upload) leaves nothing behind: the multipart
      // upload is aborted, and a single PUT that may have completed is deleted.
      await upload.abort().catch(() => {});
      await uploaded.catch(() => {});
      await this.delete(key).catch(() => {});
      throw err;
    }
    return { key, ...result() };
  }

  async get(key: string): Promise<Readable> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }),
      );
      return object.Body as Readable;
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') {
        throw new NotFoundError('Media file', key);
      }
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
  }

  private objectKey(key: string): string {
    return `${this.options.prefix}${checkStoreKey(key)}`;
  }
}
