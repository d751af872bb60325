// BlobStore on an S3-compatible bucket (AWS S3, MinIO, R2, Ceph, …). Objects are the same sealed envelope as on
// disk (blob-envelope.ts): the bucket only ever sees ciphertext bound to its key. Durability is the store's: put
// resolves on the PUT's 200, which AWS S3 sends once the object is stored across several zones and readable by
// every later GET and LIST. A single PUT replaces an object whole, so no reader sees a torn object (what the fs
// adapter needs rename for). Content-MD5 makes the store refuse a body changed in transit; GCM catches anything
// else at read. Errors never carry S3's own message (s3-error.ts): it can name the key, so a session id.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { AppError } from '../errors/app-error.ts';
import { assertValidBlobKey, isValidBlobKey, type BlobStore } from './blob-store.ts';
import { assertEncryptionKey, openBlob, sealBlob } from './blob-envelope.ts';
import { describeS3Error, isS3NotFound } from './s3-error.ts';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Every object goes under `<prefix>/`, so one bucket can hold several deployments or other data. */
  prefix?: string | undefined;
  /** 32 bytes, see loadOrCreateEncryptionKey. */
  key: Buffer;
  /** For S3-compatible stores (http://minio:9000); undefined: AWS S3 of `region`. */
  endpoint?: string | undefined;
  region: string;
  /** bucket in the path rather than the host name: what MinIO and most self-hosted stores need. */
  forcePathStyle?: boolean | undefined;
  /** undefined: the SDK's standard chain (AWS_* env, shared config/profile, web identity, container or instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  /** Time to open a TCP connection. */
  connectTimeoutMs?: number;
  /** Whole request up to the response head (for a PUT: including the upload), per attempt. */
  requestTimeoutMs?: number;
  /** Longest silence on an open socket, which also bounds a GET body that stalls. */
  socketTimeoutMs?: number;
  /** Tries per operation, with the SDK's backoff, for network errors, 5xx and throttling. */
  maxAttempts?: number;
  /** Keys per ListObjectsV2 page: 1000 is S3's maximum; tests set it small. */
  listPageSize?: number;
}

export interface S3BlobStore extends BlobStore {
  /** HeadBucket: rejects with an operator-readable reason (missing bucket, access denied, wrong region, unreachable). */
  checkBucket(): Promise<void>;
  /** Closes the kept-alive sockets. */
  close(): void;
}

const MAX_PREFIX_LENGTH = 256; // with a 512-character key, well inside S3's 1024-byte key limit

export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  assertEncryptionKey(options.key);
  const encryptionKey = Buffer.from(options.key); // a private copy: the caller may zero or reuse its buffer
  const prefix = options.prefix ?? '';
  if (prefix !== '' && (!isValidBlobKey(prefix) || prefix.length > MAX_PREFIX_LENGTH)) {
    throw new Error(`S3 prefix must be up to ${MAX_PREFIX_LENGTH} characters of key segments ([A-Za-z0-9_.-] separated by "/")`);
  }
  const root = prefix === '' ? '' : `${prefix}/`;
  const Bucket = options.bucket;
  const pageSize = options.listPageSize ?? 1000;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // An upload waits on put, so a hung store must fail it in seconds, not minutes: S3 answers within milliseconds
    // of the last byte, so 10 s of silence is a fault (the SDK arms that timer 3 s into a request), and three tries
    // of a store that never answers fail in about 40 s.
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true, // without it the SDK only logs a warning and the request hangs on
      socketTimeout: options.socketTimeoutMs ?? 10_000,
    },
    // Integrity is our Content-MD5 (which S3, MinIO, R2 and Ceph verify) and the GCM tag. The SDK's newer default
    // CRC checksums are not understood by every compatible store, and add nothing on top of these two.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

  const objectKey = (key: string): string => {
    assertValidBlobKey(key);
    return root + key;
  };

  return {
    async put(key, bytes) {
      const Key = objectKey(key);
      const sealed = sealBlob(encryptionKey, key, bytes);
      const ContentMD5 = createHash('md5').update(sealed).digest('base64');
      await client
        .send(new PutObjectCommand({ Bucket, Key, Body: sealed, ContentLength: sealed.length, ContentMD5, ContentType: 'application/octet-stream' }))
        .catch((error: unknown) => { throw describeS3Error('PutObject', error); });
    },

    async get(key) {
      const Key = objectKey(key);
      let sealed: Buffer;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key }));
        const body = object.Body ? await object.Body.transformToByteArray() : new Uint8Array(0);
        sealed = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      } catch (error) {
        if (isS3NotFound(error)) throw new AppError('not_found', 'stored object not found');
        throw describeS3Error('GetObject', error);
      }
      return openBlob(encryptionKey, key, sealed);
    },

    async delete(key) {
      const Key = objectKey(key);
      // S3 answers 204 for a missing key; some compatible stores answer 404, which is just as final.
      await client.send(new DeleteObjectCommand({ Bucket, Key })).catch((error: unknown) => {
        if (!isS3NotFound(error)) throw describeS3Error('DeleteObject', error);
      });
    },

    async *list(listPrefix) {
      if (listPrefix !== '') assertValidBlobKey(listPrefix); // thrown on the first next(), like any listing error
      const Prefix = listPrefix === '' ? root : `${root}${listPrefix}/`;
      let ContinuationToken: string | undefined;
      do {
        const page = await client
          .send(new ListObjectsV2Command({ Bucket, MaxKeys: pageSize, ...(Prefix ? { Prefix } : {}), ...(ContinuationToken ? { ContinuationToken } : {}) }))
          .catch((error: unknown) => { throw describeS3Error('ListObjectsV2', error); });
        for (const object of page.Contents ?? []) {
          const key = object.Key?.startsWith(root) ? object.Key.slice(root.length) : '';
          if (!isValidBlobKey(key)) continue; // not written by put: another tool's object, or an S3 "folder" marker
          // A missing time (no real S3 omits it) counts as now: the orphan sweep then leaves the object alone.
          yield { key, modifiedAt: object.LastModified ?? new Date() };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    async checkBucket() {
      await client.send(new HeadBucketCommand({ Bucket })).catch((error: unknown) => {
        throw describeS3Error('HeadBucket', error, { bucket: Bucket });
      });
    },

    close() {
      client.destroy();
    },
  };
}
