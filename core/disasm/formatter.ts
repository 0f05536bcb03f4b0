// Formats a Decoded record as one line of NASM syntax: lowercase, `0x` hex, size and distance
// keywords only where NASM needs them to pick the same encoding again.

import { REG16, REG32, REG8, SREG, type OperandKind } from '../isa';
import { RepKind, type Decoded } from './decoded';
import { FORM_FACTS } from './formFacts';
import { FORM_MOD_IGNORED } from './opcodeMap';

export interface FormatOptions {
  /** A name for a branch target (a label), or undefined to print the address. */
  readonly labelFor?: (addr: number) => string | undefined;
  /**
   * `strict` on an immediate whose form has a shorter sibling for small values (`81 /0 id`
   * versus `83 /0 ib`): 'auto' (default) writes it when the value would fit the shorter form,
   * 'always' whenever the sibling exists, 'never' not at all. The re-encode check tries another.
   */
  readonly strict?: 'auto' | 'always' | 'never';
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);
const hex8 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
const signedHex = (v: number): string => (v < 0 ? '-0x' + (-v).toString(16) : '0x' + v.toString(16));

const REG_NAMES: Partial<Record<OperandKind, readonly string[]>> = {
  r8: REG8, rm8: REG8, m8: REG8, r16: REG16, rm16: REG16, m16: REG16, r32: REG32, rm32: REG32, m32: REG32,
};

/** The NASM text of a decoded instruction (`db 0x..` for an undecodable byte). */
export function formatInstruction(d: Decoded, options: FormatOptions = {}): string {
  const form = d.form;
  if (!form) return `db ${hex(d.firstByte)}`;
  const facts = FORM_FACTS[form.id]!;
  const prefixes: string[] = [];
  if (d.rep !== RepKind.None) {
    prefixes.push(d.rep === RepKind.Repne ? (facts.bnd ? 'bnd' : 'repne') : form.def.rep === 'repe' ? 'repe' : 'rep');
  }
  if (d.lock) prefixes.push('lock');
  const segInOperand = d.hasMem;
  if (d.segOverride >= 0 && !segInOperand) prefixes.push(SREG[d.segOverride]!);
  if (d.opsize16 && form.encoding.opsize !== 16) prefixes.push('o16');
  // 16-bit registers in brackets tell NASM the address size; otherwise say it with a16.
  if (d.addrsize16 && form.encoding.addrsize !== 16 && !(d.hasMem && (d.base >= 0 || d.index >= 0))) prefixes.push('a16');

  const parts: string[] = [];
  let immN = 0;
  for (let i = 0; i < form.operands.length; i++) {
    const k = form.operands[i]!;
    const slot = form.encoding.slots[i]!;
    switch (k) {
      case 'r8': case 'r16': case 'r32':
        parts.push(REG_NAMES[k]![slot === 'rm' ? d.rm : d.reg]!);
        break;
      case 'rm8': case 'rm16': case 'rm32': case 'm8': case 'm16': case 'm32': case 'm64': case 'mem': case 'mfar':
        if (d.mod === 3 || FORM_MOD_IGNORED[form.id]) parts.push(REG_NAMES[k]![d.rm]!);
        else {
          const size = k === 'mfar' ? facts.farKeyword : facts.memSize;
          parts.push((size ? size + ' ' : '') + memory(d));
        }
        break;
      case 'moffs8': case 'moffs16': case 'moffs32':
        parts.push(memory(d));
        break;
      case 'imm8': case 'imm16': case 'imm32': case 'sbyte16': case 'sbyte32': {
        const v = immN++ === 0 ? d.imm : d.imm2;
        const text = k.startsWith('sbyte') ? signedHex(v) : hex(v);
        let kw = i === facts.firstImm ? facts.immSize : '';
        if (i === facts.firstImm && facts.hasShortImm && wantStrict(form.operands, k, v, options.strict ?? 'auto')) {
          kw = 'strict ' + (kw || (k === 'imm8' ? 'byte' : k === 'imm16' ? 'word' : 'dword'));
        }
        parts.push(kw ? `${kw} ${text}` : text);
        break;
      }
      case 'rel8': case 'rel16': case 'rel32': {
        const label = options.labelFor?.(d.target);
        const text = label ?? hex8(d.target);
        parts.push(facts.relKeyword ? `${facts.relKeyword} ${text}` : text);
        break;
      }
      case 'far16': case 'far32': {
        const text = `${'0x' + d.farSeg.toString(16).padStart(4, '0')}:${k === 'far16' ? '0x' + d.imm.toString(16).padStart(4, '0') : hex8(d.imm)}`;
        parts.push(facts.immSize ? `${facts.immSize} ${text}` : text);
        break;
      }
      case 'unity': parts.push('1'); break;
      case 'sreg': parts.push(SREG[d.reg]!); break;
      case 'creg': parts.push(`cr${d.reg}`); break;
      case 'dreg': parts.push(`dr${d.reg}`); break;
      default: parts.push(k); // al ax eax cl dx es cs ss ds fs gs
    }
  }
  const head = prefixes.length > 0 ? `${prefixes.join(' ')} ${form.mnemonic}` : form.mnemonic;
  return parts.length > 0 ? `${head} ${parts.join(', ')}` : head;
}

