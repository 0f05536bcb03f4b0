// Flag instructions: CLC/STC/CMC/CLD/STD, CLI/STI under IOPL (STI's one-instruction shadow),
// PUSHF/POPF with their CPL and IOPL rules (POPF at CPL > 0 keeps IOPL, and keeps IF when
// CPL > IOPL: the silent failure that makes POPF non-virtualizable).

import { EFLAGS } from '../cpuState';
import type { Cpu } from '../cpu';
import { iretFlagsMask } from '../farTransfer';
import { defineSemantics } from './registry';

const { CF, DF, IF, IOPL, VM, RF } = EFLAGS;

function iopl(cpu: Cpu): number { return (cpu.state.flagsRest & IOPL) >>> 12; }

defineSemantics(['clc'], () => (c) => c.flags.set(CF, 0));
defineSemantics(['stc'], () => (c) => c.flags.set(CF, CF));
defineSemantics(['cmc'], () => (c) => c.flags.set(CF, c.flags.cf() ? 0 : CF));
defineSemantics(['cld'], () => (c) => { c.state.flagsRest &= ~DF; });
defineSemantics(['std'], () => (c) => { c.state.flagsRest |= DF; });

defineSemantics(['cli'], () => (c) => {
  const cpu = c as Cpu;
  cpu.requireIopl();
  cpu.state.flagsRest &= ~IF;
});

defineSemantics(['sti'], () => (c) => {
  const cpu = c as Cpu;
  const st = cpu.state;
  cpu.requireIopl();
  if ((st.flagsRest & IF) === 0) {
    st.flagsRest |= IF;
    st.interruptShadow = true; // interrupts wait until after the next instruction
    cpu.noteInterruptCheck();
  }
});

defineSemantics(['pushfd'], () => (c) => {
  const cpu = c as Cpu;
  cpu.push32(cpu.getEflags() & ~(VM | RF));
});
defineSemantics(['pushfw'], () => (c) => {
  const cpu = c as Cpu;
  cpu.push16(cpu.getEflags() & 0xffff);
});

function popFlags(cpu: Cpu, width: number): void {
  const value = width === 4 ? cpu.pop32() : cpu.pop16();
  // Same rules as IRET within a ring, except that RF is cleared rather than loaded; VM never changes.
  cpu.setEflags(value, iretFlagsMask(cpu.state.cpl, iopl(cpu), width) & ~RF);
  cpu.state.flagsRest &= ~RF;
}
defineSemantics(['popfd'], () => (c) => popFlags(c as Cpu, 4));
defineSemantics(['popfw'], () => (c) => popFlags(c as Cpu, 2));
