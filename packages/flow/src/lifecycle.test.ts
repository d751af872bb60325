// Session status transitions (protocol §4.4, §8): consent, cancel, expiry and decisions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionStatus } from '@tessera/protocol';
import { applyFlowEvent } from './apply-flow-event.ts';
import { checkStepAction } from './check-step-action.ts';
import { effectiveStatus } from './current-step.ts';
import type { FlowLevel, SessionState } from './types.ts';
import {
  AFTER_EXPIRY, AT_EXPIRY, NOW, basic, cancel, consent, decide, expectOk, expectRejected, expire, front, hidden, inReview, passStep, play, preflightOf, submitAll,
} from './test-fixtures.ts';

const fresh = () => play(basic, []).state;
const started = () => play(basic, [consent()]).state;
const submitted = (level: FlowLevel = basic) => play(level, submitAll(level)).state;

describe('consent', () => {
  it('given: created → started, session.consent.accept, the first step', () => {
    const { state, events } = expectOk(applyFlowEvent(fresh(), consent(), basic));
    assert.equal(state.status, 'started');
    assert.deepEqual(state.consent, { given: true, at: '2025-03-01T09:00:00.000Z', version: 'consent-2025-01' });
    assert.deepEqual(events, ['session.consent.accept']);
    assert.equal(state.sequence, 1);
    assert.equal(preflightOf(state, basic).screen.show, 'scan_id_document_front_screen');
  });

  it('refused: canceled, cancel_screen, session.consent.reject then session.canceled, and gone afterwards', () => {
    const { state, events } = expectOk(applyFlowEvent(fresh(), consent(false), basic));
    assert.equal(state.status, 'canceled');
    assert.equal(state.consent.given, false);
    assert.deepEqual(events, ['session.consent.reject', 'session.canceled']);
    assert.equal(state.sequence, 1);
    assert.deepEqual(preflightOf(state, basic).extra_data, { result: 'canceled' });
    assert.equal(preflightOf(state, basic).screen.show, 'cancel_screen');
    assert.equal(checkStepAction(state, basic, NOW, 'media_front')?.type, 'session_gone');
    expectRejected(applyFlowEvent(state, consent(true), basic), 'session_gone');
  });

  it('given twice: a no-op that keeps the sequence', () => {
    const once = started();
    const twice = expectOk(applyFlowEvent(once, consent(), basic));
    assert.equal(twice.state, once);
    assert.deepEqual(twice.events, []);
    assert.equal(twice.state.sequence, 1);
  });

  it('withdrawn after being given: canceled', () => {
    const { state, events } = expectOk(applyFlowEvent(started(), consent(false), basic));
    assert.equal(state.status, 'canceled');
    assert.deepEqual(events, ['session.consent.reject', 'session.canceled']);
  });

  for (const status of ['submitted', 'approved', 'rejected', 'review'] as const) {
    it(`refused once the flow is complete (${status}) → step_not_expected`, () => {
      const state: SessionState = { ...submitted(), status };
      expectRejected(applyFlowEvent(state, consent(), basic), 'step_not_expected');
      expectRejected(applyFlowEvent(state, consent(false), basic), 'step_not_expected');
    });
  }
});

describe('cancel', () => {
  const before: Array<[string, () => SessionState]> = [
    ['created', fresh],
    ['started', started],
    ['processing', () => play(basic, [consent(), front('f', 'passport')]).state],
    ['submitted', () => submitted()],
  ];
  for (const [name, build] of before) {
    it(`from ${name}: canceled, cancel_screen, session.canceled`, () => {
      const state = build();
      const result = expectOk(applyFlowEvent(state, cancel, basic));
      assert.equal(result.state.status, 'canceled');
      assert.deepEqual(result.events, ['session.canceled']);
      assert.equal(result.state.sequence, state.sequence + 1);
      assert.equal(preflightOf(result.state, basic).screen.show, 'cancel_screen');
    });
  }

  it('twice: the second is refused as session_gone', () => {
    const canceled = expectOk(applyFlowEvent(started(), cancel, basic)).state;
    expectRejected(applyFlowEvent(canceled, cancel, basic), 'session_gone');
  });
});

