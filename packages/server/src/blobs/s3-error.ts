// Turns an AWS SDK error into one an operator can act on and a log can hold. S3's own message is dropped on purpose:
// AccessDenied names the object's ARN, so its key, so a session id (a bearer capability); the SDK error object also
// carries the raw response. What is kept: the S3 error code or the network error code, the HTTP status, the tries.

export class S3BlobStoreError extends Error {
  /** The S3 error code (AccessDenied, NoSuchBucket, …) or the network one (ECONNREFUSED, TimeoutError, …). */
  readonly code: string;
  readonly status: number | undefined;

  constructor(message: string, code: string, status: number | undefined) {
    super(message);
    this.name = 'S3BlobStoreError';
    this.code = code;
    this.status = status;
  }
}

interface SdkErrorFields {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
}

const fieldsOf = (error: unknown): SdkErrorFields => (typeof error === 'object' && error !== null ? error : {});
const statusOf = (error: unknown): number | undefined => {
  const status = fieldsOf(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
};

/** "No such object" — and not "no such bucket", which is a misconfiguration, not a missing capture. */
export function isS3NotFound(error: unknown): boolean {
  const { name } = fieldsOf(error);
  return name === 'NoSuchKey' || (name === 'NotFound' && statusOf(error) === 404);
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT', 'TimeoutError']);

function hintFor(code: string, status: number | undefined): string | undefined {
  if (NETWORK_CODES.has(code)) return 'the S3 endpoint is unreachable or not answering';
  if (code === 'EPROTO' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT')) {
    return 'TLS failed: check the endpoint\'s scheme (http or https) and its certificate';
  }
  if (code === 'CredentialsProviderError') return 'no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the process a profile or role';
  if (code === 'NoSuchBucket' || (code === 'NotFound' && status === 404)) return 'the bucket does not exist';
  if (['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException'].includes(code) || status === 301) {
    return 'the bucket is in another region than the one configured';
  }
  if (['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch'].includes(code) || status === 403) {
    return 'access denied: check the credentials and the bucket policy';
  }
  return undefined;
}

export function describeS3Error(operation: string, error: unknown, context: { bucket?: string } = {}): S3BlobStoreError {
  const fields = fieldsOf(error);
  const code = typeof fields.code === 'string' && fields.code !== '' ? fields.code : typeof fields.name === 'string' ? fields.name : 'unknown error';
  const status = statusOf(error);
  const attempts = typeof fields.$metadata?.attempts === 'number' ? fields.$metadata.attempts : 1;
  const hint = hintFor(code, status);
  const message = [
    `S3 ${operation}${context.bucket ? ` on bucket "${context.bucket}"` : ''} failed: ${code}`,
    status ? ` (HTTP ${status})` : '',
    attempts > 1 ? ` after ${attempts} attempts` : '',
    hint ? `; ${hint}` : '',
  ].join('');
  return new S3BlobStoreError(message, code, status);
}
