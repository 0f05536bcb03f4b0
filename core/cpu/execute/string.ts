// Semantics of the string instructions MOVS CMPS STOS LODS SCAS (byte, word, doubleword) with
// REP / REPE / REPNE, the direction flag, 16-bit address size (SI DI CX under 0x67) and a segment
// override on the source only (the destination is always ES:(E)DI). A REP runs at most
// REP_ITERATIONS_PER_STEP iterations per step, then leaves EIP at the instruction so the CPU
// loop re-executes it (interrupts and the instruction budget get their turn in between); the
// registers are updated every iteration, so a fault part-way restarts where it stopped.

import type { Form } from '../../isa';
import { RepKind, type Decoded } from '../../disasm/decoded';
import { EFLAGS } from '../cpuState';
import type { ExecContext } from '../execContext';
import { widthMask } from '../operands';
import { defineSemantics, type Handler } from './registry';

/** Iterations of one REP-prefixed instruction per step before it yields to the CPU loop. */
export const REP_ITERATIONS_PER_STEP = 4096;

const { DF } = EFLAGS;
const EAX = 0, ECX = 1, ESI = 6, EDI = 7, ES = 0, DS = 3;

function elementBytes(form: Form): 1 | 2 | 4 {
  return (form.encoding.opcode[0]! & 1) === 0 ? 1 : form.encoding.opsize === 16 ? 2 : 4;
}

function readN(c: ExecContext, seg: number, off: number, bytes: number): number {
  return bytes === 1 ? c.read8(seg, off) : bytes === 2 ? c.read16(seg, off) : c.read32(seg, off) >>> 0;
}
function writeN(c: ExecContext, seg: number, off: number, bytes: number, v: number): void {
  if (bytes === 1) c.write8(seg, off, v); else if (bytes === 2) c.write16(seg, off, v); else c.write32(seg, off, v);
}

/** The offset in an index register under the address size. */
function offsetOf(c: ExecContext, d: Decoded, reg: number): number {
  return d.addrsize16 ? c.state.regs[reg]! & 0xffff : c.state.regs[reg]! >>> 0;
}
/** Moves an index register by `delta` under the address size (SI/DI wrap within 64 KiB). */
function advance(c: ExecContext, d: Decoded, reg: number, delta: number): void {
  const r = c.state.regs;
  r[reg] = d.addrsize16 ? (r[reg]! & ~0xffff) | ((r[reg]! + delta) & 0xffff) : r[reg]! + delta;
}
function counter(c: ExecContext, d: Decoded): number {
  return d.addrsize16 ? c.state.regs[ECX]! & 0xffff : c.state.regs[ECX]!;
}
function decrementCounter(c: ExecContext, d: Decoded): void {
  advance(c, d, ECX, -1);
}

/** One iteration of a string operation; returns whether a REPE/REPNE may go on (compares only). */
type Step = (c: ExecContext, d: Decoded, delta: number) => void;

/** Builds the handler: `compares` makes REPE/REPNE test ZF after each iteration. */
function stringHandler(form: Form, step: Step, compares: boolean): Handler {
  const bytes = elementBytes(form);
  return (c, d) => {
    const delta = c.state.flagsRest & DF ? -bytes : bytes;
    if (d.rep === RepKind.None) { step(c, d, delta); return; }
    for (let n = 0; counter(c, d) !== 0; n++) {
      if (n === REP_ITERATIONS_PER_STEP) { c.state.eip = (c.state.eip - d.length) >>> 0; return; }
      step(c, d, delta);
      decrementCounter(c, d);
      if (compares && c.flags.zf() !== (d.rep === RepKind.Rep)) return;
    }
  };
}

const srcSeg = (d: Decoded): number => (d.segOverride >= 0 ? d.segOverride : DS);

function family(prefix: string, build: (form: Form, bytes: 1 | 2 | 4) => Step, compares: boolean): void {
  defineSemantics([`${prefix}b`, `${prefix}w`, `${prefix}d`], (form) => stringHandler(form, build(form, elementBytes(form)), compares));
}

family('movs', (_f, bytes) => (c, d, delta) => {
  writeN(c, ES, offsetOf(c, d, EDI), bytes, readN(c, srcSeg(d), offsetOf(c, d, ESI), bytes));
  advance(c, d, ESI, delta);
  advance(c, d, EDI, delta);
}, false);

family('cmps', (_f, bytes) => {
  const bits = bytes * 8, mask = widthMask(bits);
  return (c, d, delta) => {
    const x = readN(c, srcSeg(d), offsetOf(c, d, ESI), bytes), y = readN(c, ES, offsetOf(c, d, EDI), bytes);
    advance(c, d, ESI, delta);
    advance(c, d, EDI, delta);
    c.flags.sub(x, y, (x - y) & mask, bits);
  };
}, true);

family('stos', (_f, bytes) => (c, d, delta) => {
  writeN(c, ES, offsetOf(c, d, EDI), bytes, c.state.regs[EAX]!);
  advance(c, d, EDI, delta);
}, false);

family('lods', (_f, bytes) => {
  const mask = widthMask(bytes * 8);
  return (c, d, delta) => {
    const v = readN(c, srcSeg(d), offsetOf(c, d, ESI), bytes), r = c.state.regs;
    r[EAX] = (r[EAX]! & ~mask) | (v & mask);
    advance(c, d, ESI, delta);
  };
}, false);

family('scas', (_f, bytes) => {
  const bits = bytes * 8, mask = widthMask(bits);
  return (c, d, delta) => {
    const x = c.state.regs[EAX]! & mask, y = readN(c, ES, offsetOf(c, d, EDI), bytes);
    advance(c, d, EDI, delta);
    c.flags.sub(x >>> 0, y, (x - y) & mask, bits);
  };
}, true);
