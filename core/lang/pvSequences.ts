// DESIGN's PV ABI as replacement code: for each privileged instruction a guest under `pv` must
// not execute, the hypercall sequence (or shared_info write) that does its job at ring 1. Each
// sequence saves and restores what it uses, so the code around it sees only the effect. Keyed by
// the decoded form (never by the spelling), as core/lint's PV_HYPERCALLS is.

import { encodeInstruction } from '../asm';
import { decode, Decoded } from '../disasm';
import { FORMS, REG32 } from '../isa';

/** The dword variable the CLI/STI sequences read shared_info's address from. */
export const SHARED_INFO_POINTER = 'pv_shared_info';

export interface PvSequence {
  /** What the action is called in the editor. */
  readonly title: string;
  /** Instruction lines, each with an optional comment. */
  readonly lines: readonly (readonly [string, string?])[];
  /** Needs the SHARED_INFO_POINTER variable. */
  readonly needsSharedInfo: boolean;
}

/** The PV sequence replacing one instruction (its text as written), or undefined if none applies. */
export function pvSequenceFor(instruction: string): PvSequence | undefined {
  const bytes = encodeInstruction(instruction.trim());
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return undefined;
  const d = new Decoded();
  decode(bytes, 0, 0, d, bytes.length);
  const form = d.formId >= 0 ? FORMS[d.formId] : undefined;
  if (!form) return undefined;
  const ops = form.operands.join(',');
  switch (form.mnemonic) {
    case 'cli': return {
      title: "Replace 'cli' with the PV shared_info write (upcall_mask = 1)",
      needsSharedInfo: true,
      lines: [
        ['push eax', 'pv: virtual CLI'],
        [`mov eax, [${SHARED_INFO_POINTER}]`],
        ['mov byte [eax+1], 1', 'shared_info upcall_mask = 1: virtual interrupts off'],
        ['pop eax'],
      ],
    };
    case 'sti': return {
      title: "Replace 'sti' with the PV shared_info write (upcall_mask = 0) and a pending-upcall check",
      needsSharedInfo: true,
      lines: [
        ['push eax', 'pv: virtual STI'],
        ['push ecx'],
        [`mov eax, [${SHARED_INFO_POINTER}]`],
        ['mov byte [eax+1], 0', 'shared_info upcall_mask = 0: virtual interrupts on'],
        ['movzx ecx, byte [eax]', 'upcall_pending'],
        ['jecxz $+9', 'none pending: skip the hypercall (JECXZ keeps the flags)'],
        ['mov eax, 17', 'xen_version delivers the pending upcall'],
        ['int 0x82'],
        ['pop ecx'],
        ['pop eax'],
      ],
    };
    case 'hlt': return {
      title: "Replace 'hlt' with hypercall sched_op (29) block",
      needsSharedInfo: false,
      lines: [
        ['push eax', 'pv: HLT'],
        ['push ebx'],
        ['mov ebx, 1', 'block until an event'],
        ['mov eax, 29', 'sched_op'],
        ['int 0x82'],
        ['pop ebx'],
        ['pop eax'],
      ],
    };
    case 'mov': {
      if (ops !== 'creg,r32' || d.reg !== 3) return undefined;
      const source = REG32[d.rm]!;
      return {
        title: `Replace 'mov cr3, ${source}' with hypercall mmuext_op (26) NEW_BASEPTR`,
        needsSharedInfo: false,
        lines: [
          ['push eax', 'pv: MOV CR3'],
          ['push ebx'],
          ['push ecx'],
          ...(source === 'ecx' ? [] : [[`mov ecx, ${source}`, 'the page directory\'s physical address'] as const]),
          ['mov ebx, 5', 'NEW_BASEPTR'],
          ['mov eax, 26', 'mmuext_op'],
          ['int 0x82'],
          ['pop ecx'],
          ['pop ebx'],
          ['pop eax'],
        ],
      };
    }
    case 'out': {
      if (ops === 'dx,al') return {
        title: "Replace 'out dx, al' (COM1 output, DX = 0x3F8) with hypercall console_io (18)",
        needsSharedInfo: false,
        lines: [
          ['push eax', 'pv: COM1 output; AL, the byte, is at [esp]'],
          ['push ebx'],
          ['push ecx'],
          ['push edx'],
          ['lea edx, [esp+12]', '-> the byte'],
          ['mov ecx, 1', 'length'],
          ['mov ebx, 0', 'write'],
          ['mov eax, 18', 'console_io'],
          ['int 0x82'],
          ['pop edx'],
          ['pop ecx'],
          ['pop ebx'],
          ['pop eax'],
        ],
      };
      if (ops === 'imm8,al' && d.imm === 0xf4) return {
        title: "Replace 'out 0xF4, al' (the exit port) with hypercall sched_op (29) shutdown",
        needsSharedInfo: false,
        lines: [
          ['movzx ecx, al', 'pv: exit; the same status as the exit port, (AL << 1) | 1'],
          ['lea ecx, [ecx*2+1]'],
          ['mov ebx, 2', 'shutdown'],
          ['mov eax, 29', 'sched_op'],
          ['int 0x82'],
        ],
      };
      return undefined;
    }
    default: return undefined;
  }
}
