// Registers by name, for conditions, evaluate, watch and setVariable: the general registers and
// their 16/8-bit parts, EIP, EFLAGS and each flag, segment selectors, control registers, CPL, and
// the guest's view of its CPU under a hypervisor (vcpl, vif, vcr3).

import type { Cpu } from '../cpu/cpu';
import { EFLAGS } from '../cpu/cpuState';
import type { Hypervisor } from '../hypervisor';

export const REG32_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
const REG16_NAMES = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const REG8_LOW = ['al', 'cl', 'dl', 'bl'];
const REG8_HIGH = ['ah', 'ch', 'dh', 'bh'];
export const SEGMENT_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;
/** One-bit flags by their lower-case names (iopl is two bits). */
export const FLAG_BITS: Readonly<Record<string, number>> = {
  cf: EFLAGS.CF, pf: EFLAGS.PF, af: EFLAGS.AF, zf: EFLAGS.ZF, sf: EFLAGS.SF, tf: EFLAGS.TF,
  if: EFLAGS.IF, df: EFLAGS.DF, of: EFLAGS.OF, nt: EFLAGS.NT, rf: EFLAGS.RF, vm: EFLAGS.VM, ac: EFLAGS.AC, id: EFLAGS.ID,
};

/** The guest's view (what it believes) under a hypervisor; the hardware's under native. */
export function guestView(cpu: Cpu, vmm: Hypervisor | null): { vcpl: number; vif: boolean; vcr3: number } {
  if (vmm !== null) return vmm.view();
  return { vcpl: cpu.state.cpl, vif: (cpu.getEflags() & EFLAGS.IF) !== 0, vcr3: cpu.state.cr3 >>> 0 };
}

/** Every name readRegister knows (for completion and hover). */
export function registerNames(): string[] {
  return [...REG32_NAMES, ...REG16_NAMES, ...REG8_LOW, ...REG8_HIGH, 'eip', 'eflags', ...Object.keys(FLAG_BITS), 'iopl',
    ...SEGMENT_NAMES, 'cr0', 'cr2', 'cr3', 'cr4', 'cpl', 'vcpl', 'vif', 'vcr3'];
}

/** The register's value (unsigned), or undefined when `name` is not a register. */
export function readRegister(cpu: Cpu, vmm: Hypervisor | null, name: string): number | undefined {
  const n = name.toLowerCase();
  const st = cpu.state;
  let i = (REG32_NAMES as readonly string[]).indexOf(n);
  if (i >= 0) return st.regs[i]! >>> 0;
  i = REG16_NAMES.indexOf(n);
  if (i >= 0) return st.regs[i]! & 0xffff;
  i = REG8_LOW.indexOf(n);
  if (i >= 0) return st.regs[i]! & 0xff;
  i = REG8_HIGH.indexOf(n);
  if (i >= 0) return (st.regs[i]! >>> 8) & 0xff;
  i = (SEGMENT_NAMES as readonly string[]).indexOf(n);
  if (i >= 0) return st.segs[i]!.selector & 0xffff;
  const flag = FLAG_BITS[n];
  if (flag !== undefined) return (cpu.getEflags() & flag) !== 0 ? 1 : 0;
  switch (n) {
    case 'eip': return st.eip >>> 0;
    case 'eflags': return cpu.getEflags() >>> 0;
    case 'iopl': return (cpu.getEflags() & EFLAGS.IOPL) >>> 12;
    case 'cr0': return st.cr0 >>> 0;
    case 'cr2': return st.cr2 >>> 0;
    case 'cr3': return st.cr3 >>> 0;
    case 'cr4': return st.cr4 >>> 0;
    case 'cpl': return st.cpl;
    case 'vcpl': return guestView(cpu, vmm).vcpl;
    case 'vif': return guestView(cpu, vmm).vif ? 1 : 0;
    case 'vcr3': return guestView(cpu, vmm).vcr3 >>> 0;
    default: return undefined;
  }
}

/** Sets a register; returns an error message when it cannot be set. */
export function writeRegister(cpu: Cpu, vmm: Hypervisor | null, name: string, value: number): string | undefined {
  const n = name.toLowerCase();
  const st = cpu.state;
  const v = value >>> 0;
  let i = (REG32_NAMES as readonly string[]).indexOf(n);
  if (i >= 0) { st.regs[i] = v | 0; return undefined; }
  i = REG16_NAMES.indexOf(n);
  if (i >= 0) { st.regs[i] = (st.regs[i]! & ~0xffff) | (v & 0xffff); return undefined; }
  i = REG8_LOW.indexOf(n);
  if (i >= 0) { st.regs[i] = (st.regs[i]! & ~0xff) | (v & 0xff); return undefined; }
  i = REG8_HIGH.indexOf(n);
  if (i >= 0) { st.regs[i] = (st.regs[i]! & ~0xff00) | ((v & 0xff) << 8); return undefined; }
  const flag = FLAG_BITS[n];
  if (flag !== undefined) { cpu.setEflags(v !== 0 ? flag : 0, flag); return undefined; }
  switch (n) {
    case 'eip': st.eip = v; return undefined;
    case 'eflags': cpu.setEflags(v, 0x3f7fd5); return undefined;
    case 'iopl': cpu.setEflags((v & 3) << 12, EFLAGS.IOPL); return undefined;
    case 'cr2': st.cr2 = v; return undefined;
    case 'cr3': cpu.writeCr3(v); return undefined;
    case 'vif':
      if (vmm === null) { cpu.setEflags(v !== 0 ? EFLAGS.IF : 0, EFLAGS.IF); return undefined; }
      vmm.vcpu.vif = v !== 0;
      cpu.noteInterruptCheck();
      return undefined;
    default:
      return readRegister(cpu, vmm, n) === undefined ? `${name} is not a register` : `${name} is read-only in the debugger`;
  }
}
