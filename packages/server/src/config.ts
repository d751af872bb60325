// Configuration from the environment, read only by the composition root and the CLI. Every knob has a default
// that runs the whole product on one machine (embedded PostgreSQL, files on disk, in-process bus).
import { resolve } from 'node:path';
import { isValidBlobKey } from './blobs/blob-store.ts';
import type { NotifierSettings } from './notifiers/build-notifiers.ts';

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  /** null: start the embedded PostgreSQL under dataDir. */
  databaseUrl: string | null;
  bus: 'memory' | 'postgres' | 'redis';
  /** Set exactly when bus is 'redis'. channel undefined: the adapter's default. */
  redis: { url: string; channel: string | undefined } | null;
  /** Where capture bytes go: files under dataDir, or an S3-compatible bucket. */
  blobStore: 'fs' | 's3';
  /** Set exactly when blobStore is 's3'. */
  s3: S3Settings | null;
  encryptionKey: string | undefined;
  pinnedKeys: { public?: string; private?: string; sandboxPublic?: string; sandboxPrivate?: string };
  levelsFile: string | null;
  maxUploadBytes: number;
  rateLimits: { perKeyPerMinute: number; perSessionPerMinute: number; perAddressPerMinute: number };
  corsOrigins: string[] | '*';
  trustProxy: boolean;
  /** TESSERA_DB_PREPARED_STATEMENTS=false: for PgBouncer < 1.21 in transaction mode (see pg-db.ts). */
  preparedStatements: boolean;
  logLevel: string;
  expirySweepSeconds: number;
  /** Minutes between sweeps for blobs no database row refers to (blobs/sweep-orphan-blobs.ts). */
  blobSweepMinutes: number;
  jobPollSeconds: number;
  /** TESSERA_OTP_SECRET; undefined: generated into <dataDir>/otp.key. */
  otpSecret: string | undefined;
  /** Delivery tries of a verification code before the applicant is told it failed. */
  otpDeliveryAttempts: number;
  notifiers: NotifierSettings;
  webhooks: { signingKeyPem: string | undefined; retryBaseMs: number; pollMs: number };
  /** Serve the /demo integrator page: on in embedded mode (no DATABASE_URL) unless TESSERA_DEMO=false, or with TESSERA_DEMO=true. */
  demo: boolean;
}

