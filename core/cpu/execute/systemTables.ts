// The descriptor-table registers: LGDT/LIDT/SGDT/SIDT, LLDT/SLDT, LTR/STR. The loads are
// privileged; the stores are not (the "sensitive" half that betrays a VMM).

import type { Decoded } from '../../disasm/decoded';
import type { Form } from '../../isa';
import { VECTOR } from '../cpuFault';
import type { TableRegister } from '../cpuState';
import type { Cpu } from '../cpu';
import type { ExecContext } from '../execContext';
import { getReg16, setReg16, setReg32 } from '../operands';
import { Descriptor, fillCache, fillNull, isNullSelector, readDescriptor } from '../segmentation';
import { defineSemantics, type Handler } from './registry';

const TYPE_LDT = 0x2;
const TYPE_TSS16_AVAILABLE = 0x1;
const TYPE_TSS32_AVAILABLE = 0x9;
const TSS_BUSY_BIT = 0x2;

function tableLoad(pick: (cpu: Cpu) => TableRegister): Handler {
  return (c, d) => {
    const cpu = c as Cpu;
    cpu.requireCpl0();
    const ea = c.effectiveAddress(d);
    const limit = c.read16(d.memSeg, ea);
    const base = c.read32(d.memSeg, (ea + 2) >>> 0);
    const reg = pick(cpu);
    reg.limit = limit;
    reg.base = d.opsize16 ? base & 0x00ff_ffff : base >>> 0; // o16 loads a 24-bit base
  };
}

function tableStore(pick: (cpu: Cpu) => TableRegister): Handler {
  return (c, d) => {
    const reg = pick(c as Cpu);
    const ea = c.effectiveAddress(d);
    c.write16(d.memSeg, ea, reg.limit);
    c.write32(d.memSeg, (ea + 2) >>> 0, reg.base);
  };
}

defineSemantics(['lgdt'], () => tableLoad((cpu) => cpu.state.gdtr));
defineSemantics(['lidt'], () => tableLoad((cpu) => cpu.state.idtr));
defineSemantics(['sgdt'], () => tableStore((cpu) => cpu.state.gdtr));
defineSemantics(['sidt'], () => tableStore((cpu) => cpu.state.idtr));

/** Selector operand of LLDT/LTR/VERR...: rm16. */
export function selectorOperand(c: ExecContext, d: Decoded): number {
  return d.mod === 3 ? getReg16(c, d.rm) : c.read16(d.memSeg, c.effectiveAddress(d));
}

/** SLDT/STR store: 16 bits to memory or r16, zero-extended into r32. */
function selectorStore(form: Form, get: (cpu: Cpu) => number): Handler {
  const kind = form.operands[0];
  if (kind === 'm16') return (c, d) => c.write16(d.memSeg, c.effectiveAddress(d), get(c as Cpu));
  if (kind === 'r16') return (c, d) => setReg16(c, d.rm, get(c as Cpu));
  return (c, d) => setReg32(c, d.rm, get(c as Cpu));
}

const desc = new Descriptor();

defineSemantics(['lldt'], () => (c, d) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  const selector = selectorOperand(c, d);
  const ldtr = cpu.state.ldtr;
  if (isNullSelector(selector)) { fillNull(ldtr, selector); return; }
  const err = selector & 0xfffc;
  if ((selector & 4) !== 0 || !readDescriptor(cpu, selector, desc)) cpu.raise(VECTOR.GP, err);
  if (desc.s || desc.type !== TYPE_LDT) cpu.raise(VECTOR.GP, err);
  if (!desc.present) cpu.raise(VECTOR.NP, err);
  fillCache(ldtr, selector, desc);
});

defineSemantics(['ltr'], () => (c, d) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  const selector = selectorOperand(c, d);
  const err = selector & 0xfffc;
  if (isNullSelector(selector)) cpu.raise(VECTOR.GP, 0);
  if ((selector & 4) !== 0 || !readDescriptor(cpu, selector, desc)) cpu.raise(VECTOR.GP, err);
  if (desc.s || (desc.type !== TYPE_TSS32_AVAILABLE && desc.type !== TYPE_TSS16_AVAILABLE)) cpu.raise(VECTOR.GP, err);
  if (!desc.present) cpu.raise(VECTOR.NP, err);
  desc.hi |= TSS_BUSY_BIT << 8;
  cpu.writeLin32((desc.linAddr + 4) | 0, desc.hi);
  fillCache(cpu.state.tr, selector, desc);
});

defineSemantics(['sldt'], (form) => selectorStore(form, (cpu) => cpu.state.ldtr.selector));
defineSemantics(['str'], (form) => selectorStore(form, (cpu) => cpu.state.tr.selector));
