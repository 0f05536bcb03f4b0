// Exception and interrupt delivery through the IDT in protected mode (SDM vol. 3, 6.12): interrupt
// and trap gates of 16 and 32 bits, the gate DPL check of INT n/INT3/INTO, the stack switch to an
// inner ring from the TSS, error codes, the EXT bit, double fault and triple fault.
// Task gates (hardware task switching) and real-mode delivery are declined with a stop reason.

import { CpuFault, VECTOR, hasErrorCode } from './cpuFault';
import { CR0, EFLAGS, SegmentCache } from './cpuState';
import type { Cpu } from './cpu';
import { checkStackSelector, commitCodeSegment, Descriptor, fillCache, isNullSelector, readDescriptor, setAccessed } from './segmentation';

/** What raised an event: it decides the DPL check, the error code and the EXT bit. */
export const EVENT = {
  /** A fault or trap of the CPU (pushes an error code for the vectors that have one). */
  EXCEPTION: 0,
  /** INT n, INT3, INTO: the gate's DPL must allow the CPL. */
  SOFTWARE: 1,
  /** An interrupt from the PIC (EXT = 1 in error codes raised while delivering it). */
  EXTERNAL: 2,
  /** INT1 / ICEBP: a debug trap without the DPL check. */
  ICEBP: 3,
} as const;
export type EventKind = (typeof EVENT)[keyof typeof EVENT];

const CONTRIBUTORY = new Set<number>([VECTOR.DE, VECTOR.TS, VECTOR.NP, VECTOR.SS, VECTOR.GP]);

/** SDM table 6-5: which second fault, raised while delivering the first, makes a #DF. */
function makesDoubleFault(first: number, second: number): boolean {
  const secondBad = CONTRIBUTORY.has(second) || second === VECTOR.PF;
  if (first === VECTOR.PF) return secondBad;
  return CONTRIBUTORY.has(first) && CONTRIBUTORY.has(second);
}

/**
 * Delivers an event; a fault during delivery is delivered in its place (or becomes #DF, or a
 * triple fault when #DF itself cannot be delivered). Never throws a CpuFault.
 */
export function deliverEvent(cpu: Cpu, vector: number, errorCode: number, kind: EventKind): void {
  let v = vector;
  let code = errorCode;
  let k: EventKind = kind;
  for (;;) {
    try {
      deliverOnce(cpu, v, code, k);
      return;
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      if (k === EVENT.SOFTWARE) cpu.state.eip = cpu.instructionStart; // INT n itself faulted
      if (v === VECTOR.DF && k === EVENT.EXCEPTION) { cpu.tripleFault(); return; }
      if (k === EVENT.EXCEPTION && makesDoubleFault(v, e.vector)) {
        v = VECTOR.DF; code = 0;
      } else {
        v = e.vector; code = e.errorCode;
      }
      k = EVENT.EXCEPTION;
    }
  }
}

const gateTarget = new Descriptor();
const stackDesc = new Descriptor();
const newStack = new SegmentCache();
// Room for a call gate's frame: SS, ESP, 31 parameters, CS, EIP.
const frame = new Uint32Array(40);

