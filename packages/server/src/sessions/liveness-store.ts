// Liveness challenges: random, single-use, short-lived, bound to one session.
import type { Db } from '../storage/db.ts';

export interface Challenge {
  kind: 'head_turn';
  sequence: ('left' | 'right' | 'up' | 'down')[];
  nonce: string;
  frame_count: number;
}

export interface ChallengeRecord extends Record<string, unknown> {
  id: string;
  session_id: string;
  challenge: Challenge;
  expires_at: Date;
  used_at: Date | null;
}

export async function insertChallenge(db: Db, c: Omit<ChallengeRecord, 'used_at'>): Promise<void> {
  await db.query('INSERT INTO liveness_challenges (id, session_id, challenge, expires_at) VALUES ($1, $2, $3, $4)', [
    c.id, c.session_id, JSON.stringify(c.challenge), c.expires_at,
  ]);
}

export async function findChallengeForUpdate(db: Db, id: string): Promise<ChallengeRecord | null> {
  const { rows } = await db.query<ChallengeRecord>(
    'SELECT id, session_id, challenge, expires_at, used_at FROM liveness_challenges WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0] ?? null;
}

export async function markChallengeUsed(db: Db, id: string, at: Date): Promise<void> {
  await db.query('UPDATE liveness_challenges SET used_at = $2 WHERE id = $1', [id, at]);
}
