import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobStoreContract, UNSAFE_KEYS } from '../../../test/contracts/blob-store.contract.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import { createDiskBlobStore } from './disk-blob-store.ts';

describe('disk blob store', () => {
  blobStoreContract(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'yc-blobs-'));
    const store = createDiskBlobStore({ root: path.join(dir, 'blobs') });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });

  describe('on disk', () => {
    // `dir` holds `data/blobs` (the root, two levels down so '../../x' still lands in `dir`) and `outside`,
    // which holds a secret the store must never reach.
    let dir: string;
    let root: string;
    let outside: string;
    let store: BlobStore;

    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'yc-blobs-'));
      root = path.join(dir, 'data', 'blobs');
      outside = path.join(dir, 'outside');
      await mkdir(root, { recursive: true });
      await mkdir(outside);
      await writeFile(path.join(outside, 'secret.png'), 'secret');
      store = createDiskBlobStore({ root });
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('keeps blobs and content types across instances, and lists no sidecars', async () => {
      await store.put('avatars/u1/a.png', new Uint8Array([1, 2, 3]), 'image/png');
      const again = createDiskBlobStore({ root });
      const blob = await again.get('avatars/u1/a.png');
      expect(blob?.contentType).toBe('image/png');
      expect(await buffer(blob!.body)).toEqual(Buffer.from([1, 2, 3]));
      expect(await again.list('')).toEqual(['avatars/u1/a.png']);
      expect((await readdir(path.join(root, 'avatars/u1'))).sort()).toEqual(['a.png', 'a.png~meta.json']);
    });

    it('cannot read or write through a symlinked directory that leads outside the root', async () => {
      await symlink(outside, path.join(root, 'avatars'));
      await expect(store.get('avatars/secret.png')).rejects.toThrow(/outside the store/);
      await expect(store.put('avatars/planted.png', new Uint8Array([1]), 'image/png')).rejects.toThrow(/outside the store/);
      await expect(store.delete('avatars/secret.png')).rejects.toThrow(/outside the store/);
      await expect(store.list('avatars/')).rejects.toThrow(/outside the store/);
      expect(await store.list('')).toEqual([]);
      expect((await readdir(outside)).sort()).toEqual(['secret.png']);
    });

    it('cannot read a symlinked file that leads outside the root', async () => {
      await mkdir(path.join(root, 'avatars'));
      await symlink(path.join(outside, 'secret.png'), path.join(root, 'avatars/secret.png'));
      await writeFile(path.join(root, 'avatars/secret.png~meta.json'), JSON.stringify({ contentType: 'image/png' }));
      await expect(store.get('avatars/secret.png')).rejects.toThrow(/ELOOP/);
      expect(await store.list('')).toEqual([]);
    });

    it('touches nothing outside the root for keys that try to escape it', async () => {
      for (const key of UNSAFE_KEYS) {
        await expect(store.put(key, new Uint8Array([6]), 'image/png')).rejects.toThrow(/unsafe blob key/);
      }
      await expect(store.get('../outside/secret.png')).rejects.toThrow(/unsafe blob key/);
      await expect(store.delete('../outside/secret.png')).rejects.toThrow(/unsafe blob key/);
      expect((await readdir(dir)).sort()).toEqual(['data', 'outside']);
      expect(await readdir(path.join(dir, 'data'))).toEqual(['blobs']);
      expect((await readdir(outside)).sort()).toEqual(['secret.png']);
    });

    it('reports a root it cannot write to', async () => {
      // A file where the directory should be fails for any user (chmod would not stop root, as in CI).
      const notADir = path.join(dir, 'file');
      await writeFile(notADir, '');
      await expect(createDiskBlobStore({ root: notADir }).check()).rejects.toThrow();
    });
  });
});
