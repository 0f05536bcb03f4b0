// DESIGN's "Diagnostics" table as data: which RL2xx code each privilege class earns, the
// severity per target mode, and what each mode does with the instruction (one clause per mode,
// from DESIGN's "Modes" table). Under `native` the guest kernel runs at ring 0 with no
// hypervisor, so nothing is a virtualization problem and no RL2xx is reported.

import type { Form, PrivilegeClass } from '../isa/types';
import type { Mode } from '../run/modes';
import { PV_HYPERCALL_VECTOR } from './hypercalls';
import type { LintSeverity } from './types';

export type LintCode = 'RL201' | 'RL202' | 'RL203';

/**
 * An I/O instruction gets RL203 and RL201 too: it needs CPL <= IOPL, so at ring 1 (IOPL 0) it
 * faults exactly like a privileged one, and under pv that fault is a guest bug (an error).
 */
export const CODES_BY_CLASS: Readonly<Record<PrivilegeClass, readonly LintCode[]>> = {
  unprivileged: [],
  privileged: ['RL201'],
  iopl: ['RL201'],
  io: ['RL201', 'RL203'],
  sensitive: ['RL202'],
};

/**
 * What a mode's own ABI asks the guest to do is no finding, whatever the instruction's class:
 * under pv, `int 0x82` is the hypercall (DESIGN's PV ABI), the one way a PV guest asks the VMM
 * for privileged work. Every other INT n stays RL202. Segment-register loads stay RL202 under
 * pv too: a PV guest must load the ABI's flat selectors (0xE019, 0xE021...), but the selector is
 * a register's or memory's value at run time, which the lint (it judges the decoded instruction)
 * does not know; a load of any other selector is exactly the bug to point at.
 */
export function exemptByAbi(mode: Mode, form: Form, imm8: number): boolean {
  return mode === 'paravirtual' && form.flow === 'int' && form.operands.length === 1 && form.operands[0] === 'imm8' && imm8 === PV_HYPERCALL_VECTOR;
}

type VirtualMode = Exclude<Mode, 'native'>;
const VIRTUAL_MODES: readonly VirtualMode[] = ['trap-and-emulate', 'binary-translation', 'paravirtual', 'hardware-assisted'];
const SHORT: Readonly<Record<VirtualMode, string>> = {
  'trap-and-emulate': 'trap', 'binary-translation': 'bt', paravirtual: 'pv', 'hardware-assisted': 'hw',
};

const SEVERITY: Readonly<Record<LintCode, Readonly<Record<VirtualMode, LintSeverity>>>> = {
  RL201: { 'trap-and-emulate': 'info', 'binary-translation': 'info', paravirtual: 'error', 'hardware-assisted': 'info' },
  RL202: { 'trap-and-emulate': 'warning', 'binary-translation': 'info', paravirtual: 'warning', 'hardware-assisted': 'info' },
  RL203: { 'trap-and-emulate': 'info', 'binary-translation': 'info', paravirtual: 'info', 'hardware-assisted': 'info' },
};

// Short on purpose: every finding carries its message, and a large file has thousands of them
// (50,000 lines: about 5,000, each sent to the editor whole). The hover says the same per mode.
const WHAT: Readonly<Record<LintCode, string>> = {
  RL201: 'privileged (CPL 0 only)',
  RL202: 'sensitive but unprivileged: trap-and-emulate cannot virtualize it',
  RL203: 'an I/O instruction',
};
/** CLI, STI and I/O fault on CPL > IOPL, not on CPL > 0: the message says so. */
const IOPL_WHAT = 'privileged (CPL <= IOPL, and IOPL is 0 under a VMM)';

/** Per code and mode: what the mode does with the instruction, then (in parentheses) what it costs. */
const CLAUSES: Readonly<Record<LintCode, Readonly<Record<VirtualMode, string>>>> = {
  RL201: {
    'trap-and-emulate': '#GP, emulated by the VMM (a trap per run)',
    'binary-translation': 'translated once (a call-out: a VMM entry per run)',
    paravirtual: 'fatal #GP: use a hypercall (cheaper than a trap)',
    'hardware-assisted': 'a VM exit if the VMCS asks (else native speed)',
  },
  RL202: {
    'trap-and-emulate': 'no trap at ring 1: a wrong answer (a hole; free but not equivalent)',
    'binary-translation': 'translated once, then cached (free after that)',
    paravirtual: 'not allowed: the guest sees ring 1',
    'hardware-assisted': 'runs in non-root ring 0 (native speed)',
  },
  RL203: {
    'trap-and-emulate': 'traps, the port is emulated (a trap per access)',
    'binary-translation': 'a device-model call-out (one per access)',
    paravirtual: 'faults: use a hypercall',
    'hardware-assisted': 'an I/O VM exit (one per access)',
  },
};

/** What `mode` does with an instruction of `code`, one clause (hovers list them per mode). */
export function modeClause(code: LintCode, mode: Exclude<Mode, 'native'>): string {
  return CLAUSES[code][mode];
}

/** DESIGN's virtual modes in table order, with their short names. */
export const VIRTUAL_MODE_NAMES: ReadonlyArray<readonly [Exclude<Mode, 'native'>, string]> = VIRTUAL_MODES.map((m) => [m, SHORT[m]] as const);

/** The severity of `code` under `mode`, or undefined when the mode does not report it (native). */
export function severityOf(code: LintCode, mode: Mode): LintSeverity | undefined {
  return mode === 'native' ? undefined : SEVERITY[code][mode];
}

/** `'insn' is what. trap: ...; bt: ...; pv: ...; hw: ...`, with the PV replacement when there is one. */
export function messageFor(code: LintCode, cls: PrivilegeClass, instruction: string, mode: Mode, hypercall: string | undefined): string {
  return `'${instruction}'${messageTail(code, cls, mode, hypercall)}`;
}

/** The message after the quoted instruction: the same for every instruction of a class (built once per lint). */
export function messageTail(code: LintCode, cls: PrivilegeClass, mode: Mode, hypercall: string | undefined): string {
  const clauses = VIRTUAL_MODES.map((m) => `${SHORT[m]}: ${CLAUSES[code][m]}`).join('; ');
  const pv = mode === 'paravirtual' && hypercall && code !== 'RL202' ? `; instead: ${hypercall}` : '';
  const what = code === 'RL201' && (cls === 'iopl' || cls === 'io') ? IOPL_WHAT : WHAT[code];
  return ` is ${what}. ${clauses}${pv}`;
}