function deliverOnce(cpu: Cpu, vector: number, errorCode: number, kind: EventKind): void {
  const st = cpu.state;
  if ((st.cr0 & CR0.PE) === 0) cpu.stopUnsupported(`interrupt ${vector} in real mode (only protected mode is emulated)`);
  const ext = kind === EVENT.SOFTWARE ? 0 : 1;
  const gateErr = vector * 8 + 2 + ext;
  if (vector * 8 + 7 > st.idtr.limit >>> 0) cpu.raise(VECTOR.GP, gateErr);
  const gateLin = (st.idtr.base + vector * 8) | 0;
  const lo = cpu.readLin32(gateLin);
  const hi = cpu.readLin32((gateLin + 4) | 0);
  const type = (hi >>> 8) & 0x1f; // with the S bit: a gate has S = 0
  if (type === 0x05) cpu.stopUnsupported(`task gate for vector ${vector} (hardware task switching is not supported)`);
  if (type !== 0x06 && type !== 0x07 && type !== 0x0e && type !== 0x0f) cpu.raise(VECTOR.GP, gateErr);
  if (kind === EVENT.SOFTWARE && ((hi >>> 13) & 3) < st.cpl) cpu.raise(VECTOR.GP, vector * 8 + 2);
  if ((hi & 0x8000) === 0) cpu.raise(VECTOR.NP, gateErr);
  const gate32 = (type & 8) !== 0;
  const trapGate = (type & 1) !== 0;
  const selector = lo >>> 16;
  const target = gate32 ? ((hi & 0xffff0000) | (lo & 0xffff)) >>> 0 : lo & 0xffff;

  const d = gateTarget;
  const selErr = (selector & 0xfffc) + ext;
  if (isNullSelector(selector)) cpu.raise(VECTOR.GP, ext);
  if (!readDescriptor(cpu, selector, d)) cpu.raise(VECTOR.GP, selErr);
  if (!d.isCode || d.dpl > st.cpl) cpu.raise(VECTOR.GP, selErr);
  if (!d.present) cpu.raise(VECTOR.NP, selErr);
  if (target > d.limit) cpu.raise(VECTOR.GP, ext);

  const eflags = cpu.getEflags();
  if ((eflags & EFLAGS.VM) !== 0) cpu.stopUnsupported('interrupt from virtual-8086 mode');
  const pushError = kind === EVENT.EXCEPTION && hasErrorCode(vector);
  const width = gate32 ? 4 : 2;
  let n = 0;
  const oldCs = st.segs[1]!.selector;
  const newCpl = d.conforming ? st.cpl : d.dpl;

  if (newCpl < st.cpl) {
    // Inner ring: the new stack comes from the TSS; the old SS:ESP go on it first.
    const { ss, esp } = tssStack(cpu, newCpl, ext);
    checkStackSelector(cpu, ss, newCpl, stackDesc, VECTOR.TS, ext);
    fillCache(newStack, ss, stackDesc);
    frame[n++] = st.segs[2]!.selector;
    frame[n++] = st.regs[4]! >>> 0;
    frame[n++] = eflags; frame[n++] = oldCs; frame[n++] = st.eip;
    if (pushError) frame[n++] = errorCode;
    const newEsp = pushFrame(cpu, newStack, esp, n, width, false, (ss & 0xfffc) + ext);
    setAccessed(cpu, stackDesc);
    st.segs[2]!.copyFrom(newStack);
    setStackPointer(cpu, newEsp);
  } else {
    frame[n++] = eflags; frame[n++] = oldCs; frame[n++] = st.eip;
    if (pushError) frame[n++] = errorCode;
    const ssCache = st.segs[2]!;
    setStackPointer(cpu, pushFrame(cpu, ssCache, st.regs[4]! >>> 0, n, width, st.cpl === 3, ext));
  }
  commitCodeSegment(cpu, selector, d, newCpl);
  let clear = EFLAGS.TF | EFLAGS.NT | EFLAGS.RF | EFLAGS.VM;
  if (!trapGate) clear |= EFLAGS.IF;
  cpu.setEflags(0, clear);
  st.eip = target;
  st.halted = false;
}

/** SS:ESP for privilege `cpl` from the current TSS (32- or 16-bit); #TS when it is not there. */
export function tssStack(cpu: Cpu, cpl: number, ext: number): { ss: number; esp: number } {
  const tr = cpu.state.tr;
  const err = (tr.selector & 0xfffc) + ext;
  if (!tr.usable || tr.s) cpu.raise(VECTOR.TS, err);
  const is32 = (tr.type & 8) !== 0;
  const off = is32 ? 4 + cpl * 8 : 2 + cpl * 4;
  const size = is32 ? 6 : 4;
  if (off + size - 1 > tr.limit >>> 0) cpu.raise(VECTOR.TS, err);
  const lin = (tr.base + off) | 0;
  if (is32) return { esp: cpu.readLin32(lin), ss: cpu.readLin16((lin + 4) | 0) };
  return { esp: cpu.readLin16(lin), ss: cpu.readLin16((lin + 2) | 0) };
}

/**
 * Writes frame[0..n) downwards from `esp` on stack `ss` (first value at the highest address),
 * each `width` bytes; checks the limit (#SS(errSS)) and pages before anything is committed.
 * Returns the new stack pointer.
 */
export function pushFrame(cpu: Cpu, ss: SegmentCache, esp: number, n: number, width: number, user: boolean, errSS: number): number {
  const mask = ss.db ? 0xffff_ffff : 0xffff;
  const top = esp >>> 0;
  const bottom = ((top - n * width) & mask) >>> 0;
  checkStackRoom(cpu, ss, bottom, n * width, errSS);
  for (let i = 0; i < n; i++) {
    const off = ((top - (i + 1) * width) & mask) >>> 0;
    const lin = (ss.base + off) | 0;
    if (width === 4) cpu.writeLin32(lin, frame[i]!, user);
    else cpu.writeLin16(lin, frame[i]! & 0xffff, user);
  }
  return ss.db ? bottom : ((esp & ~0xffff) | bottom) >>> 0;
}

/** Limit check of [offset, offset + bytes) on a stack segment (expand-up or expand-down). */
export function checkStackRoom(cpu: Cpu, ss: SegmentCache, offset: number, bytes: number, errSS: number): void {
  const last = offset + bytes - 1;
  const limit = ss.limit >>> 0;
  if ((ss.type & 4) !== 0) {
    const upper = ss.db ? 0xffff_ffff : 0xffff;
    if (offset <= limit || last > upper) cpu.raise(VECTOR.SS, errSS);
  } else if (last > limit) {
    cpu.raise(VECTOR.SS, errSS);
  }
}

/** ESP or SP by the stack's B bit. */
export function setStackPointer(cpu: Cpu, value: number): void {
  const r = cpu.state.regs;
  r[4] = cpu.state.segs[2]!.db ? value | 0 : (r[4]! & ~0xffff) | (value & 0xffff);
}

/** Values a caller stages for pushFrame. */
export function stageFrame(values: readonly number[]): number {
  for (let i = 0; i < values.length; i++) frame[i] = values[i]! >>> 0;
  return values.length;
}
