// Semantics of the bit instructions: BT BTS BTR BTC (register or immediate bit offset; with a
// memory operand and a register offset the offset is signed and may address outside the
// operand), BSF BSR and BSWAP.

import type { Form } from '../../isa';
import { EFLAGS } from '../cpuState';
import type { ExecContext } from '../execContext';
import type { Decoded } from '../../disasm/decoded';
import { operandBits, operandGetter, operandSetter, signExtend } from '../operands';
import { defineSemantics, type Handler } from './registry';

const { CF, ZF } = EFLAGS;

/** 0 test, 1 set, 2 reset, 3 complement. */
type BitOp = 0 | 1 | 2 | 3;

function apply(op: BitOp, x: number, bit: number): number {
  const m = 1 << bit;
  return op === 1 ? x | m : op === 2 ? x & ~m : x ^ m;
}

/** Memory access of `bits` width at a byte offset from the operand's effective address. */
function memRead(c: ExecContext, d: Decoded, bits: number, offset: number): number {
  return bits === 16 ? c.read16(d.memSeg, offset) : c.read32(d.memSeg, offset) >>> 0;
}
function memWrite(c: ExecContext, d: Decoded, bits: number, offset: number, v: number): void {
  if (bits === 16) c.write16(d.memSeg, offset, v); else c.write32(d.memSeg, offset, v);
}

function bitTest(op: BitOp) {
  return (form: Form): Handler => {
    const bits = operandBits(form, 0);
    const get = operandGetter(form, 0), set = operandSetter(form, 0), off = operandGetter(form, 1);
    const registerOffset = form.operands[1] !== 'imm8';
    const shift = bits === 16 ? 4 : 5;
    return (c, d) => {
      const offset = off(c, d);
      const bit = offset & (bits - 1);
      if (d.mod !== 3 && registerOffset) {
        // The signed offset selects the word/dword: EA + (offset >> 4 or 5) * operand bytes.
        const ea = c.effectiveAddress(d) + (signExtend(offset, bits) >> shift) * (bits >> 3);
        const addr = d.addrsize16 ? ea & 0xffff : ea >>> 0;
        const x = memRead(c, d, bits, addr);
        if (op !== 0) memWrite(c, d, bits, addr, apply(op, x, bit));
        c.flags.set(CF, (x >>> bit) & 1 ? CF : 0);
        return;
      }
      const x = get(c, d);
      if (op !== 0) set(c, d, apply(op, x, bit));
      c.flags.set(CF, (x >>> bit) & 1 ? CF : 0);
    };
  };
}

defineSemantics(['bt'], bitTest(0));
defineSemantics(['bts'], bitTest(1));
defineSemantics(['btr'], bitTest(2));
defineSemantics(['btc'], bitTest(3));

/** BSF/BSR: a zero source sets ZF and leaves the destination as it was (what AMD documents and Intel does). */
defineSemantics(['bsf'], (form): Handler => {
  const src = operandGetter(form, 1), set = operandSetter(form, 0);
  return (c, d) => {
    const x = src(c, d);
    if (x === 0) { c.flags.set(ZF, ZF); return; }
    set(c, d, 31 - Math.clz32(x & -x));
    c.flags.set(ZF, 0);
  };
});

defineSemantics(['bsr'], (form): Handler => {
  const src = operandGetter(form, 1), set = operandSetter(form, 0);
  return (c, d) => {
    const x = src(c, d);
    if (x === 0) { c.flags.set(ZF, ZF); return; }
    set(c, d, 31 - Math.clz32(x));
    c.flags.set(ZF, 0);
  };
});

defineSemantics(['bswap'], (): Handler => (c, d) => {
  const r = c.state.regs, x = r[d.reg]!;
  r[d.reg] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
});