export interface S3Settings {
  bucket: string;
  /** undefined: AWS S3 itself. */
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  prefix: string | undefined;
  /** From AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; undefined: the SDK's chain (profile, web identity, container or instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined } | undefined;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

const text = (env: Env, name: string): string | undefined => (env[name] === '' ? undefined : env[name]);

export function readConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000);
  const host = text(env, 'HOST') ?? '0.0.0.0';
  const publicUrl = (text(env, 'TESSERA_PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) throw new Error(`TESSERA_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  const databaseUrl = text(env, 'DATABASE_URL') ?? null;
  const bus = text(env, 'TESSERA_BUS') ?? (databaseUrl ? 'postgres' : 'memory');
  if (bus !== 'memory' && bus !== 'postgres' && bus !== 'redis') throw new Error(`TESSERA_BUS must be memory, postgres or redis, got "${bus}"`);
  const redis = bus === 'redis' ? readRedisSettings(env) : null;
  const origins = text(env, 'TESSERA_CORS_ORIGINS') ?? '*';
  const blobStore = text(env, 'TESSERA_BLOB_STORE') ?? 'fs';
  if (blobStore !== 'fs' && blobStore !== 's3') throw new Error(`TESSERA_BLOB_STORE must be fs or s3, got "${blobStore}"`);
  return {
    host,
    port,
    publicUrl,
    dataDir: resolve(text(env, 'TESSERA_DATA_DIR') ?? './data'),
    databaseUrl,
    bus,
    redis,
    blobStore,
    s3: blobStore === 's3' ? readS3Settings(env) : null,
    encryptionKey: text(env, 'TESSERA_ENCRYPTION_KEY'),
    pinnedKeys: {
      ...(text(env, 'TESSERA_PUBLIC_KEY') ? { public: text(env, 'TESSERA_PUBLIC_KEY') } : {}),
      ...(text(env, 'TESSERA_PRIVATE_KEY') ? { private: text(env, 'TESSERA_PRIVATE_KEY') } : {}),
      ...(text(env, 'TESSERA_SANDBOX_PUBLIC_KEY') ? { sandboxPublic: text(env, 'TESSERA_SANDBOX_PUBLIC_KEY') } : {}),
      ...(text(env, 'TESSERA_SANDBOX_PRIVATE_KEY') ? { sandboxPrivate: text(env, 'TESSERA_SANDBOX_PRIVATE_KEY') } : {}),
    },
    levelsFile: text(env, 'TESSERA_LEVELS_FILE') ?? null,
    maxUploadBytes: int(env, 'TESSERA_MAX_UPLOAD_BYTES', 15 * 1024 * 1024, 1024),
    rateLimits: {
      perKeyPerMinute: int(env, 'TESSERA_RATE_LIMIT_PER_KEY', 1200, 1),
      perSessionPerMinute: int(env, 'TESSERA_RATE_LIMIT_PER_SESSION', 300, 1),
      perAddressPerMinute: int(env, 'TESSERA_RATE_LIMIT_PER_ADDRESS', 600, 1),
    },
    corsOrigins: origins === '*' ? '*' : origins.split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy: env.TESSERA_TRUST_PROXY === 'true',
    preparedStatements: env.TESSERA_DB_PREPARED_STATEMENTS !== 'false',
    logLevel: text(env, 'LOG_LEVEL') ?? 'info',
    expirySweepSeconds: int(env, 'TESSERA_EXPIRY_SWEEP_SECONDS', 30, 1),
    blobSweepMinutes: int(env, 'TESSERA_BLOB_SWEEP_MINUTES', 60, 1),
    jobPollSeconds: int(env, 'TESSERA_JOB_POLL_SECONDS', 2, 1),
    otpSecret: text(env, 'TESSERA_OTP_SECRET'),
    // At most 8: the job queue retries a job 8 times, and the last try must still be able to tell the applicant.
    otpDeliveryAttempts: Math.min(8, int(env, 'TESSERA_OTP_DELIVERY_ATTEMPTS', 3, 1)),
    notifiers: readNotifierSettings(env, publicUrl),
    webhooks: {
      signingKeyPem: text(env, 'TESSERA_WEBHOOK_SIGNING_KEY'),
      retryBaseMs: int(env, 'TESSERA_WEBHOOK_RETRY_BASE_MS', 10_000, 100),
      pollMs: int(env, 'TESSERA_WEBHOOK_POLL_MS', 1000, 50),
    },
    demo: env.TESSERA_DEMO === 'true' || (env.TESSERA_DEMO !== 'false' && databaseUrl === null),
  };
}

/** The URL may carry a password, so errors name the variable and never echo its value. */
function readRedisSettings(env: Env): { url: string; channel: string | undefined } {
  const url = text(env, 'TESSERA_REDIS_URL');
  if (!url) throw new Error('TESSERA_BUS=redis needs TESSERA_REDIS_URL (redis://[user:password@]host[:port][/db] or rediss:// for TLS)');
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
    throw new Error('TESSERA_REDIS_URL must be a redis:// or rediss:// URL with a host');
  }
  return { url, channel: text(env, 'TESSERA_REDIS_CHANNEL') };
}

