// A debugger over compiled code: a breakpoint inside a block that is already compiled (and
// looping on itself) stops before exactly its instruction, and single steps move by one
// instruction, with the same state as the interpreter's at the same point.

import * as assert from 'assert';
import { assemble } from '../../../core/asm';
import { bootKernel } from '../../../core/cpu/boot';
import type { Cpu } from '../../../core/cpu/cpu';
import { kernelSource } from '../cpu/system/guestKernel';

const LOOP = kernelSource(`
  mov ebp, 5000
  xor ecx, ecx
.loop:
  add eax, ebp
.target:
  xor ebx, eax
  inc ecx
  dec ebp
  jnz .loop
  jmp .done
.never:
  hlt
.done:`);

function boot(jit: boolean): { cpu: Cpu; target: number; never: number } {
  const asm = assemble(LOOP);
  const booted = bootKernel(asm.bytes);
  if (!('cpu' in booted)) throw new Error(booted.message);
  if (jit) booted.cpu.setJit({ threshold: 1 });
  const at = (label: string): number => asm.symbols.find((s) => s.name.endsWith(label))!.value;
  return { cpu: booted.cpu, target: at('.target'), never: at('.never') };
}

const view = (cpu: Cpu): unknown => ({ eip: cpu.state.eip >>> 0, regs: Array.from(cpu.state.regs), eflags: cpu.getEflags(), retired: cpu.instructionsRetired });

describe('jit: breakpoints and steps in compiled code', () => {
  it('a breakpoint set in a hot compiled loop stops before its instruction; steps move one instruction', () => {
    const compiled = boot(true), reference = boot(false);
    compiled.cpu.run(20_000); // the loop is compiled and has looped inside its block
    assert.ok(compiled.cpu.jit!.stats.instructions > 15_000, `ran compiled: ${compiled.cpu.jit!.stats.instructions}`);
    compiled.cpu.setBreakpoints([compiled.target]);
    const stop = compiled.cpu.run(1_000_000);
    assert.strictEqual(stop.reason, 'breakpoint');
    assert.strictEqual(compiled.cpu.state.eip >>> 0, compiled.target);
    reference.cpu.run(compiled.cpu.instructionsRetired);
    assert.deepStrictEqual(view(compiled.cpu), view(reference.cpu), 'the state at the breakpoint');

    for (let i = 0; i < 12; i++) {
      assert.strictEqual(compiled.cpu.step().reason, 'step');
      reference.cpu.run(1);
      assert.deepStrictEqual(view(compiled.cpu), view(reference.cpu), `after step ${i + 1}`);
    }
    // Continuing stops at the breakpoint again, one pass (4 instructions) later at most.
    const before = compiled.cpu.instructionsRetired;
    assert.strictEqual(compiled.cpu.run(1_000_000).reason, 'breakpoint');
    assert.ok(compiled.cpu.instructionsRetired - before <= 4, 'the next pass stops at the same instruction');

    compiled.cpu.setBreakpoints([]);
    const end = compiled.cpu.run(1_000_000);
    reference.cpu.run(1_000_000);
    assert.strictEqual(end.reason, 'exit');
    assert.deepStrictEqual(view(compiled.cpu), view(reference.cpu), 'the state at the end');
  });

  it('a breakpoint on the same page that is never reached leaves the loop compiled, and it ends as interpreted', () => {
    const compiled = boot(true), reference = boot(false);
    compiled.cpu.setBreakpoints([compiled.never]);
    const end = compiled.cpu.run(1_000_000);
    reference.cpu.run(1_000_000);
    assert.strictEqual(end.reason, 'exit');
    assert.ok((compiled.never >>> 12) === (compiled.target >>> 12), 'the breakpoint shares the loop\'s page');
    assert.ok(compiled.cpu.jit!.stats.instructions > 15_000, `ran compiled beside the breakpoint: ${compiled.cpu.jit!.stats.instructions}`);
    assert.deepStrictEqual(view(compiled.cpu), view(reference.cpu));
  });
});
