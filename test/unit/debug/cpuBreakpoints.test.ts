// The CPU's debugger support: breakpoints stop before the instruction (nothing retired), step()
// executes past a breakpoint at EIP, cleared breakpoints cost nothing, requestBreak ends a run
// after the current instruction, and a step that delivers an interrupt stops at the handler's
// first instruction instead of running it.

import * as assert from 'node:assert';
import { GuestRun, prepareGuest } from '../../../core/run';
import { kernelSource, TIMER_ON } from '../cpu/system/guestKernel';

function boot(source: string): { run: GuestRun; label: (name: string) => number } {
  const prepared = prepareGuest({ path: 't.gasm', bytes: Buffer.from(source) });
  if (!prepared.ok) throw new Error(JSON.stringify(prepared));
  const run = GuestRun.boot(prepared.image);
  if (!(run instanceof GuestRun)) throw new Error(run.message);
  const label = (name: string): number => prepared.image.asm!.symbols.find((s) => s.name === name)!.value;
  return { run, label };
}

const LOOP = `bits 32
org 0x100000
_start:
  mov ecx, 10
top:
  inc eax
hot:
  dec ecx
  jnz top
done:
  mov al, 0
  out 0xF4, al
  cli
  hlt
`;

describe('cpu: debugger breakpoints and stepping', () => {
  it('stops before the instruction at a breakpoint, and step() executes past it', () => {
    const { run, label } = boot(LOOP);
    const cpu = run.cpu;
    cpu.setBreakpoints([label('hot')]);
    assert.strictEqual(cpu.run(1000).reason, 'breakpoint');
    assert.strictEqual(cpu.state.eip, label('hot'));
    assert.strictEqual(cpu.instructionsRetired, 2, 'mov and inc, not the dec');
    assert.strictEqual(cpu.state.regs[1], 10, 'ecx not yet decremented');
    // Running again without a step stops at once: the breakpoint is still there.
    assert.strictEqual(cpu.run(1000).reason, 'breakpoint');
    assert.strictEqual(cpu.instructionsRetired, 2);
    assert.strictEqual(cpu.step().reason, 'step');
    assert.strictEqual(cpu.state.regs[1], 9);
    assert.strictEqual(cpu.run(1000).reason, 'breakpoint');
    assert.strictEqual(cpu.state.regs[1], 9, 'the next pass stops before the dec again');
    assert.strictEqual(cpu.instructionsRetired, 2 + 3);
  });

  it('a breakpoint survives a write into its code page that drops its decoded record', () => {
    const { run, label } = boot(`bits 32
org 0x100000
_start:
  mov ecx, 3
top:
  mov word [patch], 0x9090
patch:
  nop
  nop
hot:
  dec ecx
  jnz top
  mov al, 0
  out 0xF4, al
`);
    const cpu = run.cpu;
    cpu.setBreakpoints([label('hot')]);
    for (const ecx of [3, 2, 1]) {
      assert.strictEqual(cpu.run(1000).reason, 'breakpoint', `pass with ecx = ${ecx}`);
      assert.strictEqual(cpu.state.eip, label('hot'));
      assert.strictEqual(cpu.state.regs[1], ecx);
      cpu.step();
    }
    assert.strictEqual(run.runToEnd().reason, 'exit');
  });

  it('cleared breakpoints no longer stop; the guest runs to its exit', () => {
    const { run, label } = boot(LOOP);
    run.cpu.setBreakpoints([label('hot'), label('done')]);
    assert.strictEqual(run.cpu.run(1000).reason, 'breakpoint');
    run.cpu.setBreakpoints([]);
    assert.strictEqual(run.runToEnd().reason, 'exit');
    assert.strictEqual(run.cpu.instructionsRetired, 1 + 10 * 3 + 2);
  });

  it('GuestRun treats a breakpoint as a pause, not an end', () => {
    const { run, label } = boot(LOOP);
    run.cpu.setBreakpoints([label('done')]);
    assert.strictEqual(run.runSlice(), null);
    assert.strictEqual(run.lastStop, 'breakpoint');
    assert.strictEqual(run.exit, null);
    assert.strictEqual(run.cpu.state.eip, label('done'));
    assert.strictEqual(run.runSlice(1, true), null);
    run.cpu.setBreakpoints([]);
    assert.strictEqual(run.runToEnd().reason, 'exit');
  });

  it('requestBreak (from a hook) ends the run after the current instruction', () => {
    const { run, label } = boot(`bits 32
org 0x100000
_start:
  mov ecx, 5
again:
  mov [0x200000], ecx
after:
  dec ecx
  jnz again
  mov al, 0
  out 0xF4, al
`);
    const cpu = run.cpu;
    let writes = 0;
    cpu.hooks = { ...cpu.hooks, onWatchedWrite: () => { writes++; cpu.requestBreak(); } };
    cpu.watchPage(0x200000 >>> 12, 1 << 4);
    assert.strictEqual(cpu.run(1000).reason, 'breakpoint');
    assert.strictEqual(cpu.state.eip, label('after'), 'stopped after the write, not before it');
    assert.strictEqual(cpu.memory.read32(0x200000), 5, 'the write landed');
    assert.strictEqual(writes, 1);
    cpu.unwatchPage(0x200000 >>> 12, 1 << 4);
    assert.strictEqual(run.runToEnd().reason, 'exit');
  });

  it('a step that takes an interrupt stops at the handler\'s first instruction', () => {
    // The test kernels' prelude (GDT, IDT with a stub per vector), the PIT on IRQ0, then sti; hlt.
    const { run, label } = boot(kernelSource(`${TIMER_ON}\n  sti\n  hlt\n  jmp $`));
    const cpu = run.cpu;
    const handler = label('stub_32');
    let steps = 0;
    while (cpu.state.eip !== handler && steps < 100000) { cpu.step(); steps++; }
    // Had the step also run the stub's first instruction (push dword 0), EIP would never be
    // the stub's address at the end of a step.
    assert.strictEqual(cpu.state.eip, handler, 'stopped at the handler\'s first instruction');
    const esp = cpu.state.regs[4]! >>> 0;
    cpu.step();
    assert.strictEqual(cpu.state.regs[4]! >>> 0, (esp - 4) >>> 0, 'the next step runs its push');
  });
});
