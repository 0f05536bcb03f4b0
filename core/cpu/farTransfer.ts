// Transfers that load CS in protected mode: far JMP and CALL to a code segment or through a call
// gate (CALL may enter an inner ring on the TSS stack, copying parameters), far RET and IRET to
// the same or an outer ring (SS:ESP popped, data segments the outer ring may not use nulled).
// Everything is read and checked before any register changes, so a fault restarts cleanly.
// Task switches (TSS, task gate, IRET with NT) are declined with a stop reason.

import { VECTOR } from './cpuFault';
import { CR0, EFLAGS } from './cpuState';
import type { Cpu } from './cpu';
import { pushFrame, setStackPointer, stageFrame, tssStack } from './interrupts';
import { SegmentCache } from './cpuState';
import {
  checkCodeSelector, checkStackSelector, commitCodeSegment, Descriptor, fillCache, nullInaccessibleSegments,
  readDescriptor, setAccessed,
} from './segmentation';

const codeDesc = new Descriptor();
const stackDesc = new Descriptor();

function requireProtectedMode(cpu: Cpu, what: string): void {
  if ((cpu.state.cr0 & CR0.PE) === 0) cpu.stopUnsupported(`${what} in real mode (only protected mode is emulated)`);
}

const gateDesc = new Descriptor();
const newStack = new SegmentCache();

/**
 * A selector that names a system descriptor: a call gate's descriptor is left in gateDesc and
 * true returned; a task gate or TSS (task switch) is declined with a stop reason.
 */
function isCallGate(cpu: Cpu, selector: number, what: string): boolean {
  if (!readDescriptor(cpu, selector, gateDesc) || gateDesc.s) return false;
  const t = gateDesc.type;
  if (t === 4 || t === 0xc) return true;
  const kind = t === 5 ? 'task gate' : t === 1 || t === 9 ? 'TSS (task switch)' : '';
  if (kind !== '') cpu.stopUnsupported(`${what} through a ${kind} (selector 0x${selector.toString(16).padStart(4, '0')}) is not supported`);
  return false;
}

/** The gate checks shared by JMP and CALL; reads the target code descriptor into codeDesc. */
function checkCallGate(cpu: Cpu, gateSelector: number): { target: number; selector: number; width: number } {
  const st = cpu.state;
  const g = gateDesc;
  const err = gateSelector & 0xfffc;
  if (g.dpl < st.cpl || g.dpl < (gateSelector & 3)) cpu.raise(VECTOR.GP, err);
  if (!g.present) cpu.raise(VECTOR.NP, err);
  const selector = g.lo >>> 16;
  const width = g.type === 0xc ? 4 : 2;
  const target = width === 4 ? ((g.hi & 0xffff0000) | (g.lo & 0xffff)) >>> 0 : g.lo & 0xffff;
  const d = codeDesc;
  if ((selector & 0xfffc) === 0) cpu.raise(VECTOR.GP, 0);
  if (!readDescriptor(cpu, selector, d)) cpu.raise(VECTOR.GP, selector & 0xfffc);
  if (!d.isCode || d.dpl > st.cpl) cpu.raise(VECTOR.GP, selector & 0xfffc);
  if (!d.present) cpu.raise(VECTOR.NP, selector & 0xfffc);
  if (target > d.limit) cpu.raise(VECTOR.GP, 0);
  return { target, selector, width };
}

function jumpThroughGate(cpu: Cpu, gateSelector: number): void {
  const { target, selector } = checkCallGate(cpu, gateSelector);
  const d = codeDesc;
  // JMP never changes privilege: nonconforming targets must be at exactly the CPL.
  if (!d.conforming && d.dpl !== cpu.state.cpl) cpu.raise(VECTOR.GP, selector & 0xfffc);
  commitCodeSegment(cpu, selector, d, cpu.state.cpl);
  cpu.state.eip = target;
}

function callThroughGate(cpu: Cpu, gateSelector: number): void {
  const st = cpu.state;
  const paramCount = gateDesc.hi & 0x1f;
  const { target, selector, width } = checkCallGate(cpu, gateSelector);
  const d = codeDesc;
  if (d.conforming || d.dpl === st.cpl) {
    const n = stageFrame([st.segs[1]!.selector, st.eip]);
    setStackPointer(cpu, pushFrame(cpu, st.segs[2]!, st.regs[4]! >>> 0, n, width, st.cpl === 3, 0));
    commitCodeSegment(cpu, selector, d, st.cpl);
    st.eip = target;
    return;
  }
  // Inner ring: SS:ESP from the TSS, then old SS, old ESP, the parameters, CS and EIP.
  const newCpl = d.dpl;
  const { ss, esp } = tssStack(cpu, newCpl, 0);
  checkStackSelector(cpu, ss, newCpl, stackDesc, VECTOR.TS, 0);
  fillCache(newStack, ss, stackDesc);
  const values: number[] = [st.segs[2]!.selector, st.regs[4]! >>> 0];
  for (let i = paramCount - 1; i >= 0; i--) values.push(readStack(cpu, i * width, width));
  values.push(st.segs[1]!.selector, st.eip);
  const n = stageFrame(values);
  const newEsp = pushFrame(cpu, newStack, esp, n, width, false, ss & 0xfffc);
  setAccessed(cpu, stackDesc);
  st.segs[2]!.copyFrom(newStack);
  setStackPointer(cpu, newEsp);
  commitCodeSegment(cpu, selector, d, newCpl);
  st.eip = target;
}

/** Stack offset `i` slots of `width` above the current SP, wrapped by the stack size. */
function stackOffset(cpu: Cpu, extraBytes: number): number {
  const ss = cpu.state.segs[2]!;
  const sp = cpu.state.regs[4]! >>> 0;
  return ss.db ? (sp + extraBytes) >>> 0 : (sp + extraBytes) & 0xffff;
}