describe('expiry', () => {
  const rows: Array<{ name: string; state: () => SessionState; now: Date; status: SessionStatus; show: string }> = [
    { name: 'created, before expires_at', state: fresh, now: NOW, status: 'created', show: 'consent_screen' },
    { name: 'created, exactly at expires_at', state: fresh, now: AT_EXPIRY, status: 'expired', show: 'cancel_screen' },
    { name: 'created, past expires_at', state: fresh, now: AFTER_EXPIRY, status: 'expired', show: 'cancel_screen' },
    { name: 'started, past expires_at', state: started, now: AFTER_EXPIRY, status: 'expired', show: 'cancel_screen' },
    { name: 'submitted, past expires_at: not expired', state: () => submitted(), now: AFTER_EXPIRY, status: 'submitted', show: 'completed_screen' },
    { name: 'review, past expires_at: not expired', state: () => inReview(submitted()), now: AFTER_EXPIRY, status: 'review', show: 'completed_screen' },
    { name: 'approved, past expires_at: not expired', state: () => play(basic, [...submitAll(basic), decide('approved')]).state, now: AFTER_EXPIRY, status: 'approved', show: 'successful_screen' },
    { name: 'canceled, past expires_at: stays canceled', state: () => play(basic, [cancel]).state, now: AFTER_EXPIRY, status: 'canceled', show: 'cancel_screen' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const state = row.state();
      assert.equal(effectiveStatus(state, row.now), row.status);
      const p = preflightOf(state, basic, row.now);
      assert.equal(p.screen.show, row.show);
      if (row.status === 'expired') {
        assert.deepEqual(p.extra_data, { result: 'expired' });
        assert.equal(p.sequence, state.sequence, 'time alone changes no sequence');
        const rejection = checkStepAction(state, basic, row.now, state.status === 'created' ? 'consent' : 'media_front');
        assert.deepEqual(rejection, { type: 'session_gone', message: 'the session is expired' });
      }
    });
  }

  it('the expire event: expired, session.expired, cancel_screen with result expired even before expires_at', () => {
    const state = started();
    const { state: next, events } = expectOk(applyFlowEvent(state, expire, basic));
    assert.equal(next.status, 'expired');
    assert.deepEqual(events, ['session.expired']);
    assert.equal(next.sequence, state.sequence + 1);
    assert.deepEqual(preflightOf(next, basic, NOW).extra_data, { result: 'expired' });
    assert.equal(checkStepAction(next, basic, NOW, 'media_front')?.type, 'session_gone');
    expectRejected(applyFlowEvent(next, front('f', 'passport'), basic), 'session_gone');
    expectRejected(applyFlowEvent(next, expire, basic), 'session_gone');
  });

  it('the expire event is refused once submitted', () => {
    expectRejected(applyFlowEvent(submitted(), expire, basic), 'step_not_expected');
  });

  // `extend` (added alongside these tests) moves expires_at of an open session.
  const LATER = '2025-03-20T00:00:00.000Z';
  const extend = { kind: 'extend', expires_at: LATER } as const;
  it('extend: an open session past expires_at is live again, with session.updated', () => {
    const state = started();
    assert.equal(effectiveStatus(state, AFTER_EXPIRY), 'expired');
    const { state: next, events } = expectOk(applyFlowEvent(state, extend, basic));
    assert.deepEqual(events, ['session.updated']);
    assert.equal(next.sequence, state.sequence + 1);
    assert.equal(preflightOf(next, basic, AFTER_EXPIRY).screen.show, 'scan_id_document_front_screen');
    assert.equal(checkStepAction(next, basic, AFTER_EXPIRY, 'media_front'), null);
  });

  it('extend: after an operator resubmission on an old session, the reopened step can be shown again', () => {
    const reopened = expectOk(applyFlowEvent(submitted(), decide('resubmission', ['liveness']), basic)).state;
    assert.equal(preflightOf(reopened, basic, AFTER_EXPIRY).screen.show, 'cancel_screen', 'reopened past expires_at: expired at once');
    const extended = expectOk(applyFlowEvent(reopened, extend, basic)).state;
    assert.equal(preflightOf(extended, basic, AFTER_EXPIRY).screen.show, 'liveness_screen');
  });

  it('extend: refused once submitted (step_not_expected) and on a recorded expiry (session_gone)', () => {
    expectRejected(applyFlowEvent(submitted(), extend, basic), 'step_not_expected');
    expectRejected(applyFlowEvent(play(basic, [expire]).state, extend, basic), 'session_gone');
  });
});

describe('decisions', () => {
  const cases: Array<{ decision: 'approved' | 'rejected'; level: FlowLevel; show: string; result: string }> = [
    { decision: 'approved', level: basic, show: 'successful_screen', result: 'approved' },
    { decision: 'rejected', level: basic, show: 'rejected_screen', result: 'rejected' },
    { decision: 'approved', level: hidden, show: 'completed_screen', result: 'completed' },
    { decision: 'rejected', level: hidden, show: 'completed_screen', result: 'completed' },
  ];
  for (const from of ['submitted', 'review'] as const) {
    for (const c of cases) {
      it(`${c.decision} from ${from}, show_result ${c.level.show_result} → ${c.show}`, () => {
        const base = submitted(c.level);
        const state = from === 'review' ? inReview(base) : base;
        const { state: next, events } = expectOk(applyFlowEvent(state, decide(c.decision, [], 'checked by hand'), c.level));
        assert.equal(next.status, c.decision);
        assert.equal(next.decision?.decision, c.decision);
        assert.deepEqual(events, [`decision.${c.decision}`]);
        assert.equal(next.sequence, state.sequence + 1);
        const p = preflightOf(next, c.level);
        assert.equal(p.screen.show, c.show);
        assert.deepEqual(p.extra_data, { result: c.result });
        assert.equal(p.requirement, null);
        if (!c.level.show_result) {
          // Nothing in the payload differs between an approval and a rejection.
          const other = expectOk(applyFlowEvent(state, decide(c.decision === 'approved' ? 'rejected' : 'approved'), c.level)).state;
          assert.deepEqual(preflightOf(other, c.level), p);
        }
      });
    }
  }

  const notDecidable: Array<[string, () => SessionState]> = [
    ['created', fresh],
    ['started', started],
    ['approved', () => play(basic, [...submitAll(basic), decide('approved')]).state],
    ['rejected', () => play(basic, [...submitAll(basic), decide('rejected')]).state],
  ];
  for (const [name, build] of notDecidable) {
    for (const kind of ['approved', 'rejected', 'resubmission'] as const) {
      it(`${kind} is refused from ${name} (step_not_expected)`, () => {
        expectRejected(applyFlowEvent(build(), decide(kind), basic), 'step_not_expected');
      });
    }
  }

  it('any decision is refused on a gone session (session_gone)', () => {
    const canceled = play(basic, [...submitAll(basic), cancel]).state;
    expectRejected(applyFlowEvent(canceled, decide('approved'), basic), 'session_gone');
  });

  it('a started session with the document half done is not submitted', () => {
    const state = play(basic, [consent(), ...passStep('identity_document', '1', 'id_card').slice(0, 3)]).state;
    assert.equal(state.status, 'started');
  });
});
