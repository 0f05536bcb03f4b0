// Which instruction forms can cause a VM exit under a set of VMCS controls, by form id, and what
// each I/O form reports in its exit qualification. The privilege class and operands come from
// core/isa; which mnemonic exits with which reason is VT-x's fact (SDM vol. 3, 25.1), kept here.

import { operandBytes } from '../cpu/operands';
import { FORMS, type Form } from '../isa';
import type { EffectiveControls } from './vmcsControls';

export const INTERCEPT = {
  NONE: 0, HLT: 1, CR: 2, IO: 3, CPUID: 4, VMCALL: 5, INVD: 6, INVLPG: 7, RDMSR: 8, WRMSR: 9,
} as const;

/** Instructions that exit by mnemonic: unconditionally (CPUID, INVD, VMCALL; RDMSR/WRMSR with no
 *  MSR bitmaps) or when their control is set (HLT, INVLPG). */
const BY_MNEMONIC: Readonly<Record<string, number>> = {
  hlt: INTERCEPT.HLT, cpuid: INTERCEPT.CPUID, vmcall: INTERCEPT.VMCALL, invd: INTERCEPT.INVD,
  invlpg: INTERCEPT.INVLPG, rdmsr: INTERCEPT.RDMSR, wrmsr: INTERCEPT.WRMSR,
};

/** The forms sent to the engine's onIntercept under `c` (a form that cannot exit runs at full speed). */
export function interceptTable(c: EffectiveControls): Uint8Array {
  const table = new Uint8Array(FORMS.length);
  for (const f of FORMS) {
    const kind = interceptOf(f);
    const wanted =
      kind === INTERCEPT.HLT ? c.hltExiting :
      kind === INTERCEPT.INVLPG ? c.invlpgExiting :
      kind === INTERCEPT.CR ? c.cr3LoadExiting || c.cr3StoreExiting :
      kind === INTERCEPT.IO ? c.ioExiting !== 'off' :
      kind !== INTERCEPT.NONE;
    if (wanted) table[f.id] = kind;
  }
  return table;
}

function interceptOf(f: Form): number {
  if (f.privilege === 'io') return INTERCEPT.IO;
  if (f.mnemonic === 'mov' && f.operands.includes('creg')) return INTERCEPT.CR;
  return BY_MNEMONIC[f.mnemonic] ?? INTERCEPT.NONE;
}

/** What an I/O form's exit qualification says besides the port and REP (from its operands). */
export interface IoForm {
  readonly sizeBytes: 1 | 2 | 4;
  readonly in: boolean;
  readonly string: boolean;
  readonly immediate: boolean;
}

const STRING_SIZES: Readonly<Record<string, 1 | 2 | 4>> = { b: 1, w: 2, d: 4 };

export function ioFormOf(f: Form): IoForm {
  const string = f.operands.length === 0; // insb/outsd...: the port is DX, the data [E]SI/[E]DI
  const isIn = f.mnemonic.startsWith('in');
  const sizeBytes = string
    ? STRING_SIZES[f.mnemonic.slice(-1)]!
    : (operandBytes(f.operands[isIn ? 0 : 1]!) as 1 | 2 | 4);
  return { sizeBytes, in: isIn, string, immediate: f.operands.includes('imm8') };
}

/** Per form id, the I/O form (undefined for the rest). */
export const IO_FORMS: readonly (IoForm | undefined)[] = FORMS.map((f) => (f.privilege === 'io' ? ioFormOf(f) : undefined));
