import type { Config } from '../config.js';
import { S3Store } from './s3-store.js';
import { LocalDirectoryStore, type MediaStore } from './store.js';

/** The media store configured: the bucket when HERALD_MEDIA_STORE=s3, else the local directory. */
export function openMediaStore(media: Config['media']): MediaStore {
  return media.s3 ? new S3Store(media.s3) : new LocalDirectoryStore(media.dir);
}
