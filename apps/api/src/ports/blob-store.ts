import type { Readable } from 'node:stream';
import type { AdapterKinds } from '@youngchat/shared';
import type { Dependency } from './dependency.ts';

export interface StoredBlob {
  body: Readable;
  contentType: string;
  size: number;
}

/**
 * Objects addressed by keys the application builds itself (e.g. `avatars/<userId>/<uuid>.png`),
 * never by names that came from a user.
 */
export interface BlobStore extends Dependency {
  readonly kind: AdapterKinds['blobStore'];
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<StoredBlob | null>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

/** Keys are lowercase ASCII path segments with no `..`, so they are safe as file paths and S3 keys. */
export const isSafeBlobKey = (key: string): boolean => SAFE_KEY.test(key) && !key.includes('..') && key.length <= 512;

export function assertSafeBlobKey(key: string): void {
  if (!isSafeBlobKey(key)) throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
}
