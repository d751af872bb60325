// Property-style: seeded random walks of applicant actions, check verdicts and operator events never produce a
// preflight outside the protocol schema, never lower `sequence`, and keep the engine's promises to each other.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { preflight as preflightSchema, screenShow, sessionStatus } from '@tessera/protocol';
import type { DocumentType, StepType } from '@tessera/protocol';
import { applyFlowEvent } from './apply-flow-event.ts';
import { checkStepAction } from './check-step-action.ts';
import { newSessionState } from './new-session-state.ts';
import type { FlowEvent, FlowLevel, SessionState, StepAction } from './types.ts';
import {
  AFTER_EXPIRY, ALL_DOCUMENT_TYPES, CODE_SENT, EXPIRES_AT, NOW, SCREENS, back, basic, capture, checked, chip, consent, contact, decide, front, full,
  hidden, makeLevel, preflightOf, selfie, selfieFirst, started, verified,
} from './test-fixtures.ts';
import type { Outcome } from './test-fixtures.ts';

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNS = 500;
const MAX_STEPS = 80;
const passportsOnly = makeLevel([['identity_document', 100], ['liveness', 200]], { accepted_document_types: ['passport'] });
const LEVELS: FlowLevel[] = [full, basic, contact, chip, selfie, selfieFirst, hidden, passportsOnly];
const ACTIONS: StepAction[] = [
  'consent', 'media_front', 'media_back', 'liveness_start', 'liveness_complete', 'address', 'funds',
  'phone_send', 'phone_check', 'email_send', 'email_check', 'nfc',
];
const OUTCOMES: Outcome[] = ['accepted', 'accepted', 'accepted', 'received', 'needs_resubmission', 'rejected'];
const REASONS = ['blurry', 'glare', 'cropped', 'mrz_unreadable', 'face_not_found', 'document_expired'];

