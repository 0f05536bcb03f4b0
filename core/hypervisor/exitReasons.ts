// VT-x exit information as the hardware reports it: the basic exit reasons the hw engine raises
// and the exit qualification of each, encoded bit for bit as Intel's SDM vol. 3 lays them out
// (shared/REFERENCES.md), so a student can decode them with the manual open beside.

/** Basic exit reasons (SDM vol. 3, appendix C), written once: names for reports come from here. */
export const EXIT_REASON = {
  EXCEPTION_NMI: 0,
  EXTERNAL_INTERRUPT: 1,
  TRIPLE_FAULT: 2,
  INTERRUPT_WINDOW: 7,
  CPUID: 10,
  HLT: 12,
  INVD: 13,
  INVLPG: 14,
  RDPMC: 15,
  RDTSC: 16,
  VMCALL: 18,
  CR_ACCESS: 28,
  DR_ACCESS: 29,
  IO_INSTRUCTION: 30,
  RDMSR: 31,
  WRMSR: 32,
  ENTRY_FAILURE: 33,
  GDTR_IDTR_ACCESS: 46,
  LDTR_TR_ACCESS: 47,
  EPT_VIOLATION: 48,
  WBINVD: 54,
} as const;

/** Exit reason number to its name (`{ 12: 'HLT', ... }`). */
export const EXIT_REASON_NAMES: Readonly<Record<number, string>> =
  Object.fromEntries(Object.entries(EXIT_REASON).map(([name, n]) => [n, name]));

export type ExitReason = (typeof EXIT_REASON)[keyof typeof EXIT_REASON];

export function exitReasonName(reason: number): string {
  return EXIT_REASON_NAMES[reason] ?? `REASON_${reason}`;
}

/** Control-register access, bits 5:4. */
export const CR_ACCESS_TYPE = { MOV_TO_CR: 0, MOV_FROM_CR: 1, CLTS: 2, LMSW: 3 } as const;

/** Control-register access: bits 3:0 CR number, 5:4 access type, 11:8 general register
 *  (Intel's numbering, which is the x86 register encoding: EAX 0, ECX 1, EDX 2, EBX 3, ...). */
export function crAccessQualification(cr: number, type: number, gpr: number): number {
  return ((cr & 0xf) | ((type & 3) << 4) | ((gpr & 0xf) << 8)) >>> 0;
}

export interface IoAccess {
  readonly port: number;
  readonly sizeBytes: 1 | 2 | 4;
  readonly in: boolean;
  readonly string: boolean;
  readonly rep: boolean;
  readonly immediate: boolean;
}

/** I/O instruction: bits 2:0 size - 1, bit 3 direction (1 = IN), bit 4 string, bit 5 REP,
 *  bit 6 operand encoding (1 = immediate), bits 31:16 port. */
export function ioQualification(a: IoAccess): number {
  return ((a.sizeBytes - 1) | (a.in ? 1 << 3 : 0) | (a.string ? 1 << 4 : 0) | (a.rep ? 1 << 5 : 0) |
    (a.immediate ? 1 << 6 : 0) | ((a.port & 0xffff) << 16)) >>> 0;
}

export function decodeIoQualification(q: number): IoAccess {
  return {
    port: q >>> 16, sizeBytes: ((q & 7) + 1) as 1 | 2 | 4, in: (q & 8) !== 0, string: (q & 16) !== 0,
    rep: (q & 32) !== 0, immediate: (q & 64) !== 0,
  };
}

export type EptAccess = 'read' | 'write' | 'fetch';

/** EPT violation: bit 0 read, 1 write, 2 instruction fetch; bits 5:3 what the EPT entry allowed
 *  (0: not present); bit 7 the guest-linear-address field is valid; bit 8 the access was to the
 *  translated address (0: to a guest paging structure during the walk). */
export function eptViolationQualification(access: EptAccess, finalTranslation: boolean): number {
  const bit = access === 'read' ? 1 : access === 'write' ? 2 : 4;
  return (bit | (1 << 7) | (finalTranslation ? 1 << 8 : 0)) >>> 0;
}

/** VM-exit interruption information (exception exits): vector, type (3 hardware exception,
 *  5 privileged software exception, 6 software exception), error code valid (bit 11), valid (31). */
export const INTERRUPTION_TYPE = { EXTERNAL: 0, NMI: 2, HARDWARE_EXCEPTION: 3, PRIVILEGED_SOFTWARE_EXCEPTION: 5, SOFTWARE_EXCEPTION: 6 } as const;

export function interruptionInfo(vector: number, type: number, errorCodeValid: boolean): number {
  return ((vector & 0xff) | ((type & 7) << 8) | (errorCodeValid ? 1 << 11 : 0) | (1 << 31)) >>> 0;
}
