// Session use-cases other than creation and captures: show, preflight, consent, update, cancel, decide, list.
import { checkStepAction, effectiveStatus, isGone } from '@tessera/flow';
import type { DecisionRequest, Preflight, SessionEvent, SessionUpdate } from '@tessera/protocol';
import { ensureSameAccount, type Caller } from '../accounts/authenticate.ts';
import { loadBranding } from '../accounts/branding.ts';
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { newRecordId } from '../ids.ts';
import { changeSession, loadSessionOrThrow, preflightOf } from './change-session.ts';
import type { SessionRecord } from './session-record.ts';
import { applicantView, linksOf, privateView } from './session-views.ts';
import { listEvents } from './sessions-store.ts';

type ReadDeps = Pick<Deps, 'db' | 'now' | 'publicUrl'>;

/** Loads a session for an applicant call: gone sessions answer 410 (protocol §3). */
export async function loadForApplicant(deps: ReadDeps, sessionId: string): Promise<SessionRecord> {
  const record = await loadSessionOrThrow(deps.db, sessionId);
  const status = effectiveStatus(record.state, deps.now());
  if (isGone(status)) throw new AppError('session_gone', `the session is ${status}`, { details: { status } });
  return record;
}

export async function showSession(deps: ReadDeps, caller: Caller | null, sessionId: string) {
  if (caller?.kind === 'private') {
    const record = await loadSessionOrThrow(deps.db, sessionId);
    ensureSameAccount(caller, record);
    return integratorView(deps, record);
  }
  const record = await loadForApplicant(deps, sessionId);
  return applicantView(record, linksOf(deps.publicUrl, record.id), await loadBranding(deps.db, record.organization_id), deps.now());
}

/** The preflight stays readable on final screens (including cancel_screen), so clients can render them. */
export async function getPreflight(deps: Deps, sessionId: string): Promise<Preflight> {
  const record = await loadSessionOrThrow(deps.db, sessionId);
  if (record.state.status === 'expired' || effectiveStatus(record.state, deps.now()) !== 'expired') return preflightOf(record, deps.now());
  // Past expires_at but not yet recorded: record it now, so cancel_screen comes with a new sequence (clients drop
  // a payload whose sequence is not higher, §5) and is pushed to sockets, instead of waiting for the sweep.
  try {
    await changeSession(deps, sessionId, async () => ({ event: null }));
  } catch (error) {
    if (!(isAppError(error) && error.type === 'session_gone')) throw error;
  }
  return preflightOf(await loadSessionOrThrow(deps.db, sessionId), deps.now());
}

/** The private-key view of a record the caller already holds (after a change: no second read). */
async function integratorView(deps: ReadDeps, record: SessionRecord) {
  return privateView(record, linksOf(deps.publicUrl, record.id), await loadBranding(deps.db, record.organization_id), deps.now());
}

export async function giveConsent(deps: Deps, sessionId: string, given: boolean, context: { ip: string; userAgent: string | null }) {
  const record = await changeSession(deps, sessionId, async (current) => {
    const now = deps.now();
    // Withdrawal is allowed at any point of an open flow; giving consent only on the consent screen (or again, as a no-op).
    if (given && current.state.consent.given !== true) throwIfRejected(checkStepAction(current.state, current.level, now, 'consent'));
    if (isGone(effectiveStatus(current.state, now))) throw new AppError('session_gone', 'the session is no longer open');
    return {
      event: { kind: 'consent', given, at: now.toISOString(), version: current.level.consent_version },
      eventData: { version: current.level.consent_version, ip: context.ip, user_agent: context.userAgent },
    };
  });
  const { consent } = record.state;
  return { session_id: record.id, consent: { given: consent.given ?? given, at: consent.at ?? '', version: consent.version ?? '' } };
}

export async function updateSession(deps: Deps, caller: Caller, sessionId: string, input: SessionUpdate) {
  const record = await changeSession(deps, sessionId, async (current) => {
    ensureSameAccount(caller, current);
    const { generate_qr: _qr, web_sdk_return_url, expires_in, ...fields } = input;
    const applicant = { ...current.applicant };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(applicant, { [key]: value });
    const event = expires_in === undefined ? null
      : { kind: 'extend' as const, expires_at: new Date(deps.now().getTime() + expires_in * 1000).toISOString() };
    const level = web_sdk_return_url === undefined ? undefined : { ...current.level, web_sdk_return_url };
    return { event, applicant, ...(level ? { level } : {}), eventData: { fields: Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined) } };
  });
  return integratorView(deps, record);
}

export async function cancelSession(deps: Deps, caller: Caller, sessionId: string) {
  const record = await changeSession(deps, sessionId, async (current) => {
    ensureSameAccount(caller, current);
    return { event: { kind: 'cancel' } };
  });
  return integratorView(deps, record);
}

export async function decideSession(deps: Deps, caller: Caller, sessionId: string, input: DecisionRequest) {
  const record = await changeSession(deps, sessionId, async (current) => {
    ensureSameAccount(caller, current);
    const decision = { id: newRecordId('dec'), decision: input.decision, reason: input.reason ?? null, steps: input.steps ?? [], at: deps.now().toISOString() };
    return { event: { kind: 'decision', decision }, eventData: { decision_id: decision.id, decision: input.decision, steps: decision.steps } };
  });
  return integratorView(deps, record);
}

export async function sessionEvents(deps: Deps, caller: Caller, sessionId: string): Promise<{ data: SessionEvent[] }> {
  const record = await loadSessionOrThrow(deps.db, sessionId);
  ensureSameAccount(caller, record);
  const rows = await listEvents(deps.db, sessionId);
  return { data: rows.map((r) => ({ id: r.id, event_type: r.event_type, sequence: r.sequence, created_at: r.created_at.toISOString(), data: r.data })) };
}

export function throwIfRejected(rejection: ReturnType<typeof checkStepAction>): void {
  if (rejection) throw new AppError(rejection.type, rejection.message);
}
