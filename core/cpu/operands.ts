// Operand accessors specialised per form and operand index at load time: a handler asks once
// for "how do I read operand 0 of this form" and gets a small closure, so execution does not
// re-inspect operand kinds. Values are unsigned and masked to the operand's width.

import type { Decoded } from '../disasm/decoded';
import type { Form, OperandKind } from '../isa';
import type { ExecContext } from './execContext';

export type Getter = (c: ExecContext, d: Decoded) => number;
export type Setter = (c: ExecContext, d: Decoded, value: number) => void;

/** Width in bytes of an operand kind (0 when it has none: mem, mfar, far pointers, rel). */
export function operandBytes(kind: OperandKind): 0 | 1 | 2 | 4 | 8 {
  switch (kind) {
    case 'r8': case 'rm8': case 'm8': case 'imm8': case 'moffs8': case 'al': case 'cl': case 'rel8': return 1;
    case 'r16': case 'rm16': case 'm16': case 'imm16': case 'sbyte16': case 'moffs16': case 'ax': case 'dx':
    case 'sreg': case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs': case 'rel16': return 2;
    case 'r32': case 'rm32': case 'm32': case 'imm32': case 'sbyte32': case 'moffs32': case 'eax':
    case 'creg': case 'dreg': case 'rel32': return 4;
    case 'm64': return 8;
    default: return 0;
  }
}

export function getReg8(c: ExecContext, n: number): number {
  const r = c.state.regs;
  return n < 4 ? r[n]! & 0xff : (r[n - 4]! >> 8) & 0xff;
}
export function setReg8(c: ExecContext, n: number, v: number): void {
  const r = c.state.regs;
  if (n < 4) r[n] = (r[n]! & ~0xff) | (v & 0xff);
  else r[n - 4] = (r[n - 4]! & ~0xff00) | ((v & 0xff) << 8);
}
export function getReg16(c: ExecContext, n: number): number { return c.state.regs[n]! & 0xffff; }
export function setReg16(c: ExecContext, n: number, v: number): void {
  const r = c.state.regs;
  r[n] = (r[n]! & ~0xffff) | (v & 0xffff);
}
export function getReg32(c: ExecContext, n: number): number { return c.state.regs[n]! >>> 0; }
export function setReg32(c: ExecContext, n: number, v: number): void { c.state.regs[n] = v; }

const REG_GET = { 1: getReg8, 2: getReg16, 4: getReg32 } as const;
const REG_SET = { 1: setReg8, 2: setReg16, 4: setReg32 } as const;

function memGetter(bytes: 1 | 2 | 4, moffs: boolean): Getter {
  if (moffs) {
    if (bytes === 1) return (c, d) => c.read8(d.memSeg, d.disp >>> 0);
    if (bytes === 2) return (c, d) => c.read16(d.memSeg, d.disp >>> 0);
    return (c, d) => c.read32(d.memSeg, d.disp >>> 0);
  }
  if (bytes === 1) return (c, d) => c.read8(d.memSeg, c.effectiveAddress(d));
  if (bytes === 2) return (c, d) => c.read16(d.memSeg, c.effectiveAddress(d));
  return (c, d) => c.read32(d.memSeg, c.effectiveAddress(d));
}
function memSetter(bytes: 1 | 2 | 4, moffs: boolean): Setter {
  if (moffs) {
    if (bytes === 1) return (c, d, v) => c.write8(d.memSeg, d.disp >>> 0, v);
    if (bytes === 2) return (c, d, v) => c.write16(d.memSeg, d.disp >>> 0, v);
    return (c, d, v) => c.write32(d.memSeg, d.disp >>> 0, v);
  }
  if (bytes === 1) return (c, d, v) => c.write8(d.memSeg, c.effectiveAddress(d), v);
  if (bytes === 2) return (c, d, v) => c.write16(d.memSeg, c.effectiveAddress(d), v);
  return (c, d, v) => c.write32(d.memSeg, c.effectiveAddress(d), v);
}

const FIXED_SREG: Partial<Record<OperandKind, number>> = { es: 0, cs: 1, ss: 2, ds: 3, fs: 4, gs: 5 };

