import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realServicesEnv, startTestServer, type TestServer } from './harness.ts';
import { describeWithServices } from './services.ts';

export interface RunningS3rver {
  bucket: string;
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The same connection as server env vars (config.ts), for startTestServer. */
  env: Record<string, string>;
  close(): Promise<void>;
}

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

/** An in-process S3 on 127.0.0.1:0 with one empty bucket; a fresh directory, so nothing is shared between files. */
export async function startS3rver(bucket = 'youngchat-test'): Promise<RunningS3rver> {
  const undoPatch = letS3rverPaginate();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yc-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    undoPatch();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'us-east-1';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    bucket,
    region,
    endpoint,
    credentials,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: region,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
      undoPatch();
    },
  };
}

/**
 * Runs a suite twice: on an embedded server (files on disk), and on the real services with S3 (s3rver), so both
 * BlobStores are tried by the same tests. The suite reads its server through the getter.
 */
export async function describeOnBothBlobStores(name: string, suite: (getServer: () => TestServer) => void): Promise<void> {
  describe(`${name}, embedded mode (disk blobs)`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server?.close());

    it('stores blobs on disk', () => expect(server.deps.blobStore.kind).toBe('disk'));
    suite(() => server);
  });

  await describeWithServices(`${name}, real services + S3 (s3rver)`, ['postgres', 'redis', 'rabbitmq'], () => {
    let s3: RunningS3rver;
    let server: TestServer;
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      s3 = await startS3rver();
      const real = await realServicesEnv();
      cleanup = real.cleanup;
      server = await startTestServer({ ...real.env, ...s3.env });
    });
    afterAll(async () => {
      await server?.close();
      await cleanup?.();
      await s3?.close();
    });

    it('stores blobs in S3', () => expect(server.deps.blobStore.kind).toBe('s3'));
    suite(() => server);
  });
}
