// Semantics of MUL, IMUL (one, two and three operands) and DIV, IDIV (#DE on a zero divisor or
// a quotient that does not fit). 32-bit products and quotients are computed in 16-bit pieces so
// everything stays in exact double arithmetic without BigInt (no allocation per instruction).

import { VECTOR } from '../cpuFault';
import { EFLAGS } from '../cpuState';
import type { ExecContext } from '../execContext';
import { getReg16, getReg8, operandBits, operandGetter, operandSetter, setReg16, signExtend, widthMask } from '../operands';
import { defineSemantics, type Handler } from './registry';

const { CF, OF, AF } = EFLAGS;
const EAX = 0, EDX = 2;

/** High 32 bits of the unsigned 64-bit product of two uint32 values. */
export function mulHighU32(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const lo = aLo * bLo, mid1 = aHi * bLo, mid2 = aLo * bHi;
  const carry = ((lo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) / 65536;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + Math.floor(carry)) >>> 0;
}

/** High 32 bits of the signed 64-bit product of two int32 values (as a uint32 bit pattern). */
export function mulHighS32(a: number, b: number): number {
  let hi = mulHighU32(a >>> 0, b >>> 0);
  if (a < 0) hi -= b >>> 0;
  if (b < 0) hi -= a >>> 0;
  return hi >>> 0;
}

/** CF and OF (both set or both clear), SF ZF PF from the low result, AF clear. */
function setMulFlags(c: ExecContext, low: number, bits: number, overflow: boolean): void {
  c.flags.resultWith(low, bits, CF | OF | AF, overflow ? CF | OF : 0);
}

defineSemantics(['mul'], (form): Handler => {
  const bits = operandBits(form, 0), src = operandGetter(form, 0);
  if (bits === 8) {
    return (c, d) => {
      const p = getReg8(c, 0) * src(c, d);
      setReg16(c, EAX, p);
      setMulFlags(c, p & 0xff, 8, p > 0xff);
    };
  }
  if (bits === 16) {
    return (c, d) => {
      const p = getReg16(c, EAX) * src(c, d);
      setReg16(c, EAX, p);
      setReg16(c, EDX, p >>> 16);
      setMulFlags(c, p & 0xffff, 16, p > 0xffff);
    };
  }
  return (c, d) => {
    const r = c.state.regs, a = r[EAX]! >>> 0, b = src(c, d);
    const hi = mulHighU32(a, b), lo = Math.imul(a, b);
    r[EAX] = lo;
    r[EDX] = hi;
    setMulFlags(c, lo, 32, hi !== 0);
  };
});

defineSemantics(['imul'], (form): Handler => {
  const bits = operandBits(form, 0);
  if (form.operands.length === 1) {
    const src = operandGetter(form, 0);
    if (bits === 8) {
      return (c, d) => {
        const p = signExtend(getReg8(c, 0), 8) * signExtend(src(c, d), 8);
        setReg16(c, EAX, p);
        setMulFlags(c, p & 0xff, 8, p !== signExtend(p, 8));
      };
    }
    if (bits === 16) {
      return (c, d) => {
        const p = signExtend(getReg16(c, EAX), 16) * signExtend(src(c, d), 16);
        setReg16(c, EAX, p);
        setReg16(c, EDX, p >> 16);
        setMulFlags(c, p & 0xffff, 16, p !== signExtend(p, 16));
      };
    }
    return (c, d) => {
      const r = c.state.regs, a = r[EAX]!, b = src(c, d) | 0;
      const hi = mulHighS32(a, b), lo = Math.imul(a, b);
      r[EAX] = lo;
      r[EDX] = hi;
      setMulFlags(c, lo, 32, hi !== (lo >> 31 >>> 0));
    };
  }
  // Two operands (`imul r, rm` and `imul r, imm` = `imul r, r, imm`) or three.
  const set = operandSetter(form, 0);
  // `imul r, imm` has its register in both ModRM fields (slot regrm), so operand 0 reads it too.
  const a = operandGetter(form, form.operands.length === 3 ? 1 : 0);
  const b = operandGetter(form, form.operands.length === 3 ? 2 : 1);
  const mask = widthMask(bits);
  if (bits === 16) {
    return (c, d) => {
      const p = signExtend(a(c, d), 16) * signExtend(b(c, d), 16);
      set(c, d, p & mask);
      setMulFlags(c, p & mask, 16, p !== signExtend(p, 16));
    };
  }
  return (c, d) => {
    const x = a(c, d) | 0, y = b(c, d) | 0;
    const lo = Math.imul(x, y);
    set(c, d, lo);
    setMulFlags(c, lo, 32, mulHighS32(x, y) !== (lo >> 31 >>> 0));
  };
});

