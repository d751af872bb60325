// GET /v1/sessions: newest first, keyset pagination with an opaque cursor.
import type { z } from 'zod';
import type { sessionListQuery } from '@tessera/protocol';
import type { Caller } from '../accounts/authenticate.ts';
import { loadBranding } from '../accounts/branding.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { linksOf, privateView } from './session-views.ts';
import { listSessions } from './sessions-store.ts';

function decodeCursor(cursor: string): { created_at: string; id: string } {
  try {
    const [created_at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    // Exactly what next_cursor holds: anything else (e.g. a date JavaScript reads but PostgreSQL does not) is refused here.
    const exact = typeof created_at === 'string' && !Number.isNaN(Date.parse(created_at)) && new Date(created_at).toISOString() === created_at;
    if (exact && typeof id === 'string' && id.length <= 64) return { created_at, id };
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_request', 'cursor is not one this API returned');
}

export async function sessionList(deps: Deps, caller: Caller, query: z.infer<typeof sessionListQuery>) {
  const rows = await listSessions(deps.db, caller.organization_id, caller.mode, {
    ...query,
    ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const branding = await loadBranding(deps.db, caller.organization_id);
  const last = page.at(-1);
  const hasMore = rows.length > query.limit;
  return {
    data: page.map((r) => privateView(r, linksOf(deps.publicUrl, r.id), branding, deps.now())),
    has_more: hasMore,
    next_cursor: hasMore && last ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url') : null,
  };
}
