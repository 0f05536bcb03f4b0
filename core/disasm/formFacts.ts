// Spelling facts per form, derived once from the table: which keywords NASM needs to pick the
// same form again (a memory size, `strict`, `short`/`near`/`word` on branches, `far`).

import { FORMS, type Form, type OperandKind } from '../isa';

export interface FormFacts {
  /** Size keyword for the memory operand ('' when another operand fixes the size). */
  readonly memSize: string;
  /** `far` (and `far word` under o16) before an `mfar` operand, when the mnemonic has near forms too. */
  readonly farKeyword: string;
  /** Distance keyword before a relative target. */
  readonly relKeyword: string;
  /** `word` before the first immediate when nothing else in the text says 16 bits. */
  readonly immSize: string;
  /** The mnemonic has a shorter form for small values at the immediate's position (sbyte, unity). */
  readonly hasShortImm: boolean;
  /** NASM spells F2 `bnd` on near jumps, calls and returns (MPX), and refuses `repne` there. */
  readonly bnd: boolean;
  /** Index of the operand held in an immediate or relative field, -1 if none. */
  readonly firstImm: number;
}

const BITS: Partial<Record<OperandKind, number>> = {
  r8: 8, rm8: 8, m8: 8, al: 8, cl: 8, imm8: 8, rel8: 8, moffs8: 8,
  r16: 16, rm16: 16, m16: 16, ax: 16, dx: 16, sreg: 16, imm16: 16, sbyte16: 16, rel16: 16, moffs16: 16, far16: 16,
  r32: 32, rm32: 32, m32: 32, eax: 32, imm32: 32, sbyte32: 32, rel32: 32, moffs32: 32, far32: 32, creg: 32, dreg: 32,
  m64: 64,
};
const isMemKind = (k: OperandKind): boolean => k.startsWith('rm') || (k.startsWith('m') && !k.startsWith('moffs'));
const isImmKind = (k: OperandKind): boolean => /^(imm|sbyte|unity)/.test(k);
/** Operand kinds compared loosely: every immediate is alike (NASM picks among them by value). */
const loose = (k: OperandKind): string => (isImmKind(k) ? 'imm' : k);

function memSizeOf(form: Form): string {
  const i = form.operands.findIndex(isMemKind);
  if (i < 0) return '';
  const k = form.operands[i]!;
  if (k === 'mem' || k === 'mfar') return '';
  // A size keyword is needed when another form of the mnemonic takes the same other operands
  // and memory of another width at this position (`inc rm8` / `inc rm32`, `movzx r32,rm8|rm16`).
  const ambiguous = form.def.forms.some((f) => f !== form && f.operands.length === form.operands.length
    && isMemKind(f.operands[i]!) && BITS[f.operands[i]!] !== BITS[k]
    && f.operands.every((o, j) => j === i || loose(o) === loose(form.operands[j]!)));
  if (!ambiguous) return '';
  return k.endsWith('8') ? 'byte' : k.endsWith('16') ? 'word' : k.endsWith('32') ? 'dword' : 'qword';
}

function factsOf(form: Form): FormFacts {
  const ops = form.operands;
  const firstImm = form.encoding.slots.findIndex((s) => s === 'imm');
  const immKind = firstImm >= 0 ? ops[firstImm]! : undefined;
  const hasShortImm = immKind !== undefined && /^imm/.test(immKind) && form.def.forms.some((f) =>
    f.operands.length === ops.length && /^(sbyte|unity)/.test(f.operands[firstImm]!));
  let relKeyword = '';
  if (immKind === 'rel8' || immKind === 'rel16' || immKind === 'rel32') {
    const hasRel8 = form.def.forms.some((f) => f.operands[0] === 'rel8');
    const hasOther = form.def.forms.some((f) => f.operands[0] === 'rel16' || f.operands[0] === 'rel32');
    relKeyword = immKind === 'rel8' ? (hasOther ? 'short' : '') : immKind === 'rel32' ? (hasRel8 ? 'near' : '') : hasRel8 ? 'near word' : 'word';
  }
  const textSays16 = ops.some((k) => BITS[k] === 16 && !/^(imm|sbyte|rel|far)/.test(k));
  const immSize = form.encoding.opsize === 16 && !textSays16 && immKind !== undefined && !/^rel/.test(immKind) ? 'word' : '';
  const hasNearForms = form.def.forms.some((f) => f.operands.length === ops.length && f.operands.some((k) => k === 'rm32' || k === 'rm16'));
  const farKeyword = ops.includes('mfar') && hasNearForms ? (form.encoding.opsize === 16 ? 'far word' : 'far') : '';
  // Loop and jecxz are branches too, but only a mnemonic with a near (rel32) form takes BND.
  const flow = form.flow;
  const bnd = flow === 'jump' || flow === 'call' || flow === 'ret' || (flow === 'branch' && form.def.forms.some((f) => f.operands[0] === 'rel32'));
  return { memSize: memSizeOf(form), farKeyword, relKeyword, immSize, hasShortImm, bnd, firstImm };
}

/** Facts by form id. */
export const FORM_FACTS: readonly FormFacts[] = FORMS.map(factsOf);