/** Remainder of the last divide64 (kept in module state so the divide allocates nothing). */
let remainder = 0;

/**
 * Unsigned (hi:lo) / divisor for hi < divisor (so the quotient fits in 32 bits), by two long
 * division steps of 16 bits, each exact in doubles. Sets `remainder`.
 */
function divide64(hi: number, lo: number, divisor: number): number {
  let n = hi * 65536 + (lo >>> 16);
  const q1 = Math.floor(n / divisor);
  n = (n - q1 * divisor) * 65536 + (lo & 0xffff);
  const q0 = Math.floor(n / divisor);
  remainder = n - q0 * divisor;
  return q1 * 65536 + q0;
}

defineSemantics(['div'], (form): Handler => {
  const bits = operandBits(form, 0), src = operandGetter(form, 0);
  if (bits === 8) {
    return (c, d) => {
      const v = src(c, d), n = getReg16(c, EAX);
      if (v === 0) c.raise(VECTOR.DE);
      const q = Math.floor(n / v);
      if (q > 0xff) c.raise(VECTOR.DE);
      setReg16(c, EAX, ((n - q * v) << 8) | q);
    };
  }
  if (bits === 16) {
    return (c, d) => {
      const v = src(c, d), n = getReg16(c, EDX) * 65536 + getReg16(c, EAX);
      if (v === 0) c.raise(VECTOR.DE);
      const q = Math.floor(n / v);
      if (q > 0xffff) c.raise(VECTOR.DE);
      setReg16(c, EAX, q);
      setReg16(c, EDX, n - q * v);
    };
  }
  return (c, d) => {
    const v = src(c, d), r = c.state.regs, hi = r[EDX]! >>> 0;
    if (v === 0 || hi >= v) c.raise(VECTOR.DE);
    r[EAX] = divide64(hi, r[EAX]! >>> 0, v);
    r[EDX] = remainder;
  };
});

defineSemantics(['idiv'], (form): Handler => {
  const bits = operandBits(form, 0), src = operandGetter(form, 0);
  if (bits === 8 || bits === 16) {
    const limit = bits === 8 ? 0x80 : 0x8000;
    return (c, d) => {
      const v = signExtend(src(c, d), bits);
      const n = bits === 8 ? signExtend(getReg16(c, EAX), 16) : (getReg16(c, EDX) << 16) | getReg16(c, EAX);
      if (v === 0) c.raise(VECTOR.DE);
      const q = Math.trunc(n / v);
      if (q >= limit || q < -limit) c.raise(VECTOR.DE);
      const rem = n - q * v;
      if (bits === 8) setReg16(c, EAX, ((rem & 0xff) << 8) | (q & 0xff));
      else { setReg16(c, EAX, q); setReg16(c, EDX, rem); }
    };
  }
  return (c, d) => {
    const v = src(c, d) | 0, r = c.state.regs;
    if (v === 0) c.raise(VECTOR.DE);
    let hi = r[EDX]! >>> 0, lo = r[EAX]! >>> 0;
    const negative = (hi & 0x80000000) !== 0;
    if (negative) { // |dividend| as a 64-bit two's complement negation
      lo = (-lo) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    const divisor = Math.abs(v);
    if (hi >= divisor) c.raise(VECTOR.DE);
    const q = divide64(hi, lo, divisor);
    const quotientNegative = negative !== v < 0;
    if (quotientNegative ? q > 0x80000000 : q > 0x7fffffff) c.raise(VECTOR.DE);
    r[EAX] = quotientNegative ? -q : q;
    r[EDX] = negative ? -remainder : remainder;
  };
});
