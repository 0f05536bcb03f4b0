// Every form of the instruction table has exactly one handler once all semantics are loaded:
// the integer and system halves split mnemonics such as MOV and PUSH without gaps or overlaps.

import * as assert from 'assert';
import '../../../core/cpu/execute/allSemantics';
import { formsWithoutSemantics, handlerFor } from '../../../core/cpu/execute/registry';
import { FORMS } from '../../../core/isa';

describe('cpu semantics coverage', () => {
  it('no form of the table is left without a handler', () => {
    assert.deepEqual(formsWithoutSemantics().map((f) => f.source), []);
  });

  it('no form is claimed by two halves (MOV sreg belongs to the system half alone)', () => {
    const twice: string[] = [];
    for (const f of FORMS) {
      try { handlerFor(f); } catch (e) { twice.push(`${f.source}: ${(e as Error).message}`); }
    }
    assert.deepEqual(twice, []);
  });
});