/** Bucket, region and path style are echoed in errors; the endpoint and the AWS keys never are. */
function readS3Settings(env: Env): S3Settings {
  const bucket = text(env, 'TESSERA_S3_BUCKET');
  if (!bucket) throw new Error('TESSERA_BLOB_STORE=s3 needs TESSERA_S3_BUCKET');
  // S3's rules, loosened to the uppercase and underscores that old buckets and some compatible stores allow.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/.test(bucket)) {
    throw new Error(`TESSERA_S3_BUCKET must be a bucket name (3 to 63 letters, digits, ".", "-" or "_"), got "${bucket}"`);
  }
  // A key generated into the data dir would leave the bucket readable by this machine only, and lost with its disk.
  if (!text(env, 'TESSERA_ENCRYPTION_KEY')) {
    throw new Error('TESSERA_BLOB_STORE=s3 needs TESSERA_ENCRYPTION_KEY (32 bytes as base64 or hex, e.g. from `openssl rand -base64 32`), kept in your secret store: every process reading the bucket needs the same key');
  }
  const endpoint = text(env, 'TESSERA_S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new Error('TESSERA_S3_ENDPOINT must be an http(s) URL such as http://minio:9000'); // not echoed: a URL can hold a password
  }
  const region = text(env, 'TESSERA_S3_REGION') ?? 'us-east-1';
  if (!/^[A-Za-z0-9-]+$/.test(region)) throw new Error(`TESSERA_S3_REGION must be a region name such as eu-west-1 (or auto on R2), got "${region}"`);
  const pathStyle = text(env, 'TESSERA_S3_FORCE_PATH_STYLE') ?? 'false';
  if (pathStyle !== 'true' && pathStyle !== 'false') throw new Error(`TESSERA_S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  const prefix = text(env, 'TESSERA_S3_PREFIX')?.replace(/^\/+|\/+$/g, '') || undefined;
  // At most 256 characters: s3-blob-store.ts keeps prefix + key inside S3's 1024-byte keys.
  if (prefix !== undefined && (!isValidBlobKey(prefix) || prefix.length > 256)) {
    throw new Error('TESSERA_S3_PREFIX must be up to 256 characters of segments of [A-Za-z0-9_.-] separated by "/", none starting with "."');
  }
  const accessKeyId = text(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = text(env, 'AWS_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: set both, or neither to use the AWS credential chain (profile, web identity, container or instance role)');
  }
  return {
    bucket,
    endpoint,
    region,
    forcePathStyle: pathStyle === 'true',
    prefix,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: text(env, 'AWS_SESSION_TOKEN') } : undefined,
  };
}

/** SMTP for e-mail; Twilio or a signed webhook for SMS; whatever is left unset goes to the outbox. */
function readNotifierSettings(env: Env, publicUrl: string): NotifierSettings {
  const smtpUrl = text(env, 'TESSERA_SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error('TESSERA_SMTP_URL must start with smtp:// or smtps://');
  const sid = text(env, 'TESSERA_TWILIO_ACCOUNT_SID');
  const token = text(env, 'TESSERA_TWILIO_AUTH_TOKEN');
  const from = text(env, 'TESSERA_TWILIO_FROM');
  const twilioCount = [sid, token, from].filter((v) => v !== undefined).length;
  if (twilioCount > 0 && twilioCount < 3) {
    throw new Error('Twilio needs all of TESSERA_TWILIO_ACCOUNT_SID, TESSERA_TWILIO_AUTH_TOKEN and TESSERA_TWILIO_FROM');
  }
  const webhookUrl = text(env, 'TESSERA_SMS_WEBHOOK_URL');
  const webhookSecret = text(env, 'TESSERA_SMS_WEBHOOK_SECRET');
  if (webhookUrl && !/^https?:\/\//.test(webhookUrl)) throw new Error('TESSERA_SMS_WEBHOOK_URL must be an http(s) URL');
  if (webhookUrl && (webhookSecret ?? '').length < 16) throw new Error('TESSERA_SMS_WEBHOOK_URL needs a TESSERA_SMS_WEBHOOK_SECRET of 16 or more characters');
  if (webhookUrl && twilioCount > 0) throw new Error('configure one SMS provider: Twilio or TESSERA_SMS_WEBHOOK_URL, not both');
  return {
    smtp: smtpUrl ? { url: smtpUrl, from: text(env, 'TESSERA_SMTP_FROM') ?? `Tessera <no-reply@${new URL(publicUrl).hostname}>` } : null,
    twilio: sid && token && from ? { accountSid: sid, authToken: token, from, baseUrl: text(env, 'TESSERA_TWILIO_BASE_URL') ?? 'https://api.twilio.com' } : null,
    smsWebhook: webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : null,
    printOutbox: env.TESSERA_OUTBOX_PRINT !== 'false',
  };
}
