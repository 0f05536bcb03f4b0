// What each register is for, in one line, and what the PV ABI uses it for (DESIGN, "Paravirtual
// ABI"): hovers show it. The 8- and 16-bit names are derived from their 32-bit register.

import { REG16, REG32, REG8, REGISTERS, SREG } from '../isa';

const GENERAL: Readonly<Record<(typeof REG32)[number], string>> = {
  eax: 'accumulator: results of MUL/DIV, IN/OUT data, string-scan value',
  ecx: 'counter: LOOP, REP and shift counts (CL)',
  edx: 'data: high half of MUL/DIV results, the port of IN/OUT DX',
  ebx: 'base: a general pointer register',
  esp: 'stack pointer: PUSH, POP, CALL and RET move it',
  ebp: 'frame pointer: addresses through it default to SS',
  esi: 'source index of string instructions',
  edi: 'destination index of string instructions (ES:EDI)',
};

const PV: Readonly<Partial<Record<(typeof REG32)[number], string>>> = {
  eax: 'hypercall number, and its result (0 or a negative errno)',
  ebx: 'hypercall argument 1',
  ecx: 'hypercall argument 2',
  edx: 'hypercall argument 3',
  esi: 'hypercall argument 4; at boot it points to start_info',
  edi: 'hypercall argument 5',
};

const SEGMENT: Readonly<Record<(typeof SREG)[number], string>> = {
  cs: 'code segment: its selector\'s low bits are the CPL (ring 1 under a VMM: PUSH CS reveals it)',
  ds: 'data segment: the default for memory operands',
  es: 'extra segment: the destination of string instructions',
  ss: 'stack segment: ESP and EBP addresses; its RPL equals the CPL',
  fs: 'extra data segment',
  gs: 'extra data segment',
};

const CONTROL: Readonly<Record<string, string>> = {
  cr0: 'control register 0: PE (protected mode), WP, PG (paging) and other mode bits',
  cr2: 'control register 2: the linear address of the last page fault',
  cr3: 'control register 3: the page directory\'s physical address (writing it flushes the TLB); under pv use mmuext_op NEW_BASEPTR',
  cr4: 'control register 4: PSE, PGE and other extension bits',
};

export interface RegisterRole {
  readonly name: string;
  readonly bits: number;
  readonly role: string;
  /** Its use in DESIGN's PV hypercall ABI, for the 32-bit general registers that carry one. */
  readonly pv?: string;
}

/** The role of a register by name (any case), or undefined when it is not a register. */
export function registerRole(name: string): RegisterRole | undefined {
  const reg = REGISTERS.get(name.toLowerCase());
  if (!reg) return undefined;
  switch (reg.cls) {
    case 'r32': {
      const n = reg.name as (typeof REG32)[number];
      return { name: n, bits: 32, role: GENERAL[n], ...(PV[n] ? { pv: PV[n] } : {}) };
    }
    case 'r16': {
      const full = REG32[REG16.indexOf(reg.name as (typeof REG16)[number])]!;
      return { name: reg.name, bits: 16, role: `low 16 bits of ${full.toUpperCase()} (${GENERAL[full]})` };
    }
    case 'r8': {
      const full = REG32[reg.num & 3]!;
      const half = REG8.indexOf(reg.name as (typeof REG8)[number]) < 4 ? 'bits 0-7' : 'bits 8-15';
      return { name: reg.name, bits: 8, role: `${half} of ${full.toUpperCase()} (${GENERAL[full]})` };
    }
    case 'sreg':
      return { name: reg.name, bits: 16, role: SEGMENT[reg.name as (typeof SREG)[number]] };
    case 'creg':
      return { name: reg.name, bits: 32, role: CONTROL[reg.name] ?? 'control register' };
    case 'dreg':
      return { name: reg.name, bits: 32, role: reg.num < 4 ? `debug register ${reg.num}: a breakpoint's linear address` : reg.num === 6 ? 'debug status register' : reg.num === 7 ? 'debug control register: enables the breakpoints of DR0-DR3' : 'debug register (alias of DR6/DR7 when CR4.DE is clear)' };
  }
}
