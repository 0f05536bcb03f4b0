// Privileged and machine-level instructions: HLT, MOV to/from CRn and DRn, LMSW/SMSW/CLTS,
// INVLPG, INVD/WBINVD, RDMSR/WRMSR, RDTSC/RDPMC, CPUID, VMCALL and UD2. Every
// privilege check goes through Cpu.requireCpl0 (the hypervisor's one hook for them).

import { VECTOR } from '../cpuFault';
import { CR0, CR4 } from '../cpuState';
import type { Cpu } from '../cpu';
import { cpuidLeaf } from '../cpuid';
import { readMsr, writeMsr } from '../msr';
import { getReg32, setReg16, setReg32 } from '../operands';
import { selectorOperand } from './systemTables';
import { defineSemantics, type Handler } from './registry';

const EAX = 0, ECX = 1, EDX = 2, EBX = 3;

defineSemantics(['hlt'], () => (c) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  cpu.state.halted = true;
  cpu.endSlice();
});

function readCr(cpu: Cpu, n: number): number {
  const st = cpu.state;
  switch (n) {
    case 0: return st.cr0;
    case 2: return st.cr2;
    case 3: return st.cr3;
    default: return st.cr4;
  }
}

function writeCr(cpu: Cpu, n: number, value: number): void {
  switch (n) {
    case 0: cpu.writeCr0(value); return;
    case 2: cpu.state.cr2 = value >>> 0; return;
    case 3: cpu.writeCr3(value); return;
    default: cpu.writeCr4(value);
  }
}

/** DR4/DR5 alias DR6/DR7 unless CR4.DE, when they are #UD. */
function debugRegister(cpu: Cpu, n: number): number {
  if (n === 4 || n === 5) {
    if ((cpu.state.cr4 & CR4.DE) !== 0) cpu.raise(VECTOR.UD);
    return n + 2;
  }
  return n;
}

// MOV's control- and debug-register forms (the other MOV forms are the integer semantics').
// Breakpoints in DR0-DR7 are stored but do not trigger (#DB from debug registers is not emulated).
defineSemantics(['mov'], (form): Handler | undefined => {
  const [dst, src] = form.operands;
  if (src === 'creg') return (c, d) => { const cpu = c as Cpu; cpu.requireCpl0(); setReg32(c, d.rm, readCr(cpu, d.reg)); };
  if (dst === 'creg') return (c, d) => { const cpu = c as Cpu; cpu.requireCpl0(); writeCr(cpu, d.reg, getReg32(c, d.rm)); };
  if (src === 'dreg') {
    return (c, d) => { const cpu = c as Cpu; cpu.requireCpl0(); setReg32(c, d.rm, cpu.state.dr[debugRegister(cpu, d.reg)]!); };
  }
  if (dst === 'dreg') {
    return (c, d) => { const cpu = c as Cpu; cpu.requireCpl0(); cpu.state.dr[debugRegister(cpu, d.reg)] = getReg32(c, d.rm); };
  }
  return undefined;
});

defineSemantics(['lmsw'], () => (c, d) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  const msw = selectorOperand(c, d);
  const cr0 = cpu.state.cr0;
  // LMSW loads MP, EM, TS and can set PE but never clear it.
  const low = (msw & (CR0.MP | CR0.EM | CR0.TS | CR0.PE)) | (cr0 & CR0.PE);
  cpu.writeCr0((cr0 & ~(CR0.MP | CR0.EM | CR0.TS | CR0.PE)) | low);
});

defineSemantics(['smsw'], (form) => {
  const kind = form.operands[0];
  if (kind === 'm16') return (c, d) => c.write16(d.memSeg, c.effectiveAddress(d), c.state.cr0 & 0xffff);
  if (kind === 'r16') return (c, d) => setReg16(c, d.rm, c.state.cr0 & 0xffff);
  return (c, d) => setReg32(c, d.rm, c.state.cr0);
});

defineSemantics(['clts'], () => (c) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  cpu.state.cr0 &= ~CR0.TS;
});

defineSemantics(['invlpg'], () => (c, d) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  cpu.invalidatePage((cpu.state.segs[d.memSeg]!.base + c.effectiveAddress(d)) | 0);
});

// No caches are modelled: only the privilege check remains.
defineSemantics(['invd', 'wbinvd'], () => (c) => (c as Cpu).requireCpl0());

defineSemantics(['rdmsr'], () => (c) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  const value = readMsr(cpu, c.state.regs[ECX]!);
  c.state.regs[EAX] = Number(value & 0xffff_ffffn);
  c.state.regs[EDX] = Number(value >> 32n);
});

defineSemantics(['wrmsr'], () => (c) => {
  const cpu = c as Cpu;
  cpu.requireCpl0();
  const r = c.state.regs;
  writeMsr(cpu, r[ECX]!, (BigInt(r[EDX]! >>> 0) << 32n) | BigInt(r[EAX]! >>> 0));
});

function setEdxEax(cpu: Cpu, value: number): void {
  cpu.state.regs[EAX] = value % 0x1_0000_0000;
  cpu.state.regs[EDX] = Math.floor(value / 0x1_0000_0000);
}

defineSemantics(['rdtsc'], () => (c) => {
  const cpu = c as Cpu;
  if ((c.state.cr4 & CR4.TSD) !== 0) cpu.requireCpl0();
  setEdxEax(cpu, cpu.readTsc());
});

// Two performance counters that never count (no events are modelled).
defineSemantics(['rdpmc'], () => (c) => {
  const cpu = c as Cpu;
  if ((c.state.cr4 & CR4.PCE) === 0) cpu.requireCpl0();
  if ((c.state.regs[ECX]! >>> 0) > 1) cpu.raise(VECTOR.GP, 0);
  setEdxEax(cpu, 0);
});

const cpuidOut = new Uint32Array(4);
defineSemantics(['cpuid'], () => (c) => {
  const r = c.state.regs;
  cpuidLeaf(r[EAX]!, cpuidOut);
  r[EAX] = cpuidOut[0]!; r[EBX] = cpuidOut[1]!; r[ECX] = cpuidOut[2]!; r[EDX] = cpuidOut[3]!;
});

// Outside VMX non-root operation VMCALL is #UD; the hw engine intercepts it before it gets here.
defineSemantics(['vmcall'], () => (c) => c.raise(VECTOR.UD));
defineSemantics(['ud2'], () => (c) => c.raise(VECTOR.UD));
