// Capture records in SQL; the bytes themselves live encrypted in the blob store under `blob_key`.
import type { StepType } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';

export interface MediaRecord {
  id: string;
  session_id: string;
  requirement_type: StepType;
  app_screen: string | null;
  content_type: string;
  byte_size: number;
  sha256: string;
  blob_key: string;
  metadata: Record<string, unknown>;
}

export async function insertMedia(db: Db, media: MediaRecord): Promise<void> {
  await db.query(
    `INSERT INTO media (id, session_id, requirement_type, app_screen, content_type, byte_size, sha256, blob_key, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [media.id, media.session_id, media.requirement_type, media.app_screen, media.content_type, media.byte_size,
      media.sha256, media.blob_key, JSON.stringify(media.metadata)],
  );
}

export async function findMedia(db: Db, sessionId: string, mediaId: string): Promise<MediaRecord | null> {
  const { rows } = await db.query<MediaRecord & Record<string, unknown>>(
    `SELECT id, session_id, requirement_type, app_screen, content_type, byte_size, sha256, blob_key, metadata
     FROM media WHERE session_id = $1 AND id = $2`,
    [sessionId, mediaId],
  );
  return rows[0] ?? null;
}
