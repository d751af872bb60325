// A stored object that exists but cannot be opened. Distinct from not_found on purpose: it means
// tampering, a torn/foreign file or a wrong encryption key, which an operator must look at.
export class BlobIntegrityError extends Error {
  readonly code = 'blob_integrity';

  constructor(reason: string) {
    // No key in the message: keys embed session ids (bearer capabilities) and messages end up in logs.
    super(`stored object cannot be opened: ${reason}`);
    this.name = 'BlobIntegrityError';
  }
}

export const isBlobIntegrityError = (error: unknown): error is BlobIntegrityError => error instanceof BlobIntegrityError;
