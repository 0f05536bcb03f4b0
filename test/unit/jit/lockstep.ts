// Runs one kernel twice in lockstep, on the interpreter and with the compiled translation cache
// (threshold 1: every block is compiled the first time it runs), in random slices so blocks end
// at every possible place, and compares the whole architectural state after every slice.

import * as assert from 'assert';
import { assemble } from '../../../core/asm';
import { bootKernel } from '../../../core/cpu/boot';
import type { Cpu, CpuStop } from '../../../core/cpu/cpu';
import type { JitOptions, JitStats } from '../../../core/jit';
import type { Machine } from '../../../core/machine/machine';

/** A small deterministic PRNG (mulberry32): the same seed gives the same programs everywhere. */
export function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

interface Side { cpu: Cpu; machine: Machine }

function boot(bytes: Uint8Array): Side {
  const booted = bootKernel(bytes);
  if (!('cpu' in booted)) throw new Error(`load failed: ${booted.message}`);
  return booted;
}

function state(side: Side, stop: CpuStop): Record<string, unknown> {
  const { cpu } = side;
  const st = cpu.state;
  return {
    stop: `${stop.reason} ${stop.code}`,
    eip: st.eip >>> 0,
    regs: Array.from(st.regs, (r) => r >>> 0),
    eflags: cpu.getEflags(),
    cpl: st.cpl,
    cr: [st.cr0 >>> 0, st.cr2 >>> 0, st.cr3 >>> 0, st.cr4 >>> 0],
    segs: st.segs.map((s) => s.selector),
    retired: cpu.instructionsRetired,
    faults: cpu.faultsDelivered,
    events: Array.from(cpu.eventsDelivered),
    halted: st.halted,
  };
}

export interface LockstepResult { readonly instructions: number; readonly stats: JitStats; readonly live: number; readonly stop: CpuStop }

/** Runs `bytes` (a multiboot kernel) both ways for at most `maxInstructions`; throws at the first difference. */
export function lockstepBytes(bytes: Uint8Array, seed: number, maxInstructions = 200_000, label = '', jit: JitOptions = {}): LockstepResult {
  const compiled = boot(bytes), interpreted = boot(bytes);
  compiled.cpu.setJit({ threshold: 1, ...jit });
  const rnd = prng(seed ^ 0x5eed);
  let stop: CpuStop = { reason: 'max-instructions', code: 124 };
  while (compiled.cpu.instructionsRetired < maxInstructions) {
    const slice = 1 + rnd(rnd(8) === 0 ? 4000 : 64);
    const stopA = compiled.cpu.run(slice);
    const stopB = interpreted.cpu.run(slice);
    const a = state(compiled, stopA), b = state(interpreted, stopB);
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      const blocks = compiled.cpu.jit!.cache;
      assert.deepStrictEqual(a, b, `${label}: compiled and interpreted differ after ${b['retired']} instructions ` +
        `(${blocks.live} blocks live)`);
    }
    stop = stopA;
    if (stopA.reason !== 'max-instructions') break;
  }
  const memA = compiled.machine.memory.bytes, memB = interpreted.machine.memory.bytes;
  if (Buffer.compare(memA, memB) !== 0) {
    const diff = memA.findIndex((v, i) => v !== memB[i]);
    assert.fail(`${label}: memory differs at physical 0x${diff.toString(16)}`);
  }
  compiled.cpu.assertInvariants();
  return { instructions: compiled.cpu.instructionsRetired, stats: compiled.cpu.jit!.stats, live: compiled.cpu.jit!.cache.live, stop };
}

/** Assembles `source` with RingLab's assembler, then lockstepBytes. */
export function lockstep(source: string, seed: number, maxInstructions?: number, label = '', jit: JitOptions = {}): LockstepResult {
  const asm = assemble(source);
  const errors = asm.diagnostics.filter((d) => d.severity === 'error');
  assert.deepStrictEqual(errors.map((d) => `${d.line}: ${d.message}`), [], `${label}: program assembles`);
  return lockstepBytes(asm.bytes, seed, maxInstructions, label, jit);
}
