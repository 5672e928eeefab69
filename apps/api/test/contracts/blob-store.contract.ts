import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { BlobStore } from '../../src/ports/blob-store.ts';

export interface BlobStoreUnderTest {
  store: BlobStore;
  cleanup: () => Promise<void>;
}

export const UNSAFE_KEYS = ['../../a.png', 'avatars/../x', '/etc/passwd', '프로필 사진.png', 'A.PNG', ''];

/** The behaviour every BlobStore adapter must share; `makeStore` runs before each test. */
export function blobStoreContract(makeStore: () => Promise<BlobStoreUnderTest>): void {
  let subject: BlobStoreUnderTest;
  // Each test writes under its own prefix, so adapters backed by one shared bucket need no reset.
  let ns: string;

  beforeEach(async () => {
    subject = await makeStore();
    ns = `contract-${randomUUID()}`;
  });
  afterEach(async () => {
    await subject.cleanup();
  });

  async function read(key: string) {
    const blob = await subject.store.get(key);
    if (blob === null) return null;
    return { contentType: blob.contentType, size: blob.size, bytes: await buffer(blob.body) };
  }

  it('returns exactly the bytes and content type that were put', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await subject.store.put(`${ns}/all-bytes.png`, bytes, 'image/png');
    const blob = await read(`${ns}/all-bytes.png`);
    expect(blob).toEqual({ contentType: 'image/png', size: 256, bytes: Buffer.from(bytes) });
  });

  it('returns null for a missing key', async () => {
    expect(await subject.store.get(`${ns}/missing.png`)).toBeNull();
  });

  it('replaces an object that is put again', async () => {
    const key = `${ns}/avatar.img`;
    await subject.store.put(key, new Uint8Array([1, 2, 3, 4, 5]), 'image/png');
    await subject.store.put(key, new Uint8Array([9, 8]), 'image/webp');
    expect(await read(key)).toEqual({ contentType: 'image/webp', size: 2, bytes: Buffer.from([9, 8]) });
  });

  it('deletes an object, and deleting a missing key is not an error', async () => {
    const key = `${ns}/gone.png`;
    await subject.store.put(key, new Uint8Array([1]), 'image/png');
    await subject.store.delete(key);
    expect(await subject.store.get(key)).toBeNull();
    expect(await subject.store.list(`${ns}/`)).toEqual([]);
    await expect(subject.store.delete(key)).resolves.toBeUndefined();
    await expect(subject.store.delete(`${ns}/never-existed/x.png`)).resolves.toBeUndefined();
  });

  it('lists only the keys under a prefix, sorted', async () => {
    const keys = [`${ns}/b/2.png`, `${ns}/a/1.png`, `${ns}/b/1.png`, `${ns}/bb.png`, `${ns}-other/b/1.png`];
    for (const key of keys) await subject.store.put(key, new Uint8Array([7]), 'image/png');
    expect(await subject.store.list(`${ns}/b/`)).toEqual([`${ns}/b/1.png`, `${ns}/b/2.png`]);
    // A prefix is a string prefix, not a directory: `b` also matches `bb.png`.
    expect(await subject.store.list(`${ns}/b`)).toEqual([`${ns}/b/1.png`, `${ns}/b/2.png`, `${ns}/bb.png`]);
    expect(await subject.store.list(`${ns}/`)).toEqual([`${ns}/a/1.png`, `${ns}/b/1.png`, `${ns}/b/2.png`, `${ns}/bb.png`]);
    expect(await subject.store.list(`${ns}/c/`)).toEqual([]);
  });

  it('rejects unsafe keys and prefixes without touching anything', async () => {
    await subject.store.put(`${ns}/keep.png`, new Uint8Array([1]), 'image/png');
    const before = await subject.store.list('');
    for (const key of UNSAFE_KEYS) {
      await expect(subject.store.put(key, new Uint8Array([6, 6, 6]), 'image/png'), key).rejects.toThrow(/unsafe blob key/);
      await expect(subject.store.get(key), key).rejects.toThrow(/unsafe blob key/);
      await expect(subject.store.delete(key), key).rejects.toThrow(/unsafe blob key/);
    }
    for (const prefix of ['../', '/etc/', 'avatars/../', 'A']) {
      await expect(subject.store.list(prefix), prefix).rejects.toThrow(/unsafe blob key/);
    }
    expect(await subject.store.list('')).toEqual(before);
    expect(before).toContain(`${ns}/keep.png`);
  });

  it('reports itself healthy', async () => {
    await expect(subject.store.check()).resolves.toBeUndefined();
  });
}
