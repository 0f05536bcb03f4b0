// The exit statuses of a run, in one place: DESIGN fixes the guest's code, 0 for halt, 124 for
// the instruction budget and 3 for a triple fault; the rest are ours. Guest codes from the exit
// port are (v << 1) | 1, always odd, so every status of our own below is even (except 1 and 3,
// which DESIGN fixes) and cannot be mistaken for something the guest said.

export const EXIT_STATUS = {
  /** `cli; hlt` with nothing left to wake the CPU. */
  HALT: 0,
  /** The source did not assemble (DESIGN: as `ringlab asm`). */
  ASSEMBLY_ERROR: 1,
  /** Bad arguments, or a mode that is not available yet. */
  USAGE: 2,
  TRIPLE_FAULT: 3,
  /** The guest used something the machine does not emulate (task switch, real mode, v8086). */
  UNSUPPORTED: 4,
  /** The hypervisor stopped the guest for something it must not do (a PV guest executing a
   *  privileged instruction, a page table mapping memory the guest does not own). */
  GUEST_ERROR: 6,
  /** An error inside RingLab (a bug): reported, never a stack trace unless RINGLAB_DEBUG=1. */
  INTERNAL_ERROR: 70,
  /** `--max-instructions` used up, as timeout(1) reports a time limit. */
  MAX_INSTRUCTIONS: 124,
  /** The host stopped reading the console (a closed pipe: `ringlab run k.gasm | head`), as SIGPIPE's 128 + 13. */
  CONSOLE_CLOSED: 141,
  /** The file is not a program the loader can start (empty, text, ELF, bad multiboot header). */
  NOT_A_PROGRAM: 126,
} as const;

/** A process exit status holds 8 bits; the guest's full code stays in the report. */
export function processExitStatus(code: number): number {
  return code & 0xff;
}
