// The PV replacement for each privileged instruction that DESIGN's PV ABI covers, keyed by the
// table's canonical mnemonic (`mov cr3` is the one operand-specific key: only a CR3 write has a
// hypercall; other CRn writes have none). Data only: messages and, later, code actions read it.

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