function walk(seed: number, seen: { screens: Set<string>; statuses: Set<string> }): void {
  const rng = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const level = pick(LEVELS);
  const types = level.steps.map((s) => s.type);
  let state: SessionState = newSessionState(level, EXPIRES_AT);
  const media: Array<{ requirement: StepType; id: string }> = [];
  const trace: string[] = [];
  const fail = (why: string): never => assert.fail(`seed ${seed}: ${why}\n  ${trace.join('\n  ')}`);
  let n = 0;
  const newMedia = (requirement: StepType) => {
    const id = `media_${++n}`;
    media.push({ requirement, id });
    return id;
  };

  const eventFor = (action: StepAction): FlowEvent => {
    switch (action) {
      case 'consent': return consent(rng() < 0.93);
      case 'media_front': return front(newMedia('identity_document'), rng() < 0.15 ? undefined : pick(ALL_DOCUMENT_TYPES as readonly DocumentType[]));
      case 'media_back': return back(newMedia('identity_document'));
      case 'liveness_start': return started('liveness', { liveness_id: `liv_${n}` });
      case 'liveness_complete': return capture('liveness', newMedia('liveness'));
      case 'address': return capture('proof_of_address', newMedia('proof_of_address'));
      case 'funds': return capture('proof_of_funds', newMedia('proof_of_funds'));
      case 'nfc': return capture('nfc', newMedia('nfc'));
      case 'phone_send': return started('phone_verification', CODE_SENT);
      case 'phone_check': return verified('phone_verification');
      case 'email_send': return started('email_verification', { code_sent: true });
      case 'email_check': return verified('email_verification');
    }
  };

  const checkAll = (s: SessionState, at: string) => {
    for (const now of [NOW, AFTER_EXPIRY]) {
      const payload = preflightOf(s, level, now);
      seen.screens.add(payload.screen.show);
      seen.statuses.add(s.status);
      const parsed = preflightSchema.safeParse(payload);
      if (!parsed.success) fail(`${at}: preflight at ${now.toISOString()} fails the schema: ${parsed.error.message}`);
      if (payload.sequence !== s.sequence) fail(`${at}: preflight sequence ${payload.sequence} ≠ state ${s.sequence}`);
      const type = payload.requirement?.requirement_type;
      if (type && type !== 'consent' && payload.screen.parameters !== SCREENS[type]) fail(`${at}: ${payload.screen.show} carries another step's parameters`);
      if (!level.show_result && (payload.screen.show === 'successful_screen' || payload.screen.show === 'rejected_screen')) fail(`${at}: result leaked`);
      if (payload.screen.show === 'completed_screen' && payload.extra_data.result !== 'completed') fail(`${at}: completed_screen without result completed`);
    }
  };

  checkAll(state, 'start');
  for (let step = 0; step < MAX_STEPS; step++) {
    const roll = rng();
    let event: FlowEvent;
    if (roll < 0.62) {
      // An applicant action: mostly one that belongs to the screen, sometimes any; the engine only sees those the check lets through.
      const screen = preflightOf(state, level, NOW).screen.show;
      const fitting = ACTIONS.filter((a) => checkStepAction(state, level, NOW, a) === null);
      const action = fitting.length > 0 && rng() < 0.85 ? pick(fitting) : pick(ACTIONS);
      const now = rng() < 0.05 ? AFTER_EXPIRY : NOW;
      const rejection = checkStepAction(state, level, now, action);
      trace.push(`${action} on ${screen}${now === AFTER_EXPIRY ? ' (late)' : ''} → ${rejection?.type ?? 'allowed'}`);
      if (rejection) continue;
      event = eventFor(action);
    } else if (roll < 0.9) {
      if (media.length === 0) continue;
      const m = rng() < 0.8 ? media.at(-1)! : pick(media);
      const outcome = pick(OUTCOMES);
      event = checked(m.requirement, m.id, outcome, outcome === 'needs_resubmission' ? [pick(REASONS)] : undefined);
    } else if (roll < 0.96) {
      const kind = pick(['approved', 'rejected', 'resubmission'] as const);
      const steps = types.filter(() => rng() < 0.4);
      if (rng() < 0.1) steps.push('nfc');
      event = decide(kind, steps, rng() < 0.5 ? 'operator note' : null);
    } else {
      event = rng() < 0.5 ? { kind: 'cancel' } : { kind: 'expire' };
    }

    const result = applyFlowEvent(state, event, level);
    trace.push(`  ${JSON.stringify(event)} → ${result.ok ? `ok ${result.events.join(',') || '(no-op)'}` : result.rejection.type}`);
    if (!result.ok) {
      if (trace.at(-2)?.endsWith('allowed') && result.rejection.type !== 'validation_error') fail('an action the check allowed was refused');
      continue;
    }
    const { state: next, events } = result;
    if (next.sequence < state.sequence) fail('sequence went down');
    if (next === state) {
      if (events.length > 0) fail('a no-op recorded events');
    } else if (next.sequence !== state.sequence + 1) {
      fail(`a change moved sequence by ${next.sequence - state.sequence}`);
    } else if (events.length === 0) {
      fail('a change recorded no event');
    }
    const completed = events.filter((e) => e === 'session.completed').length;
    if (completed !== (state.status === 'started' && next.status === 'submitted' ? 1 : 0)) fail('session.completed not exactly on submission');
    checkAll(next, `after step ${step}`);
    state = next;
  }
}

describe('random walks through the flow', () => {
  it(`${RUNS} seeded runs keep preflight valid and sequence monotonic, and reach every screen`, () => {
    const seen = { screens: new Set<string>(), statuses: new Set<string>() };
    for (let seed = 1; seed <= RUNS; seed++) walk(seed, seen);
    // The walks are not stuck at the start: every screen shows up, and every status but `review` (no event leads there).
    assert.deepEqual([...seen.screens].sort(), [...screenShow.options].sort());
    assert.deepEqual([...seen.statuses].sort(), sessionStatus.options.filter((s) => s !== 'review').sort());
  });
});
