// entity_id_state (protocol §5): how far the identity part has come, one row per value the engine produces.
//
// Never produced: `awaiting_a4_document`. Bynn uses it for a generic (A4) document requirement; Tessera's
// step types (protocol §5 requirement_type) have no such step, so nothing can be awaiting it. Every other value is
// produced and listed below. Phone and email steps never count: a level of only those reports `completed`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entityIdState } from '@tessera/protocol';
import type { EntityIdState } from '@tessera/protocol';
import { entityIdStateOf } from './decide-next-screen.ts';
import type { FlowEvent, FlowLevel } from './types.ts';
import {
  back, basic, cancel, capture, checked, chip, consent, contact, decide, front, full, passStep, play, preflightOf, selfie, selfieFirst, submitAll, through,
} from './test-fixtures.ts';

interface Row { level: FlowLevel; events: FlowEvent[]; expect: EntityIdState; why: string }

const frontNeedsRedo = [consent(), front('f1', 'id_card'), checked('identity_document', 'f1', 'needs_resubmission', ['blurry'])];
const frontOk = [consent(), front('f1', 'id_card'), checked('identity_document', 'f1')];

const rows: Row[] = [
  { level: full, events: [], expect: 'none_received', why: 'before consent' },
  { level: full, events: [consent()], expect: 'none_received', why: 'nothing uploaded yet' },
  { level: full, events: frontNeedsRedo, expect: 'front_received_but_needs_resubmission', why: 'front checked needs_resubmission' },
  { level: full, events: [...frontNeedsRedo, front('f2', 'id_card')], expect: 'front_received_awaiting_back', why: 'a new front of a two-sided document is being checked' },
  { level: full, events: frontOk, expect: 'front_received_awaiting_back', why: 'two-sided document, front accepted' },
  { level: full, events: [...frontOk, back('b1')], expect: 'id_received_awaiting_liveness', why: 'back uploaded and being checked' },
  {
    level: full,
    events: [...frontOk, back('b1'), checked('identity_document', 'b1', 'needs_resubmission', ['glare'])],
    expect: 'front_received_and_back_received_but_back_needs_resubmission',
    why: 'back checked needs_resubmission',
  },
  { level: full, events: through('identity_document'), expect: 'id_received_awaiting_liveness', why: 'document done, liveness next' },
  { level: selfie, events: [consent()], expect: 'awaiting_liveness', why: 'a level with no identity document' },
  { level: selfieFirst, events: [consent()], expect: 'awaiting_liveness', why: 'liveness ordered before the document: no ID was received yet' },
  { level: selfieFirst, events: through('liveness'), expect: 'none_received', why: 'liveness done, document next' },
  { level: chip, events: through('identity_document'), expect: 'awaiting_nfc', why: 'document done, chip next' },
  { level: chip, events: through('identity_document', 'nfc'), expect: 'id_received_awaiting_liveness', why: 'chip done, liveness next' },
  { level: full, events: through('identity_document', 'liveness'), expect: 'awaiting_poa', why: 'address next' },
  { level: full, events: [...through('identity_document', 'liveness'), capture('proof_of_address', 'a1')], expect: 'awaiting_poa', why: 'address being checked' },
  { level: full, events: through('identity_document', 'liveness', 'proof_of_address'), expect: 'awaiting_pof', why: 'funds next' },
  { level: full, events: through('identity_document', 'liveness', 'proof_of_address', 'proof_of_funds'), expect: 'completed', why: 'only phone and email left' },
  { level: full, events: submitAll(full), expect: 'completed', why: 'submitted' },
  { level: contact, events: [consent()], expect: 'completed', why: 'no identity part at all' },
  {
    level: basic,
    events: [consent(), front('f1', 'id_card'), checked('identity_document', 'f1', 'rejected', ['forged'])],
    expect: 'id_received_awaiting_liveness',
    why: 'a rejected front ends the document; no back is awaited',
  },
  {
    level: basic,
    events: [consent(), front('f1', 'id_card'), checked('identity_document', 'f1', 'rejected'), ...passStep('liveness')],
    expect: 'completed',
    why: 'submitted with a rejected two-sided document',
  },
  { level: basic, events: [...submitAll(basic), decide('resubmission', ['identity_document'])], expect: 'none_received', why: 'operator reopened the document' },
  { level: basic, events: [...submitAll(basic), decide('resubmission', ['liveness'])], expect: 'id_received_awaiting_liveness', why: 'operator reopened liveness' },
  { level: full, events: [...frontOk, cancel], expect: 'front_received_awaiting_back', why: 'a canceled session keeps reporting where it stopped' },
];

describe('entity_id_state', () => {
  for (const row of rows) {
    it(`${row.expect}: ${row.why}`, () => {
      const state = play(row.level, row.events).state;
      assert.equal(entityIdStateOf(state), row.expect);
      assert.equal(preflightOf(state, row.level).entity_id_state, row.expect);
    });
  }

  it('produces every protocol value except awaiting_a4_document', () => {
    const produced = new Set(rows.map((r) => r.expect));
    const missing = entityIdState.options.filter((v) => !produced.has(v));
    assert.deepEqual(missing, ['awaiting_a4_document']);
  });
});
