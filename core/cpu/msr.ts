// The model-specific registers a small kernel touches. Anything else is #GP(0), as on QEMU.

import { VECTOR } from './cpuFault';
import type { Cpu } from './cpu';

export const MSR = {
  IA32_TSC: 0x10,
  IA32_APIC_BASE: 0x1b,
  IA32_SYSENTER_CS: 0x174,
  IA32_SYSENTER_ESP: 0x175,
  IA32_SYSENTER_EIP: 0x176,
} as const;

/** APIC_BASE as read: base 0xFEE00000 with the BSP bit; the APIC is absent (CPUID says so), so not enabled. */
const APIC_BASE_VALUE = 0xfee00100n;

export function readMsr(cpu: Cpu, index: number): bigint {
  switch (index >>> 0) {
    case MSR.IA32_TSC: return BigInt(cpu.readTsc()) & 0xffff_ffff_ffff_ffffn;
    case MSR.IA32_APIC_BASE: return APIC_BASE_VALUE;
    case MSR.IA32_SYSENTER_CS: case MSR.IA32_SYSENTER_ESP: case MSR.IA32_SYSENTER_EIP:
      return cpu.state.msrs.get(index >>> 0) ?? 0n;
    default: return cpu.raise(VECTOR.GP, 0);
  }
}

export function writeMsr(cpu: Cpu, index: number, value: bigint): void {
  switch (index >>> 0) {
    case MSR.IA32_TSC: cpu.writeTsc(Number(value)); return;
    case MSR.IA32_SYSENTER_CS: cpu.state.msrs.set(index >>> 0, value & 0xffffn); return;
    case MSR.IA32_SYSENTER_ESP: case MSR.IA32_SYSENTER_EIP: cpu.state.msrs.set(index >>> 0, value & 0xffff_ffffn); return;
    default: cpu.raise(VECTOR.GP, 0);
  }
}
