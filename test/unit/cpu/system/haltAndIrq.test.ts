// HLT and external interrupts: `cli; hlt` stops with `halt`, HLT wakes on a PIT interrupt
// (virtual time skips ahead), the PIC's vector is delivered only when IF = 1, and STI delays
// acceptance until after the next instruction.

import * as assert from 'assert';
import { exitCode, runKernelBody, TIMER_ON } from './guestKernel';

describe('cpu/system: HLT and external interrupts', () => {
  it('cli; hlt stops the machine with reason halt', () => {
    const r = runKernelBody('  cli\n  hlt');
    assert.deepStrictEqual(r.stop, { reason: 'halt', code: 0 });
  });

  it('sti; hlt with every IRQ masked ends at the instruction budget, not in a host hang', () => {
    const r = runKernelBody('  mov al, 0xFF\n  out 0x21, al\n  sti\n  hlt', '', 10_000);
    assert.deepStrictEqual(r.stop, { reason: 'max-instructions', code: 124 });
  });

  it('HLT wakes on the timer interrupt, delivered through the PIC vector with EIP after HLT', () => {
    const r = runKernelBody(`${TIMER_ON}
  mov dword [resume], woke
  sti
  hlt
woke:
  cli`);
    const [e] = r.exceptions();
    assert.strictEqual(e!.vector, 0x20);
    assert.strictEqual(e!.eip, r.sym('woke'));
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(0) });
    assert.ok(r.cpu.instructionsRetired < 1000, 'halted time is skipped, not spun');
  });

  it('with IF = 0 a pending interrupt waits; STI lets one more instruction run first', () => {
    const r = runKernelBody(`${TIMER_ON}
  mov ecx, 2000000
spin:
  loop spin                        ; 2 ms of virtual time (1 ns per instruction): IRQ0 is pending by now
  mov dword [resume], done
  sti
  mov ebx, 1                       ; the STI shadow: this runs before the interrupt
taken_here:
  mov ebx, 2
  jmp $
done:`, '', 5_000_000);
    const [e] = r.exceptions();
    assert.strictEqual(e!.vector, 0x20);
    assert.strictEqual(e!.eip, r.sym('taken_here'));
    assert.strictEqual(r.cpu.state.regs[3], 1);
  });
});
