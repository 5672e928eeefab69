import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobStoreContract } from '../../../test/contracts/blob-store.contract.ts';
import { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';

const BUCKET = 'youngchat-test';

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node >= 17) keeps
 * only in its legacy provider, so every listing longer than one page fails with InternalError. s3rver
 * both makes and reads the token, and 3DES with one key repeated three times is exactly DES, so the swap
 * changes nothing else. Returns the undo.
 */
function letS3rverPaginate(): () => void {
  type CipherFactory = (algorithm: string, key: Buffer, ...rest: unknown[]) => unknown;
  const patched = crypto as unknown as Record<'createCipheriv' | 'createDecipheriv', CipherFactory>;
  const original = { createCipheriv: patched.createCipheriv, createDecipheriv: patched.createDecipheriv };
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    patched[name] = (algorithm, key, ...rest) =>
      algorithm === 'des'
        ? original[name]('des-ede3-cbc', Buffer.concat([key, key, key]), ...rest)
        : original[name](algorithm, key, ...rest);
  }
  return () => Object.assign(patched, original);
}

describe('S3 blob store', () => {
  let dir: string;
  let server: S3rver;
  let connection: Omit<S3BlobStoreOptions, 'bucket'>;
  let undoPatch: () => void;

  beforeAll(async () => {
    undoPatch = letS3rverPaginate();
    // A fresh directory is a fresh s3rver: the bucket and its objects belong to this file alone.
    dir = await mkdtemp(path.join(os.tmpdir(), 'yc-s3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      directory: dir,
      silent: true,
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await server.run();
    connection = {
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    };
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
    undoPatch();
  });

  blobStoreContract(async () => {
    const store = createS3BlobStore({ ...connection, bucket: BUCKET });
    return { store, cleanup: () => store.close() };
  });

  it('lists past the 1000 keys of one page', async () => {
    const store = createS3BlobStore({ ...connection, bucket: BUCKET });
    const keys = Array.from({ length: 1005 }, (_, i) => `paging/${String(i).padStart(4, '0')}.png`);
    try {
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, new Uint8Array([1]), 'image/png')));
      }
      expect(await store.list('paging/')).toEqual(keys);
    } finally {
      await store.close();
    }
  });

  it('reports itself unhealthy when the bucket does not exist', async () => {
    const store = createS3BlobStore({ ...connection, bucket: 'no-such-bucket' });
    try {
      await expect(store.check()).rejects.toThrow();
      await expect(store.put('a/b.png', new Uint8Array([1]), 'image/png')).rejects.toThrow(/bucket/i);
    } finally {
      await store.close();
    }
  });
});
