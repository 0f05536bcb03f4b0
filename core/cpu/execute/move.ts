// Semantics of data movement: MOV (general and moffs forms; the segment, control and debug
// register forms belong to the system half), MOVZX MOVSX, XCHG, LEA, CBW CWDE CWD CDQ, LAHF SAHF,
// XLATB, CMOVcc, SETcc, XADD, CMPXCHG, CMPXCHG8B, BOUND (#BR), NOP and WAIT.

import type { Form } from '../../isa';
import { CR0, EFLAGS } from '../cpuState';
import { VECTOR } from '../cpuFault';
import {
  getReg16, getReg32, getReg8, operandBits, operandGetter, operandSetter, setReg16, setReg32, setReg8, signExtend, widthMask,
} from '../operands';
import { conditionFamily, conditionHolds, conditionOf } from './condition';
import { defineSemantics, type Handler } from './registry';

const { ZF } = EFLAGS;
const SZAPC = EFLAGS.SF | EFLAGS.ZF | EFLAGS.AF | EFLAGS.PF | EFLAGS.CF;
const EAX = 0, ECX = 1, EDX = 2, EBX = 3, AH = 4;

/** Forms that move segment, control or debug registers are the system half's. */
const systemOperand = (form: Form): boolean => form.operands.some((k) => k === 'sreg' || k === 'creg' || k === 'dreg');

defineSemantics(['mov'], (form): Handler | undefined => {
  if (systemOperand(form)) return undefined;
  const get = operandGetter(form, 1), set = operandSetter(form, 0);
  return fastMov32(form) ?? ((c, d) => set(c, d, get(c, d)));
});

/** The 32-bit register, memory and immediate MOVs (the commonest instructions) without the
 *  operand accessors: mod is tested once and the register file is indexed directly. */
function fastMov32(form: Form): Handler | undefined {
  const [k0, k1] = form.operands, [s0, s1] = form.encoding.slots;
  if (k0 === 'rm32' && k1 === 'r32') {
    return (c, d) => {
      const regs = c.state.regs;
      if (d.mod === 3) regs[d.rm] = regs[d.reg]!; else c.write32(d.memSeg, c.effectiveAddress(d), regs[d.reg]!);
    };
  }
  if (k0 === 'r32' && k1 === 'rm32') {
    return (c, d) => {
      const regs = c.state.regs;
      regs[d.reg] = d.mod === 3 ? regs[d.rm]! : c.read32(d.memSeg, c.effectiveAddress(d));
    };
  }
  if (k0 === 'r32' && s0 === 'opreg' && k1 === 'imm32') return (c, d) => { c.state.regs[d.reg] = d.imm; };
  if (k0 === 'rm32' && s0 === 'rm' && k1 === 'imm32' && s1 === 'imm') {
    return (c, d) => { if (d.mod === 3) c.state.regs[d.rm] = d.imm; else c.write32(d.memSeg, c.effectiveAddress(d), d.imm); };
  }
  return undefined;
}

defineSemantics(['movzx'], (form): Handler => {
  const get = operandGetter(form, 1), set = operandSetter(form, 0);
  return (c, d) => set(c, d, get(c, d));
});

defineSemantics(['movsx'], (form): Handler => {
  const get = operandGetter(form, 1), set = operandSetter(form, 0), bits = operandBits(form, 1);
  return (c, d) => set(c, d, signExtend(get(c, d), bits));
});

/** XCHG: the memory side is written first, so a faulting write changes no register. */
defineSemantics(['xchg'], (form): Handler => {
  const memFirst = form.encoding.slots[0] === 'rm' ? 0 : 1;
  const getA = operandGetter(form, memFirst), getB = operandGetter(form, 1 - memFirst);
  const setA = operandSetter(form, memFirst), setB = operandSetter(form, 1 - memFirst);
  return (c, d) => {
    const a = getA(c, d), b = getB(c, d);
    setA(c, d, b);
    setB(c, d, a);
  };
});

/** LEA: the effective address (already wrapped to the address size) truncated to the operand size. */
defineSemantics(['lea'], (form): Handler => {
  const set = operandSetter(form, 0);
  return (c, d) => {
    if (d.mod === 3) c.raise(VECTOR.UD);
    set(c, d, c.effectiveAddress(d));
  };
});

defineSemantics(['cbw'], (): Handler => (c) => setReg16(c, EAX, signExtend(getReg8(c, 0), 8)));
defineSemantics(['cwde'], (): Handler => (c) => { c.state.regs[EAX] = signExtend(c.state.regs[EAX]!, 16); });
defineSemantics(['cwd'], (): Handler => (c) => setReg16(c, EDX, (c.state.regs[EAX]! << 16) >> 31));
defineSemantics(['cdq'], (): Handler => (c) => { c.state.regs[EDX] = c.state.regs[EAX]! >> 31; });

/** LAHF: AH = SF ZF 0 AF 0 PF 1 CF. */
defineSemantics(['lahf'], (): Handler => (c) => setReg8(c, AH, (c.flags.get() & SZAPC) | 2));
defineSemantics(['sahf'], (): Handler => (c) => c.flags.set(SZAPC, getReg8(c, AH)));

