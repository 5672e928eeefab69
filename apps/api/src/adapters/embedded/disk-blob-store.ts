import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { assertSafeBlobKey, type BlobStore } from '../../ports/blob-store.ts';

// Safe keys never contain '~', so sidecars and temp files named with it can never collide with a blob.
const MARK = '~';
const metaFileOf = (file: string) => `${file}${MARK}meta.json`;

interface Meta {
  contentType: string;
}

/**
 * Blobs as plain files under `root`, each with a `<file>~meta.json` sidecar holding its content type.
 * Nothing outside `root` is ever read or written: keys are checked, and so is where symlinks lead.
 */
export function createDiskBlobStore(options: { root: string }): BlobStore {
  const configuredRoot = path.resolve(options.root);
  let realRoot: Promise<string> | undefined;

  /** Resolved once, because the root itself may be a symlink (e.g. DATA_DIR on another disk). */
  function rootPath(): Promise<string> {
    realRoot ??= mkdir(configuredRoot, { recursive: true })
      .then(() => realpath(configuredRoot))
      .catch((error: unknown) => {
        realRoot = undefined; // let a later call retry, e.g. after the disk is mounted
        throw error;
      });
    return realRoot;
  }

  /** The file for a key, inside the root even through symlinked directories; null when its directory is missing. */
  function fileFor(key: string, create: true): Promise<string>;
  function fileFor(key: string, create: false): Promise<string | null>;
  async function fileFor(key: string, create: boolean): Promise<string | null> {
    assertSafeBlobKey(key);
    const root = await rootPath();
    const file = path.resolve(root, key);
    assertInside(root, file, key);
    const dir = path.dirname(file);
    // A symlinked ancestor could make mkdir create empty directories elsewhere; the check below still
    // stops anything from being written there.
    if (create) await mkdir(dir, { recursive: true });
    let realDir: string;
    try {
      realDir = await realpath(dir);
    } catch (error) {
      if (!create && isMissing(error)) return null;
      throw error;
    }
    assertInside(root, realDir, key);
    return path.join(realDir, path.basename(file));
  }

  return {
    name: 'blobStore',
    kind: 'disk',

    async put(key, body, contentType) {
      const file = await fileFor(key, true);
      const tmp = `${file}${MARK}${randomUUID()}`;
      try {
        // 'wx' (O_EXCL) never follows a symlink planted at the temp name.
        await writeFile(`${tmp}.meta`, JSON.stringify({ contentType } satisfies Meta), { flag: 'wx' });
        await writeFile(`${tmp}.data`, body, { flag: 'wx' });
        // Renames replace atomically, so a reader sees the old blob or the new one, never half a file.
        // Meta goes first so data never exists without a content type; the brief window in which an
        // overwrite pairs new meta with old data does not matter for keys written once (a uuid each).
        await rename(`${tmp}.meta`, metaFileOf(file));
        await rename(`${tmp}.data`, file);
      } finally {
        await Promise.all([rm(`${tmp}.meta`, { force: true }), rm(`${tmp}.data`, { force: true })]);
      }
    },

    async get(key) {
      const file = await fileFor(key, false);
      if (file === null) return null;
      const metaHandle = await openFile(metaFileOf(file));
      if (metaHandle === null) return null;
      let meta: Meta;
      try {
        meta = JSON.parse(await metaHandle.readFile('utf8')) as Meta;
      } finally {
        await metaHandle.close();
      }
      const handle = await openFile(file);
      if (handle === null) return null;
      try {
        // The size of the file we opened, even if a concurrent put has since renamed a new one into place.
        const { size } = await handle.stat();
        return { body: handle.createReadStream(), contentType: meta.contentType, size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async delete(key) {
      const file = await fileFor(key, false);
      if (file === null) return;
      // Data first, so a reader never finds data without its content type.
      await rm(file, { force: true });
      await rm(metaFileOf(file), { force: true });
    },

    async list(prefix) {
      // A prefix is acceptable when some safe key could start with it.
      assertSafeBlobKey(`${prefix}x`);
      const root = await rootPath();
      const dirKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      let start: string;
      try {
        start = await realpath(path.resolve(root, dirKey));
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
      assertInside(root, start, prefix);
      const keys: string[] = [];
      await collectKeys(start, dirKey, prefix, keys);
      return keys.sort();
    },

    async check() {
      const probe = path.join(await rootPath(), `${MARK}check-${randomUUID()}`);
      await writeFile(probe, '', { flag: 'wx' });
      await rm(probe);
    },

    close: async () => {},
  };
}

function assertInside(root: string, target: string, key: string): void {
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new Error(`blob key leads outside the store: ${JSON.stringify(key)}`);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Opens a file for reading without following a symlink at its last component (ELOOP); null when missing. */
async function openFile(file: string): Promise<FileHandle | null> {
  try {
    return await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function collectKeys(dir: string, dirKey: string, prefix: string, into: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.includes(MARK)) continue;
    const key = dirKey + entry.name;
    // Dirent reports a symlink as neither file nor directory, so the walk never leaves the store.
    // It starts at the prefix's last '/', so only this level can fall outside the prefix.
    if (entry.isFile() && key.startsWith(prefix)) into.push(key);
    else if (entry.isDirectory() && `${key}/`.startsWith(prefix)) {
      await collectKeys(path.join(dir, entry.name), `${key}/`, prefix, into);
    }
  }
}
