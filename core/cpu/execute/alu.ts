// Semantics of the two-operand ALU instructions (ADD OR ADC SBB AND SUB XOR CMP TEST), the
// one-operand ones (INC DEC NEG NOT) and ARPL. Each handler is specialised per form at load;
// the destination is written before the flags so a faulting write leaves the flags untouched.

import type { Decoded } from '../../disasm/decoded';
import type { Form } from '../../isa';
import type { ExecContext } from '../execContext';
import type { LazyFlags } from '../lazyFlags';
import { EFLAGS } from '../cpuState';
import { operandBits, operandGetter, operandSetter, widthMask } from '../operands';
import { defineSemantics, type Handler } from './registry';

const { ZF } = EFLAGS;

/** The two-operand operations, in opcode order (ADD 00, OR 08 ... CMP 38), TEST last. */
const enum Op { Add, Or, Adc, Sbb, And, Sub, Xor, Cmp, Test }
const BINARY_OPS: Readonly<Record<string, Op>> = {
  add: Op.Add, or: Op.Or, adc: Op.Adc, sbb: Op.Sbb, and: Op.And, sub: Op.Sub, xor: Op.Xor, cmp: Op.Cmp, test: Op.Test,
};

/** x op y before masking to the width (ADC/SBB add the carry in). */
function resultOf(c: ExecContext, op: Op, x: number, y: number): number {
  switch (op) {
    case Op.Add: return x + y;
    case Op.Or: return x | y;
    case Op.Adc: return x + y + (c.flags.cf() ? 1 : 0);
    case Op.Sbb: return x - y - (c.flags.cf() ? 1 : 0);
    case Op.And: case Op.Test: return x & y;
    case Op.Sub: case Op.Cmp: return x - y;
    default: return x ^ y;
  }
}

function recordFlags(f: LazyFlags, op: Op, x: number, y: number, r: number, bits: number): void {
  switch (op) {
    case Op.Add: case Op.Adc: f.add(x, y, r, bits); break;
    case Op.Sub: case Op.Sbb: case Op.Cmp: f.sub(x, y, r, bits); break;
    default: f.logic(r, bits);
  }
}

/** CMP and TEST only set flags. */
const writesResult = (op: Op): boolean => op < Op.Cmp;

/** Any width and operand kind, through the form's operand accessors. */
function genericBinary(form: Form, op: Op): Handler {
  const bits = operandBits(form, 0), mask = widthMask(bits);
  const a = operandGetter(form, 0), b = operandGetter(form, 1);
  const set = writesResult(op) ? operandSetter(form, 0) : undefined;
  return (c, d) => {
    const x = a(c, d), y = b(c, d), r = resultOf(c, op, x, y) & mask;
    if (set !== undefined) set(c, d, r); // the destination before the flags: a faulting write changes neither
    recordFlags(c.flags, op, x, y, r, bits);
  };
}

// 32-bit fast paths: register (mod 3) and immediate operands reach the register file directly,
// and a memory destination computes its address once for the read and the write. Values are
// int32 throughout.

function binaryReg32(c: ExecContext, op: Op, dst: number, y: number): void {
  const regs = c.state.regs;
  const x = regs[dst]!, r = resultOf(c, op, x, y) | 0;
  if (writesResult(op)) regs[dst] = r;
  recordFlags(c.flags, op, x, y, r, 32);
}

function binaryMem32(c: ExecContext, op: Op, d: Decoded, y: number): void {
  const seg = d.memSeg, offset = c.effectiveAddress(d);
  const x = c.read32(seg, offset) | 0, r = resultOf(c, op, x, y) | 0;
  if (writesResult(op)) c.write32(seg, offset, r);
  recordFlags(c.flags, op, x, y, r, 32);
}

function fastBinary32(form: Form, op: Op, generic: Handler): Handler | undefined {
  if (operandBits(form, 0) !== 32) return undefined;
  const [slot0, slot1] = form.encoding.slots, src = form.operands[1];
  if (slot0 === 'rm' && slot1 === 'reg') {
    return (c, d) => {
      const y = c.state.regs[d.reg]!;
      if (d.mod === 3) binaryReg32(c, op, d.rm, y); else binaryMem32(c, op, d, y);
    };
  }
  if (slot0 === 'reg' && slot1 === 'rm') {
    return (c, d) => { if (d.mod === 3) binaryReg32(c, op, d.reg, c.state.regs[d.rm]!); else generic(c, d); };
  }
  if (slot1 === 'imm' && (src === 'imm32' || src === 'sbyte32')) {
    if (slot0 === 'rm') return (c, d) => { if (d.mod === 3) binaryReg32(c, op, d.rm, d.imm | 0); else binaryMem32(c, op, d, d.imm | 0); };
    if (form.operands[0] === 'eax') return (c, d) => binaryReg32(c, op, 0, d.imm | 0);
  }
  return undefined;
}

defineSemantics(Object.keys(BINARY_OPS), (form): Handler => {
  const op = BINARY_OPS[form.mnemonic]!;
  const generic = genericBinary(form, op);
  return fastBinary32(form, op, generic) ?? generic;
});

/** INC/DEC keep CF; a 32-bit register operand (40+r, 48+r, or FF /0 /1 with mod 3) goes straight to the register file. */
function incDec(form: Form, delta: 1 | -1): Handler {
  const bits = operandBits(form, 0), mask = widthMask(bits), get = operandGetter(form, 0), set = operandSetter(form, 0);
  const generic: Handler = (c, d) => {
    const x = get(c, d), r = (x + delta) & mask;
    set(c, d, r);
    if (delta === 1) c.flags.inc(x, r, bits); else c.flags.dec(x, r, bits);
  };
  if (bits !== 32) return generic;
  const reg32 = (c: ExecContext, n: number): void => {
    const regs = c.state.regs, x = regs[n]!, r = (x + delta) | 0;
    regs[n] = r;
    if (delta === 1) c.flags.inc(x, r, 32); else c.flags.dec(x, r, 32);
  };
  if (form.encoding.slots[0] === 'opreg') return (c, d) => reg32(c, d.reg);
  return (c, d) => { if (d.mod === 3) reg32(c, d.rm); else generic(c, d); };
}

defineSemantics(['inc'], (form): Handler => incDec(form, 1));
defineSemantics(['dec'], (form): Handler => incDec(form, -1));

defineSemantics(['neg'], (form): Handler => {
  const bits = operandBits(form, 0), mask = widthMask(bits), get = operandGetter(form, 0), set = operandSetter(form, 0);
  return (c, d) => {
    const x = get(c, d), r = -x & mask;
    set(c, d, r);
    c.flags.sub(0, x, r, bits);
  };
});

defineSemantics(['not'], (form): Handler => {
  const mask = widthMask(operandBits(form, 0)), get = operandGetter(form, 0), set = operandSetter(form, 0);
  return (c, d) => set(c, d, ~get(c, d) & mask);
});

/** ARPL: raise the destination selector's RPL to the source's; ZF says whether it changed. */
defineSemantics(['arpl'], (form): Handler => {
  const dst = operandGetter(form, 0), src = operandGetter(form, 1), set = operandSetter(form, 0);
  return (c, d) => {
    const x = dst(c, d), rpl = src(c, d) & 3;
    if ((x & 3) < rpl) {
      set(c, d, (x & ~3) | rpl);
      c.flags.set(ZF, ZF);
    } else {
      c.flags.set(ZF, 0);
    }
  };
});
