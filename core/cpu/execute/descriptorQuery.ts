// LAR, LSL, VERR and VERW: unprivileged questions about a selector whose answers depend on
// the CPL (why Robin and Irvine list them as sensitive). A failed check clears ZF, never faults.

import { EFLAGS } from '../cpuState';
import type { Cpu } from '../cpu';
import { getReg16, getReg32, setReg16, setReg32 } from '../operands';
import { Descriptor, isNullSelector, readDescriptor } from '../segmentation';
import { selectorOperand } from './systemTables';
import { defineSemantics } from './registry';

const { ZF } = EFLAGS;
const desc = new Descriptor();
/** System types LAR accepts: TSS 16/32 (available, busy), LDT, call gates, task gate. */
const LAR_SYSTEM_TYPES = new Set([1, 2, 3, 4, 5, 9, 0xb, 0xc]);
/** System types LSL accepts: TSS and LDT (gates have no limit). */
const LSL_SYSTEM_TYPES = new Set([1, 2, 3, 9, 0xb]);

/** Reads the selector's descriptor and applies the visibility rule: false clears ZF. */
function visible(cpu: Cpu, selector: number, systemTypes: ReadonlySet<number> | null): boolean {
  if (isNullSelector(selector) || !readDescriptor(cpu, selector, desc)) return false;
  if (!desc.s) {
    if (systemTypes === null || !systemTypes.has(desc.type)) return false;
  }
  if (desc.conforming) return true;
  return desc.dpl >= cpu.state.cpl && desc.dpl >= (selector & 3);
}

function rmSource(c: Cpu, d: import('../../disasm/decoded').Decoded, wide: boolean): number {
  if (d.mod === 3) return wide ? getReg32(c, d.rm) & 0xffff : getReg16(c, d.rm);
  return c.read16(d.memSeg, c.effectiveAddress(d));
}

defineSemantics(['lar'], (form) => {
  const wide = form.operands[0] === 'r32';
  return (c, d) => {
    const cpu = c as Cpu;
    if (!visible(cpu, rmSource(cpu, d, wide), LAR_SYSTEM_TYPES)) { c.flags.set(ZF, 0); return; }
    if (wide) setReg32(c, d.reg, desc.hi & 0x00f0ff00); else setReg16(c, d.reg, desc.hi & 0xff00);
    c.flags.set(ZF, ZF);
  };
});

defineSemantics(['lsl'], (form) => {
  const wide = form.operands[0] === 'r32';
  return (c, d) => {
    const cpu = c as Cpu;
    if (!visible(cpu, rmSource(cpu, d, wide), LSL_SYSTEM_TYPES)) { c.flags.set(ZF, 0); return; }
    if (wide) setReg32(c, d.reg, desc.limit); else setReg16(c, d.reg, desc.limit);
    c.flags.set(ZF, ZF);
  };
});

defineSemantics(['verr'], () => (c, d) => {
  const cpu = c as Cpu;
  const ok = visible(cpu, selectorOperand(c, d), null) && desc.s && desc.readable;
  c.flags.set(ZF, ok ? ZF : 0);
});

defineSemantics(['verw'], () => (c, d) => {
  const cpu = c as Cpu;
  const ok = visible(cpu, selectorOperand(c, d), null) && desc.writableData;
  c.flags.set(ZF, ok ? ZF : 0);
});
