// The PV replacement for each privileged instruction that DESIGN's PV ABI covers, keyed by the
// table's canonical mnemonic (`mov cr3` is the one operand-specific key: only a CR3 write has a
// hypercall; other CRn writes have none). Data only: messages and, later, code actions read it.

import type { Form } from '../isa';

export const PV_HYPERCALLS: Readonly<Record<string, string>> = {
  cli: 'clear the virtual interrupt flag by writing 1 to shared_info upcall_mask',
  sti: 'set the virtual interrupt flag by writing 0 to shared_info upcall_mask',
  'mov cr3': 'hypercall mmuext_op (26) NEW_BASEPTR',
  hlt: 'hypercall sched_op (29) block',
  out: 'hypercall console_io (18) for COM1 output, sched_op (29) shutdown for the exit port 0xF4',
  outsb: 'hypercall console_io (18) for COM1 output',
  invlpg: 'hypercall mmuext_op (26) INVLPG_LOCAL',
  // IRET is not in a flagged class in the table (it does not fault at ring 1), so this entry
  // only matters once the table or a code action asks for it.
  iretd: 'hypercall iret (23)',
  lidt: 'hypercall set_trap_table (0)',
};

/**
 * The PV replacement of an instruction that assembled to `form`, if the ABI has one. `reg` is its
 * decoded ModRM.reg: for a MOV to a control register, the register (only CR3 has a hypercall).
 * The lint's messages, the hover and the PV engine's log all name it from here.
 */
export function pvReplacement(form: Form, reg: number): string | undefined {
  return PV_HYPERCALLS[isControlRegisterMove(form) ? `mov cr${reg}` : form.mnemonic];
}

/** A MOV to a control register: what it means under pv depends on the register. */
export function isControlRegisterMove(form: Form): boolean {
  return form.mnemonic === 'mov' && form.operands[0] === 'creg';
}

/** DESIGN's PV ABI: a hypercall is `int 0x82` from ring 1 (the VMM reads it too). */
export const PV_HYPERCALL_VECTOR = 0x82;

/** DESIGN's PV ABI hypercall numbers (`int 0x82`, EAX = number): completion and hovers offer them. */
export interface PvHypercall {
  readonly number: number;
  readonly name: string;
  readonly args: string;
}

export const PV_HYPERCALL_TABLE: readonly PvHypercall[] = [
  { number: 0, name: 'set_trap_table', args: 'EBX -> array of {u8 vector, u8 dpl, u16 cs, u32 handler}, ended by handler 0' },
  { number: 3, name: 'stack_switch', args: 'EBX = ss, ECX = esp: kernel stack for ring 3 -> ring 1 entries' },
  { number: 4, name: 'set_callbacks', args: 'EBX = event cs, ECX = event handler (upcall for virtual interrupts)' },
  { number: 15, name: 'set_timer_op', args: 'EBX:ECX (low:high) = absolute deadline in ns of virtual time, 0 cancels' },
  { number: 17, name: 'xen_version', args: 'returns 0x00040000; also delivers a pending upcall' },
  { number: 18, name: 'console_io', args: 'EBX = 0 (write), ECX = length, EDX -> bytes' },
  { number: 23, name: 'iret', args: 'return from an upcall: pops EIP, CS, EFLAGS (and ESP, SS to ring 3) and unmasks' },
  { number: 26, name: 'mmuext_op', args: 'EBX = 5 NEW_BASEPTR (ECX = page directory physical address), 6 TLB_FLUSH_LOCAL, 7 INVLPG_LOCAL (ECX = address)' },
  { number: 29, name: 'sched_op', args: 'EBX = 0 yield, 1 block until an event, 2 shutdown with exit code ECX' },
];