/** Would NASM pick a shorter sibling form for this value unless told `strict`? */
function wantStrict(operands: readonly OperandKind[], kind: OperandKind, v: number, mode: 'auto' | 'always' | 'never'): boolean {
  if (mode !== 'auto') return mode === 'always';
  if (kind === 'imm8') return v === 1 && operands.includes('imm8'); // shifts: `D1 /4` is `shl r/m, 1`
  const s = kind === 'imm16' ? (v << 16) >> 16 : v | 0;
  return s >= -128 && s <= 127;
}

/**
 * `[seg:base+index*scale+disp]`, with `byte`/`dword`/`word` on the displacement when the
 * encoding's displacement is not the one NASM would choose, and `nosplit` where NASM would
 * otherwise turn `[eax*2]` into `[eax+eax]`.
 */
function memory(d: Decoded): string {
  const seg = d.segOverride >= 0 ? SREG[d.segOverride] + ':' : '';
  if (d.base < 0 && d.index < 0) {
    // Displacement only (ModRM or moffs): NASM picks the width from the address size.
    return `[${seg}${hex8(d.disp)}]`;
  }
  const names = d.addrsize16 ? REG16 : REG32;
  let text = d.base >= 0 ? names[d.base]! : '';
  let nosplit = false;
  if (d.index >= 0) {
    const scale = 1 << d.scaleShift;
    if (d.base < 0 && scale <= 2) nosplit = true;
    text += (text ? '+' : '') + names[d.index]! + (scale > 1 || nosplit ? `*${scale}` : '');
  }
  let dispKw = '';
  if (d.base < 0) {
    if (d.disp !== 0) text += d.disp < 0 ? `-0x${(-d.disp).toString(16)}` : `+${hex(d.disp)}`;
  } else {
    const bp = d.base === 5 && (d.addrsize16 ? d.index < 0 : true);
    const natural = d.disp === 0 && !bp ? 0 : d.disp >= -128 && d.disp <= 127 ? 1 : d.addrsize16 ? 2 : 4;
    if (natural !== d.dispSize) dispKw = d.dispSize === 1 ? 'byte ' : d.dispSize === 2 ? 'word ' : 'dword ';
    if (d.dispSize > 0 && (d.disp !== 0 || dispKw)) text += d.disp < 0 ? `-0x${(-d.disp).toString(16)}` : `+${hex(d.disp)}`;
  }
  return `[${seg}${nosplit ? 'nosplit ' : ''}${dispKw}${text}]`;
}
