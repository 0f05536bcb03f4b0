// The six arithmetic flags, computed lazily (as in v86): an ALU operation records its operands,
// result and width; a flag is computed only when something reads it. Flags an operation sets to a
// known value (or leaves alone) are kept directly, selected by a mask.
// Every stored operand is an int32 (`| 0`): the fields then stay small integers in V8 instead of
// boxed doubles, which matters because an ALU instruction writes them on every execution.

import { EFLAGS } from './cpuState';

const { CF, PF, AF, ZF, SF, OF } = EFLAGS;
const ALL = CF | PF | AF | ZF | SF | OF;

/** PF: set when the low byte of the result has an even number of one bits. */
const PARITY_EVEN = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let bits = 0;
  for (let b = i; b !== 0; b >>= 1) bits += b & 1;
  PARITY_EVEN[i] = bits % 2 === 0 ? 1 : 0;
}

export class LazyFlags {
  /** Flags held in `known` rather than computed from the last operation. */
  private knownMask = ALL;
  private known = 0;
  /** The last operation as an addition op1 + op2 = sum (a subtraction a - b = r is kept as r + b = a). */
  private op1 = 0;
  private op2 = 0;
  private sum = 0;
  /** The result that SF, ZF and PF describe. */
  private result = 0;
  private bits = 32;

  /** After ADD/ADC. */
  add(a: number, b: number, result: number, bits: number): void {
    this.record(a, b, result, result, bits);
  }

  /** After SUB/SBB/CMP/NEG: a - b = result (NEG: a = 0). */
  sub(a: number, b: number, result: number, bits: number): void {
    this.record(result, b, a, result, bits);
  }

  /** After INC (a + 1 = result): CF keeps its value. Only the old CF is stored (as v86 does),
   *  not every flag: a loop counter's INC/DEC would otherwise compute all six each time. */
  inc(a: number, result: number, bits: number): void {
    this.keepCarry();
    this.setOperation(a, 1, result, result, bits);
  }

  /** After DEC (a - 1 = result): CF keeps its value. */
  dec(a: number, result: number, bits: number): void {
    this.keepCarry();
    this.setOperation(result, 1, a, result, bits);
  }

  /** After AND/OR/XOR/TEST: CF = OF = 0, AF = 0 (undefined on the CPU; 0 is what hardware gives). */
  logic(result: number, bits: number): void {
    this.knownMask = CF | OF | AF;
    this.known = 0;
    this.result = result | 0;
    this.bits = bits;
  }

  /** SF, ZF, PF from `result`; the flags in `mask` set to `value` (shifts, BCD, multiply). */
  resultWith(result: number, bits: number, mask: number, value: number): void {
    const keep = ALL & ~mask & ~(SF | ZF | PF); // neither given nor derived from the result
    this.known = (this.get() & keep) | (value & mask);
    this.knownMask = keep | mask;
    this.result = result | 0;
    this.bits = bits;
  }

  /** Sets the flags in `mask` to `value` and leaves the others as they are (CLC, BT, SAHF...). */
  set(mask: number, value: number): void {
    this.keepKnown(mask);
    this.known = (this.known & ~mask) | (value & mask);
  }

  /** The six flags as EFLAGS bits. */
  get(): number {
    let f = this.known & this.knownMask;
    const lazy = ~this.knownMask & ALL;
    if (lazy & CF) f |= this.cfLazy();
    if (lazy & AF) f |= (this.op1 ^ this.op2 ^ this.sum) & AF;
    if (lazy & OF) f |= this.ofLazy();
    if (lazy & ZF) f |= this.zfLazy();
    if (lazy & SF) f |= this.sfLazy();
    if (lazy & PF) f |= PARITY_EVEN[this.result & 0xff]! ? PF : 0;
    return f;
  }

  /** Loads all six flags (POPF, IRET, SAHF through set). */
  load(value: number): void {
    this.knownMask = ALL;
    this.known = value & ALL;
  }

  cf(): boolean { return this.knownMask & CF ? (this.known & CF) !== 0 : this.cfLazy() !== 0; }
  zf(): boolean { return this.knownMask & ZF ? (this.known & ZF) !== 0 : this.zfLazy() !== 0; }
  sf(): boolean { return this.knownMask & SF ? (this.known & SF) !== 0 : this.sfLazy() !== 0; }
  of(): boolean { return this.knownMask & OF ? (this.known & OF) !== 0 : this.ofLazy() !== 0; }
  pf(): boolean { return (this.get() & PF) !== 0; }
  af(): boolean { return (this.get() & AF) !== 0; }

  private record(op1: number, op2: number, sum: number, result: number, bits: number): void {
    this.knownMask = 0;
    this.setOperation(op1, op2, sum, result, bits);
  }

  private setOperation(op1: number, op2: number, sum: number, result: number, bits: number): void {
    this.op1 = op1 | 0; this.op2 = op2 | 0; this.sum = sum | 0; this.result = result | 0; this.bits = bits;
  }

  /** Makes CF the only known flag, holding its current value (before the operands change). */
  private keepCarry(): void {
    this.known = this.knownMask & CF ? this.known & CF : this.cfLazy();
    this.knownMask = CF;
  }

  /** Makes every flag outside `mask` known too, so a partial update keeps the old values. */
  private keepKnown(mask: number): void {
    const lazy = ~this.knownMask & ALL & ~mask;
    if (lazy !== 0) this.known = (this.known & ~lazy) | (this.get() & lazy);
    this.knownMask |= ALL;
  }

  private cfLazy(): number {
    // Carry out of op1 + op2 (+ carry in): the top bit of the carry vector.
    const carries = this.op1 ^ ((this.op1 ^ this.op2) & (this.op2 ^ this.sum));
    return this.bits === 32 ? (carries >>> 31) & 1 : (carries >>> (this.bits - 1)) & 1;
  }
  private ofLazy(): number {
    return (((this.op1 ^ this.sum) & (this.op2 ^ this.sum)) >>> (this.bits - 1)) & 1 ? OF : 0;
  }
  private zfLazy(): number {
    const mask = this.bits === 32 ? 0xffffffff : (1 << this.bits) - 1;
    return (this.result & mask) === 0 ? ZF : 0;
  }
  private sfLazy(): number {
    return (this.result >>> (this.bits - 1)) & 1 ? SF : 0;
  }
}