function readStack(cpu: Cpu, extraBytes: number, width: number): number {
  const off = stackOffset(cpu, extraBytes);
  return width === 4 ? cpu.read32(2, off) : cpu.read16(2, off);
}

/** JMP ptr16:32 / m16:32 to a code segment at the CPL. */
export function farJump(cpu: Cpu, selector: number, offset: number, width: number): void {
  requireProtectedMode(cpu, 'far JMP');
  if (isCallGate(cpu, selector, 'far JMP')) { jumpThroughGate(cpu, selector); return; }
  const d = codeDesc;
  checkCodeSelector(cpu, selector, d, false);
  if (width === 2) offset &= 0xffff;
  if (offset > d.limit) cpu.raise(VECTOR.GP, 0);
  commitCodeSegment(cpu, selector, d, cpu.state.cpl);
  cpu.state.eip = offset >>> 0;
}

/** CALL ptr16:32 / m16:32 to a code segment at the CPL: pushes CS and EIP first. */
export function farCall(cpu: Cpu, selector: number, offset: number, width: number): void {
  requireProtectedMode(cpu, 'far CALL');
  if (isCallGate(cpu, selector, 'far CALL')) { callThroughGate(cpu, selector); return; }
  const st = cpu.state;
  const d = codeDesc;
  checkCodeSelector(cpu, selector, d, false);
  if (width === 2) offset &= 0xffff;
  if (offset > d.limit) cpu.raise(VECTOR.GP, 0);
  const n = stageFrame([st.segs[1]!.selector, st.eip]);
  setStackPointer(cpu, pushFrame(cpu, st.segs[2]!, st.regs[4]! >>> 0, n, width, st.cpl === 3, 0));
  commitCodeSegment(cpu, selector, d, st.cpl);
  st.eip = offset >>> 0;
}

/** RETF [imm16]: to the same ring, or to an outer ring with SS:ESP from the stack. */
export function farReturn(cpu: Cpu, width: number, releaseBytes: number): void {
  requireProtectedMode(cpu, 'far RET');
  const st = cpu.state;
  const eip = readStack(cpu, 0, width);
  const cs = readStack(cpu, width, width) & 0xffff;
  const d = codeDesc;
  checkCodeSelector(cpu, cs, d, true);
  if (eip > d.limit) cpu.raise(VECTOR.GP, 0);
  const rpl = cs & 3;
  if (rpl === st.cpl) {
    commitCodeSegment(cpu, cs, d, rpl);
    st.eip = eip;
    setStackPointer(cpu, stackOffset(cpu, 2 * width + releaseBytes));
    return;
  }
  const newEsp = readStack(cpu, 2 * width + releaseBytes, width);
  const newSs = readStack(cpu, 3 * width + releaseBytes, width) & 0xffff;
  checkStackSelector(cpu, newSs, rpl, stackDesc, VECTOR.GP, 0);
  commitCodeSegment(cpu, cs, d, rpl);
  setAccessed(cpu, stackDesc);
  fillCache(st.segs[2]!, newSs, stackDesc);
  setStackPointer(cpu, newEsp + releaseBytes);
  st.eip = eip;
  nullInaccessibleSegments(cpu);
}

/** IRETD / IRETW in protected mode. */
export function interruptReturn(cpu: Cpu, width: number): void {
  requireProtectedMode(cpu, 'IRET');
  const st = cpu.state;
  const oldFlags = cpu.getEflags();
  if ((oldFlags & EFLAGS.NT) !== 0) cpu.stopUnsupported('IRET with NT=1 (return to another task) is not supported');
  const eip = readStack(cpu, 0, width);
  const cs = readStack(cpu, width, width) & 0xffff;
  const flags = readStack(cpu, 2 * width, width);
  if (width === 4 && (flags & EFLAGS.VM) !== 0 && st.cpl === 0) cpu.stopUnsupported('IRET to virtual-8086 mode is not supported');
  const d = codeDesc;
  checkCodeSelector(cpu, cs, d, true);
  if (eip > d.limit) cpu.raise(VECTOR.GP, 0);
  const mask = iretFlagsMask(st.cpl, (oldFlags & EFLAGS.IOPL) >>> 12, width);
  const rpl = cs & 3;
  if (rpl === st.cpl) {
    commitCodeSegment(cpu, cs, d, rpl);
    setStackPointer(cpu, stackOffset(cpu, 3 * width));
  } else {
    const newEsp = readStack(cpu, 3 * width, width);
    const newSs = readStack(cpu, 4 * width, width) & 0xffff;
    checkStackSelector(cpu, newSs, rpl, stackDesc, VECTOR.GP, 0);
    commitCodeSegment(cpu, cs, d, rpl);
    setAccessed(cpu, stackDesc);
    fillCache(st.segs[2]!, newSs, stackDesc);
    setStackPointer(cpu, newEsp);
    nullInaccessibleSegments(cpu);
  }
  st.eip = eip;
  cpu.setEflags(flags, mask);
}

/** Flags IRET and POPF may change at `cpl` (IOPL at CPL 0 only; IF when CPL <= IOPL). */
export function iretFlagsMask(cpl: number, iopl: number, width: number): number {
  let mask = EFLAGS.CF | EFLAGS.PF | EFLAGS.AF | EFLAGS.ZF | EFLAGS.SF | EFLAGS.TF | EFLAGS.DF | EFLAGS.OF | EFLAGS.NT;
  if (width === 4) mask |= EFLAGS.RF | EFLAGS.AC | EFLAGS.ID;
  if (cpl === 0) mask |= EFLAGS.IOPL;
  if (cpl <= iopl) mask |= EFLAGS.IF;
  return mask;
}