/** XLATB: AL = [seg:(E)BX + AL], DS unless overridden. */
defineSemantics(['xlatb'], (): Handler => (c, d) => {
  const base = d.addrsize16 ? (getReg16(c, EBX) + getReg8(c, 0)) & 0xffff : (c.state.regs[EBX]! + getReg8(c, 0)) >>> 0;
  setReg8(c, 0, c.read8(d.segOverride >= 0 ? d.segOverride : 3, base));
});

/** CMOVcc reads its source whatever the condition (a memory source can fault either way). */
defineSemantics(conditionFamily('cmov'), (form): Handler => {
  const cc = conditionOf(form), get = operandGetter(form, 1), set = operandSetter(form, 0);
  return (c, d) => {
    const v = get(c, d);
    if (conditionHolds(c.flags, cc)) set(c, d, v);
  };
});

defineSemantics(conditionFamily('set'), (form): Handler => {
  const cc = conditionOf(form), set = operandSetter(form, 0);
  return (c, d) => set(c, d, conditionHolds(c.flags, cc) ? 1 : 0);
});

/** XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (so `xadd eax, eax` doubles EAX). */
defineSemantics(['xadd'], (form): Handler => {
  const bits = operandBits(form, 0), mask = widthMask(bits);
  const getD = operandGetter(form, 0), getS = operandGetter(form, 1), setD = operandSetter(form, 0), setS = operandSetter(form, 1);
  return (c, d) => {
    const x = getD(c, d), y = getS(c, d), r = (x + y) & mask;
    if (d.mod === 3) { setS(c, d, x); setD(c, d, r); } else { setD(c, d, r); setS(c, d, x); }
    c.flags.add(x, y, r, bits);
  };
});

/** CMPXCHG: flags of CMP accumulator, dest; the destination is always written (the old value on a miss). */
defineSemantics(['cmpxchg'], (form): Handler => {
  const bits = operandBits(form, 0), mask = widthMask(bits);
  const getD = operandGetter(form, 0), getS = operandGetter(form, 1), setD = operandSetter(form, 0);
  const getAcc = bits === 8 ? getReg8 : bits === 16 ? getReg16 : getReg32;
  const setAcc = bits === 8 ? setReg8 : bits === 16 ? setReg16 : setReg32;
  return (c, d) => {
    const x = getD(c, d), acc = getAcc(c, EAX);
    if (acc === x) {
      setD(c, d, getS(c, d));
    } else {
      setD(c, d, x);
      setAcc(c, EAX, x);
    }
    c.flags.sub(acc, x, (acc - x) & mask, bits);
  };
});

/** CMPXCHG8B: EDX:EAX against m64; equal stores ECX:EBX, else loads EDX:EAX. Only ZF changes. */
defineSemantics(['cmpxchg8b'], (): Handler => (c, d) => {
  if (d.mod === 3) c.raise(VECTOR.UD);
  const r = c.state.regs, ea = c.effectiveAddress(d), hiAddr = d.addrsize16 ? (ea + 4) & 0xffff : (ea + 4) >>> 0;
  const lo = c.read32(d.memSeg, ea) | 0, hi = c.read32(d.memSeg, hiAddr) | 0;
  if (lo === r[EAX] && hi === r[EDX]) {
    c.write32(d.memSeg, ea, r[EBX]!);
    c.write32(d.memSeg, hiAddr, r[ECX]!);
    c.flags.set(ZF, ZF);
  } else {
    c.write32(d.memSeg, ea, lo);
    c.write32(d.memSeg, hiAddr, hi);
    r[EAX] = lo;
    r[EDX] = hi;
    c.flags.set(ZF, 0);
  }
});

/** BOUND: #BR unless lower <= index <= upper (signed, the two bounds side by side in memory). */
defineSemantics(['bound'], (form): Handler => {
  const bits = operandBits(form, 0), get = operandGetter(form, 0);
  return (c, d) => {
    if (d.mod === 3) c.raise(VECTOR.UD);
    const ea = c.effectiveAddress(d), index = signExtend(get(c, d), bits);
    const upperAddr = d.addrsize16 ? (ea + bits / 8) & 0xffff : (ea + bits / 8) >>> 0;
    const lower = bits === 16 ? signExtend(c.read16(d.memSeg, ea), 16) : c.read32(d.memSeg, ea) | 0;
    const upper = bits === 16 ? signExtend(c.read16(d.memSeg, upperAddr), 16) : c.read32(d.memSeg, upperAddr) | 0;
    if (index < lower || index > upper) c.raise(VECTOR.BR);
  };
});

/** NOP (also the `0F 1F /0` multi-byte form, which does not touch its memory operand). */
defineSemantics(['nop'], (): Handler => () => {});

/** WAIT: #NM when CR0.MP and CR0.TS are both set; otherwise nothing (no x87 exceptions to wait for). */
defineSemantics(['wait'], (): Handler => (c) => {
  if ((c.state.cr0 & (CR0.MP | CR0.TS)) === (CR0.MP | CR0.TS)) c.raise(VECTOR.NM);
});
