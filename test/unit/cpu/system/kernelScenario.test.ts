// End to end: a small kernel with paging, PIT timer interrupts (with EOI), a ring-3 task that
// makes system calls through int 0x80 and has pages mapped on demand by the #PF handler.

import * as assert from 'assert';
import { exitCode, runKernelBody, SEL } from './guestKernel';
import { SCENARIO_BODY, SCENARIO_DATA } from './scenarioKernel';

describe('cpu/system: a kernel scenario', () => {
  it('timer ticks, demand paging and system calls from ring 3 work together', () => {
    const r = runKernelBody(SCENARIO_BODY, SCENARIO_DATA, 50_000_000);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(5) }, JSON.stringify(r.exceptions()));
    assert.strictEqual(r.machine.console?.text, 'OK');
    assert.strictEqual(r.read32(r.sym('faults')), 4);
    assert.ok(r.read32(r.sym('ticks')) >= 3);
    assert.strictEqual(r.cpu.state.segs[1]!.selector, SEL.CODE0, 'the exit system call ran at ring 0');
  });
});
