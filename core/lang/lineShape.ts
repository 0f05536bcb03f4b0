// What each part of a source line is, as the assembler's parser decides it (core/asm/parser.ts):
// a leading label (with a colon, or a non-keyword followed by nothing or by a keyword), then the
// operation word (mnemonic, prefix or directive), then operands. Shared by the symbol index and
// semantic tokens so they always agree.

import { word } from '../asm/words';
import type { Token } from './scan';

/** Operand words that are neither symbols nor in the table's mnemonics or registers. */
const OPERAND_KEYWORDS: ReadonlySet<string> = new Set(['short', 'near', 'far', 'strict', 'to', 'rel', 'abs', 'seg', 'wrt', 'nosplit', 'equ', 'dup']);
/** Directives whose operands are names of their own (sections, CPU levels), never symbols. */
const NAME_DIRECTIVES: ReadonlySet<string> = new Set(['section', 'segment', 'cpu', 'default', 'bits', 'warning', 'float', 'use16', 'use32', 'use64']);

export interface LineShape {
  /** Index of the label token, or -1. */
  readonly label: number;
  /** The label is `NAME equ ...`. */
  readonly equ: boolean;
  /** Indices of operation words (prefixes and the mnemonic or directive), possibly empty. */
  readonly ops: readonly number[];
  /** Indices of identifier tokens in operand position that name symbols. */
  readonly refs: readonly number[];
  /** Index of the preprocessor token (`%include`...), or -1. */
  readonly preprocessor: number;
}

export type WordRole = 'register' | 'mnemonic' | 'prefix' | 'directive' | 'size' | 'keyword' | 'symbol';

/** What an identifier means where it stands in operand position. */
export function operandRole(text: string): WordRole {
  const w = word(text);
  if (w.register) return 'register';
  if (w.size) return 'size';
  if (w.directive) return 'directive';
  if (OPERAND_KEYWORDS.has(w.lower)) return 'keyword';
  return 'symbol';
}

/** What an identifier in operation position means. */
export function operationRole(text: string): WordRole | undefined {
  const w = word(text);
  if (w.mnemonic) return 'mnemonic';
  if (w.prefix) return 'prefix';
  if (w.directive) return 'directive';
  return undefined;
}

export function lineShape(text: string, tokens: readonly Token[]): LineShape {
  const ops: number[] = [];
  const refs: number[] = [];
  let i = 0;
  let label = -1;
  let equ = false;
  const t0 = tokens[0];
  if (t0?.kind === 'preprocessor') return { label, equ, ops, refs, preprocessor: 0 };
  if (t0?.kind === 'identifier') {
    const t1 = tokens[1];
    const colon = t1?.kind === 'operator' && text.charCodeAt(t1.start) === 58;
    const next = t1?.kind === 'identifier' ? word(text.slice(t1.start, t1.end)) : undefined;
    if (colon || (!word(text.slice(t0.start, t0.end)).keyword && (t1 === undefined || t1.kind === 'comment' || next?.keyword))) {
      label = 0;
      equ = next?.lower === 'equ';
      i = colon ? 2 : 1;
    }
  }
  let names = false;
  // Operation words: prefixes, then one mnemonic or directive (an unknown word there is skipped:
  // it is the assembler's RL101, not a symbol).
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind !== 'identifier') break;
    const s = text.slice(t.start, t.end);
    const role = operationRole(s);
    if (role === 'prefix') { ops.push(i++); continue; }
    if (role === 'mnemonic' || role === 'directive') {
      ops.push(i++);
      if (role === 'directive' && NAME_DIRECTIVES.has(word(s).lower)) names = true;
    } else if (ops.length === 0 && operandRole(s) === 'symbol') i++;
    break;
  }
  if (!names) {
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === 'identifier' && operandRole(text.slice(t.start, t.end)) === 'symbol') refs.push(i);
    }
  }
  return { label, equ, ops, refs, preprocessor: -1 };
}
