import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { assertSafeBlobKey, type BlobStore } from '../../ports/blob-store.ts';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Unset: the SDK's usual sources (AWS_REGION, ~/.aws/config). */
  region?: string;
  /** For S3-compatible stores such as MinIO; unset for AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Unset: the SDK's default credential chain (AWS_ACCESS_KEY_ID…, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const bucket = options.bucket;
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Since SDK 3.729 the client adds CRC32 checksums to requests (as aws-chunked trailers for streamed
    // bodies) and validates them on responses, which not every S3-compatible store understands; AWS
    // needs them only where an operation requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

  return {
    name: 'blobStore',
    kind: 's3',

    async put(key, body, contentType) {
      assertSafeBlobKey(key);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },

    async get(key) {
      assertSafeBlobKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        // In Node the SDK's body is an http.IncomingMessage; anything else means a non-Node runtime.
        if (!(object.Body instanceof Readable)) throw new Error('S3 returned a body that is not a Node stream');
        return {
          body: object.Body,
          contentType: object.ContentType ?? 'application/octet-stream',
          size: object.ContentLength ?? 0,
        };
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },

    async delete(key) {
      assertSafeBlobKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async list(prefix) {
      // A prefix is acceptable when some safe key could start with it (the same rule as the disk store).
      assertSafeBlobKey(`${prefix}x`);
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      }
      // S3 lists in UTF-8 byte order, which for safe (ASCII) keys is already the order sort() gives.
      return keys;
    },

    async check() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },

    async close() {
      client.destroy();
    },
  };
}
