// A small ExecContext for testing the integer semantics without the system half: flat memory
// at a base address (no segmentation beyond segment bases, no paging), the stack through SS
// with ESP, and a step loop that decodes with core/disasm and dispatches by form id.
// Stand-ins cover the few system forms a test program needs (CLC STC CMC CLD STD) until the real Cpu runs them.

import { CpuFault, VECTOR } from '../../../../core/cpu/cpuFault';
import { CpuState, EFLAGS } from '../../../../core/cpu/cpuState';
import type { ExecContext } from '../../../../core/cpu/execContext';
import { LazyFlags } from '../../../../core/cpu/lazyFlags';
import { handlerFor, type Handler } from '../../../../core/cpu/execute/registry';
import { Decoded, DecodeStatus } from '../../../../core/disasm/decoded';
import { decode } from '../../../../core/disasm/decoder';
import { FORMS, type Form } from '../../../../core/isa';
import '../../../../core/cpu/execute/alu';
import '../../../../core/cpu/execute/bcd';
import '../../../../core/cpu/execute/bits';
import '../../../../core/cpu/execute/branch';
import '../../../../core/cpu/execute/move';
import '../../../../core/cpu/execute/muldiv';
import '../../../../core/cpu/execute/shift';
import '../../../../core/cpu/execute/stack';
import '../../../../core/cpu/execute/string';

/** Forms the system half owns that test programs use, for when its semantics are not loaded. */
const STAND_INS: Record<string, Handler> = {
  clc: (c) => c.flags.set(EFLAGS.CF, 0),
  stc: (c) => c.flags.set(EFLAGS.CF, EFLAGS.CF),
  cmc: (c) => c.flags.set(EFLAGS.CF, c.flags.cf() ? 0 : EFLAGS.CF),
  cld: (c) => { c.state.flagsRest &= ~EFLAGS.DF; },
  std: (c) => { c.state.flagsRest |= EFLAGS.DF; },
};

const ESP = 4;

export class FlatContext implements ExecContext {
  readonly state = new CpuState();
  readonly flags = new LazyFlags();
  readonly mem: Uint8Array;

  constructor(readonly base: number, size: number) {
    this.mem = new Uint8Array(size);
    this.state.flagsRest = 0x202;
  }

  effectiveAddress(d: Decoded): number {
    const r = this.state.regs;
    if (d.addrsize16) {
      let a = d.disp;
      if (d.base >= 0) a += r[d.base]! & 0xffff;
      if (d.index >= 0) a += r[d.index]! & 0xffff;
      return a & 0xffff;
    }
    let a = d.disp;
    if (d.base >= 0) a += r[d.base]!;
    if (d.index >= 0) a += r[d.index]! << d.scaleShift;
    return a >>> 0;
  }

  /** Index into `mem` of a linear access, or #GP (tests treat anything outside as a fault). */
  at(seg: number, offset: number, bytes: number): number {
    const linear = (this.state.segs[seg]!.base + offset) >>> 0;
    const i = linear - this.base;
    if (i < 0 || i + bytes > this.mem.length) throw new CpuFault(seg === 2 ? VECTOR.SS : VECTOR.GP, 0);
    return i;
  }

  read8(seg: number, offset: number): number { return this.mem[this.at(seg, offset, 1)]!; }
  read16(seg: number, offset: number): number {
    const i = this.at(seg, offset, 2);
    return this.mem[i]! | (this.mem[i + 1]! << 8);
  }
  read32(seg: number, offset: number): number {
    const i = this.at(seg, offset, 4), m = this.mem;
    return (m[i]! | (m[i + 1]! << 8) | (m[i + 2]! << 16) | (m[i + 3]! << 24)) >>> 0;
  }
  write8(seg: number, offset: number, v: number): void { this.mem[this.at(seg, offset, 1)] = v; }
  write16(seg: number, offset: number, v: number): void {
    const i = this.at(seg, offset, 2);
    this.mem[i] = v; this.mem[i + 1] = v >> 8;
  }
  write32(seg: number, offset: number, v: number): void {
    const i = this.at(seg, offset, 4), m = this.mem;
    m[i] = v; m[i + 1] = v >> 8; m[i + 2] = v >> 16; m[i + 3] = v >> 24;
  }

  push16(v: number): void { const sp = this.state.regs[ESP]! - 2; this.write16(2, sp >>> 0, v); this.state.regs[ESP] = sp; }
  push32(v: number): void { const sp = this.state.regs[ESP]! - 4; this.write32(2, sp >>> 0, v); this.state.regs[ESP] = sp; }
  pop16(): number { const v = this.read16(2, this.state.regs[ESP]! >>> 0); this.state.regs[ESP] = this.state.regs[ESP]! + 2; return v; }
  pop32(): number { const v = this.read32(2, this.state.regs[ESP]! >>> 0); this.state.regs[ESP] = this.state.regs[ESP]! + 4; return v; }

  ioIn(): number { throw new CpuFault(VECTOR.GP, 0); }
  ioOut(): void { throw new CpuFault(VECTOR.GP, 0); }
  raise(vector: number, errorCode = 0): never { throw new CpuFault(vector, errorCode); }

  /** Copies bytes into memory at a linear address. */
  load(addr: number, bytes: Uint8Array): void { this.mem.set(bytes, addr - this.base); }
}

let table: Handler[] | undefined;
const UNDEFINED: Handler = (c) => c.raise(VECTOR.UD);

/** One handler per form: the registered semantics, else a stand-in, else #UD. */
export function handlers(): Handler[] {
  table ??= FORMS.map((f) => handlerFor(f) ?? STAND_INS[f.mnemonic] ?? UNDEFINED);
  return table;
}

export interface StepResult {
  readonly form: Form | undefined;
  /** The fault the instruction raised (EIP is then back at the instruction), or undefined. */
  readonly fault: CpuFault | undefined;
}

/** Decodes and executes one instruction at EIP, as the CPU loop does (EIP rolled back on a fault). */
export function step(c: FlatContext, d: Decoded = new Decoded()): StepResult {
  const eip = c.state.eip;
  const i = eip - c.base;
  decode(c.mem, i, eip, d, c.mem.length);
  if (d.status !== DecodeStatus.Ok) return { form: undefined, fault: new CpuFault(VECTOR.UD) };
  c.state.eip = (eip + d.length) >>> 0;
  try {
    handlers()[d.formId]!(c, d);
  } catch (e) {
    if (!(e instanceof CpuFault)) throw e;
    c.state.eip = eip;
    return { form: FORMS[d.formId], fault: e };
  }
  return { form: FORMS[d.formId], fault: undefined };
}
