// A model of NASM's form choice, for disassembling without an encoder at hand: among the forms of
// a mnemonic that accept the printed operands, NASM takes the shortest, then the first in table
// order. When that is not the decoded form (`03 C3` printed `add eax, ebx` gives NASM's `01 D8`),
// the disassembler writes `db`. With a Reencoder the check is exact and this model is not used.

import type { Form, ImmField, OperandKind } from '../isa';
import { type Decoded } from './decoded';
import { FORM_FACTS } from './formFacts';
import { formatInstruction } from './formatter';
import { FORM_MOD_IGNORED } from './opcodeMap';

const IMM_BYTES: Record<ImmField, number> = { ib: 1, ibs: 1, rb: 1, iw: 2, rw: 2, seg: 2, ow: 2, id: 4, rd: 4, od: 4 };

/** Bytes of a form's encoding apart from prefixes it shares with its siblings and the address part. */
function baseLength(f: Form): number {
  const e = f.encoding;
  return (e.opsize === 16 ? 1 : 0) + e.opcode.length + (e.modrm !== undefined ? 1 : 0) + e.immediates.reduce((n, x) => n + IMM_BYTES[x], 0);
}

const WIDTH: Partial<Record<OperandKind, number>> = {
  r8: 8, rm8: 8, m8: 8, r16: 16, rm16: 16, m16: 16, r32: 32, rm32: 32, m32: 32, m64: 64,
  imm8: 8, imm16: 16, imm32: 32, sbyte16: 16, sbyte32: 32, moffs8: 8, moffs16: 16, moffs32: 32,
};
const FIXED_REG: Partial<Record<OperandKind, [number, number]>> = {
  al: [0, 8], cl: [1, 8], ax: [0, 16], dx: [2, 16], eax: [0, 32],
};

/** What one printed operand is, as far as form matching goes. */
type Value =
  | { readonly t: 'reg'; readonly num: number; readonly bits: number }
  | { readonly t: 'mem'; readonly bits: number | undefined; readonly dispOnly: boolean }
  | { readonly t: 'imm'; readonly v: number; readonly bits: number; readonly strict: boolean };

function valuesOf(d: Decoded, form: Form, strictText: boolean): Value[] | undefined {
  const values: Value[] = [];
  for (let i = 0; i < form.operands.length; i++) {
    const k = form.operands[i]!;
    const slot = form.encoding.slots[i]!;
    const w = WIDTH[k];
    const fixed = FIXED_REG[k];
    if (fixed) values.push({ t: 'reg', num: fixed[0], bits: fixed[1] });
    else if (k === 'r8' || k === 'r16' || k === 'r32') values.push({ t: 'reg', num: slot === 'rm' ? d.rm : d.reg, bits: w! });
    else if (k === 'rm8' || k === 'rm16' || k === 'rm32' || k === 'm8' || k === 'm16' || k === 'm32') {
      if (d.mod === 3 || FORM_MOD_IGNORED[form.id]) values.push({ t: 'reg', num: d.rm, bits: w! });
      else values.push({ t: 'mem', bits: FORM_FACTS[form.id]!.memSize ? w : undefined, dispOnly: d.base < 0 && d.index < 0 });
    } else if (k === 'moffs8' || k === 'moffs16' || k === 'moffs32') values.push({ t: 'mem', bits: undefined, dispOnly: true });
    else if (k === 'imm8' || k === 'imm16' || k === 'imm32' || k === 'sbyte16' || k === 'sbyte32') {
      values.push({ t: 'imm', v: i === FORM_FACTS[form.id]!.firstImm ? d.imm : d.imm2, bits: w!, strict: strictText });
    } else if (k === 'unity') values.push({ t: 'imm', v: 1, bits: 8, strict: false });
    else return undefined; // segment, control, relative, far operands: one form each in practice
  }
  return values;
}

function accepts(k: OperandKind, v: Value, opsize16: boolean): boolean {
  const fixed = FIXED_REG[k];
  if (v.t === 'reg') {
    if (fixed) return fixed[0] === v.num && fixed[1] === v.bits;
    return (k === 'r8' || k === 'r16' || k === 'r32' || k === 'rm8' || k === 'rm16' || k === 'rm32') && WIDTH[k] === v.bits;
  }
  if (v.t === 'mem') {
    if (k.startsWith('moffs')) return v.dispOnly && (v.bits === undefined || v.bits === WIDTH[k]);
    if (!(k.startsWith('rm') || (k.startsWith('m') && k !== 'mem' && k !== 'mfar'))) return false;
    return v.bits === undefined || v.bits === WIDTH[k];
  }
  if (k === 'unity') return v.v === 1 && !v.strict;
  const s = (v.v << 24) >> 24;
  const fits = v.bits === 16 ? ((v.v << 16) >> 16) === s : (v.v | 0) === s;
  if (k === 'sbyte16' || k === 'sbyte32') return !v.strict && fits && (k === 'sbyte16') === opsize16;
  if (k === 'imm8' || k === 'imm16' || k === 'imm32') return !v.strict || WIDTH[k] === v.bits;
  return false;
}

/** Does NASM, given this instruction's text, pick a form with another encoding? */
export function nasmPicksAnother(d: Decoded): boolean {
  const form = d.form;
  if (!form) return false;
  // NASM parses WAIT as a prefix of its own and emits 9B ahead of any other prefix.
  if (form.mnemonic === 'wait' && d.prefixCount > 0) return true;
  const text = formatInstruction(d);
  const values = valuesOf(d, form, text.includes('strict'));
  if (!values) return false;
  const opsize16 = d.opsize16;
  const memBytes = (d.hasSib ? 1 : 0) + d.dispSize;
  let best: Form | undefined;
  let bestLen = Infinity;
  for (const f of form.def.forms) {
    if (f.decodeOnly || f.operands.length !== values.length) continue;
    if (f.encoding.opsize !== undefined && (f.encoding.opsize === 16) !== opsize16) continue;
    if (f.encoding.addrsize !== undefined && (f.encoding.addrsize === 16) !== d.addrsize16) continue;
    if (!f.operands.every((k, i) => accepts(k, values[i]!, opsize16))) continue;
    const len = baseLength(f) + (f.encoding.modrm !== undefined && values.some((v) => v.t === 'mem') ? memBytes : 0);
    if (len < bestLen) { best = f; bestLen = len; }
  }
  if (!best || best === form) return false;
  const [x, y] = [best.encoding, form.encoding];
  const sameBytes = x.modrm === y.modrm && x.plusReg === y.plusReg && x.opsize === y.opsize
    && x.opcode.join() === y.opcode.join() && x.immediates.join() === y.immediates.join();
  return !sameBytes || !registersLandAlike(best, values, d);
}

/** A twin form (same bytes, operands in other slots) puts each register where the decoder found it. */
function registersLandAlike(f: Form, values: readonly Value[], d: Decoded): boolean {
  return f.encoding.slots.every((slot, i) => {
    const v = values[i]!;
    if (v.t !== 'reg') return true;
    if (slot === 'reg' || slot === 'opreg') return v.num === d.reg;
    if (slot === 'rm') return v.num === d.rm;
    if (slot === 'regrm') return v.num === d.reg && v.num === d.rm;
    return true;
  });
}
