// DESIGN's PV hypercall table as the VMM sees it: `int 0x82` from ring 1, EAX = number,
// arguments in EBX, ECX, EDX, ESI, EDI, result in EAX (0, a count, or a negative errno). Numbers
// and names come from core/lint's PV_HYPERCALL_TABLE (one list for the editor and the VMM); this
// file decodes the registers, picks the handler and spells the call for the event log.

import { PV_HYPERCALL_TABLE, PV_HYPERCALL_VECTOR } from '../lint/hypercalls';

export const HYPERCALL_VECTOR = PV_HYPERCALL_VECTOR;
/** xen_version's answer: Xen 4.0 (major << 16 | minor). */
export const XEN_VERSION = 0x00040000;

/** Linux errno values, negated in EAX as Xen returns them. */
export const ERRNO = { EFAULT: 14, EINVAL: 22, ENOSYS: 38 } as const;

function numberOf(name: string): number {
  const entry = PV_HYPERCALL_TABLE.find((h) => h.name === name);
  if (entry === undefined) throw new Error(`hypercalls: ${name} is missing from PV_HYPERCALL_TABLE`);
  return entry.number;
}

export const HYPERCALL = {
  setTrapTable: numberOf('set_trap_table'),
  stackSwitch: numberOf('stack_switch'),
  setCallbacks: numberOf('set_callbacks'),
  setTimerOp: numberOf('set_timer_op'),
  xenVersion: numberOf('xen_version'),
  consoleIo: numberOf('console_io'),
  iret: numberOf('iret'),
  mmuextOp: numberOf('mmuext_op'),
  schedOp: numberOf('sched_op'),
} as const;

const NAMES = new Map(PV_HYPERCALL_TABLE.map((h) => [h.number, h.name]));

/** Sub-commands (Xen's numbers: xen/include/public/xen.h, sched.h). */
export const MMUEXT = { NEW_BASEPTR: 5, TLB_FLUSH_LOCAL: 6, INVLPG_LOCAL: 7 } as const;
export const SCHEDOP = { yield: 0, block: 1, shutdown: 2 } as const;
export const CONSOLEIO = { write: 0, read: 1 } as const;

/** What the hypercalls act on: one method per hypercall, arguments already decoded. A method
 *  returns EAX's new value, or null when it does not return to its caller (iret). */
export interface HypercallTarget {
  setTrapTable(tableLin: number): number;
  stackSwitch(ss: number, esp: number): number;
  setCallbacks(cs: number, handler: number): number;
  setTimerOp(deadlineNs: number): number;
  xenVersion(): number;
  consoleIo(cmd: number, length: number, bufferLin: number): number;
  iret(): number | null;
  mmuextOp(cmd: number, arg: number): number;
  schedOp(cmd: number, arg: number): number;
}

/** Runs hypercall `nr` with the guest's argument registers; -ENOSYS for an unknown number. */
export function dispatchHypercall(t: HypercallTarget, nr: number, ebx: number, ecx: number, edx: number): number | null {
  switch (nr) {
    case HYPERCALL.setTrapTable: return t.setTrapTable(ebx);
    case HYPERCALL.stackSwitch: return t.stackSwitch(ebx, ecx);
    case HYPERCALL.setCallbacks: return t.setCallbacks(ebx, ecx);
    // EBX:ECX is low:high; a double holds every deadline a run can reach (2^53 ns is 104 days).
    case HYPERCALL.setTimerOp: return t.setTimerOp((ecx >>> 0) * 0x1_0000_0000 + (ebx >>> 0));
    case HYPERCALL.xenVersion: return t.xenVersion();
    case HYPERCALL.consoleIo: return t.consoleIo(ebx, ecx, edx);
    case HYPERCALL.iret: return t.iret();
    case HYPERCALL.mmuextOp: return t.mmuextOp(ebx, ecx);
    case HYPERCALL.schedOp: return t.schedOp(ebx, ecx);
    default: return -ERRNO.ENOSYS;
  }
}

export function hypercallName(nr: number): string {
  return NAMES.get(nr) ?? `hypercall ${nr}`;
}

/** `console_io(0x0, 0x1, 0x100abc) = 0`: the event log's one line per call (kept short). */
export function describeHypercall(nr: number, ebx: number, ecx: number, edx: number, result: number | null): string {
  const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
  const ret = result === null ? '' : ` = ${result}`;
  return `${hypercallName(nr)}(${hex(ebx)}, ${hex(ecx)}, ${hex(edx)})${ret}`;
}
