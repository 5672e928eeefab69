import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobStoreContract } from '../../../test/contracts/blob-store.contract.ts';
import { startS3rver, type RunningS3rver } from '../../../test/s3rver.ts';
import { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';

const BUCKET = 'youngchat-test';

describe('S3 blob store', () => {
  let s3: RunningS3rver;
  let connection: Omit<S3BlobStoreOptions, 'bucket'>;

  beforeAll(async () => {
    s3 = await startS3rver(BUCKET);
    connection = { region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials };
  });
  afterAll(() => s3?.close());

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