/** How to read operand `i` of `form`. Control/debug registers and far pointers are the system handlers' own business. */
export function operandGetter(form: Form, i: number): Getter {
  const kind = form.operands[i]!;
  const slot = form.encoding.slots[i]!;
  const bytes = operandBytes(kind);
  const mask = bytes === 1 ? 0xff : bytes === 2 ? 0xffff : 0xffffffff;
  switch (slot) {
    case 'reg': case 'opreg': case 'regrm':
      if (kind === 'sreg') return (c, d) => c.state.segs[d.reg]!.selector;
      return sizedReg(bytes);
    case 'rm': {
      if (bytes !== 1 && bytes !== 2 && bytes !== 4) throw new Error(`cpu: no value getter for ${form.source} operand ${i}`);
      const reg = REG_GET[bytes];
      const mem = memGetter(bytes, false);
      return (c, d) => (d.mod === 3 ? reg(c, d.rm) : mem(c, d));
    }
    case 'imm':
      if (kind.startsWith('moffs')) return memGetter(bytes as 1 | 2 | 4, true);
      if (kind.startsWith('rel')) return (_c, d) => d.target >>> 0;
      return (_c, d) => (d.imm & mask) >>> 0;
    case 'implicit': {
      if (kind === 'unity') return () => 1;
      if (kind === 'cl') return (c) => getReg8(c, 1);
      if (kind === 'dx') return (c) => getReg16(c, 2);
      const sreg = FIXED_SREG[kind];
      if (sreg !== undefined) return (c) => c.state.segs[sreg]!.selector;
      return sizedRegFixed(bytes as 1 | 2 | 4, 0);
    }
  }
}

/** How to write operand `i` of `form` (registers and memory; segment registers load through the CPU). */
export function operandSetter(form: Form, i: number): Setter {
  const kind = form.operands[i]!;
  const slot = form.encoding.slots[i]!;
  const bytes = operandBytes(kind);
  if (bytes !== 1 && bytes !== 2 && bytes !== 4) throw new Error(`cpu: no value setter for ${form.source} operand ${i}`);
  const set = REG_SET[bytes];
  switch (slot) {
    case 'reg': case 'opreg': case 'regrm':
      return (c, d, v) => set(c, d.reg, v);
    case 'rm': {
      const mem = memSetter(bytes, false);
      return (c, d, v) => (d.mod === 3 ? set(c, d.rm, v) : mem(c, d, v));
    }
    case 'imm':
      if (kind.startsWith('moffs')) return memSetter(bytes, true);
      throw new Error(`cpu: cannot write immediate operand of ${form.source}`);
    case 'implicit':
      if (kind === 'al' || kind === 'ax' || kind === 'eax') return (c, _d, v) => set(c, 0, v);
      throw new Error(`cpu: cannot write implicit operand ${kind} of ${form.source}`);
  }
}

function sizedReg(bytes: number): Getter {
  if (bytes === 1) return (c, d) => getReg8(c, d.reg);
  if (bytes === 2) return (c, d) => getReg16(c, d.reg);
  return (c, d) => getReg32(c, d.reg);
}
function sizedRegFixed(bytes: 1 | 2 | 4, n: number): Getter {
  const get = REG_GET[bytes];
  return (c) => get(c, n);
}

/** Width in bits (8, 16 or 32) of a value operand `i` of `form`; throws for other kinds. */
export function operandBits(form: Form, i: number): 8 | 16 | 32 {
  const bytes = operandBytes(form.operands[i]!);
  if (bytes !== 1 && bytes !== 2 && bytes !== 4) throw new Error(`cpu: operand ${i} of ${form.source} has no value width`);
  return (bytes * 8) as 8 | 16 | 32;
}

/** All-ones of a width (for 32 bits, -1: `x & mask` then yields the int32 bit pattern). */
export function widthMask(bits: number): number {
  return bits === 32 ? -1 : (1 << bits) - 1;
}

/** Sign-extends the low `bits` of x to an int32. */
export function signExtend(x: number, bits: number): number {
  return bits === 32 ? x | 0 : bits === 16 ? (x << 16) >> 16 : (x << 24) >> 24;
}
