// What each part of a source line is, as the assembler's parser decides it (core/asm/parser.ts):
// a leading label (with a colon, or a non-keyword followed by nothing or by a keyword), then the
// operation words (prefixes, segment registers written as prefixes, then a mnemonic or directive;
// `times` carries a count and then a statement of its own, as `align` and `alignb` may after their
// count and a comma: `align 4, nop`), then operands. Shared by the symbol
// index, semantic tokens, hovers and completion so they always agree.

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
  /**
   * What the parser takes a word after the last token for: `operation` (a mnemonic or directive:
   * at the start, after a label, a `times` count or an `align` count and its comma), `instruction`
   * (a mnemonic or another prefix, after a prefix) or `operand` (anything else).
   */
  readonly next: 'operation' | 'instruction' | 'operand';
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

/** What an identifier in operation position means (a segment register there is a prefix, `es lodsb`). */
export function operationRole(text: string): WordRole | undefined {
  const w = word(text);
  if (w.mnemonic) return 'mnemonic';
  if (w.prefix || w.register?.cls === 'sreg') return 'prefix';
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
  if (t0?.kind === 'preprocessor') return { label, equ, ops, refs, preprocessor: 0, next: 'operand' };
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
  let next: LineShape['next'] = 'operation';
  // Operation words: prefixes, then one mnemonic or directive (an unknown word there is skipped:
  // it is the assembler's RL101, not a symbol). `times` repeats a statement: its count's names
  // are uses, and the statement after the count has operation words again.
  while (i < tokens.length) {
    const t = tokens[i]!;
    next = 'operand';
    if (t.kind !== 'identifier') break;
    const s = text.slice(t.start, t.end);
    const role = operationRole(s);
    if (role === 'prefix') { ops.push(i++); next = 'instruction'; continue; }
    if (role === 'mnemonic' || role === 'directive') {
      ops.push(i++);
      const lower = word(s).lower;
      if (lower === 'times') {
        const count = expressionEnd(text, tokens, i);
        for (; i < count.end; i++) if (isSymbol(text, tokens[i]!)) refs.push(i);
        if (count.complete) { next = 'operation'; continue; }
      } else if (lower === 'align' || lower === 'alignb') {
        // The count, then after a comma the filler: a statement of its own (the parser's `inner`).
        const count = expressionEnd(text, tokens, i, true);
        for (; i < count.end; i++) if (isSymbol(text, tokens[i]!)) refs.push(i);
        const comma = tokens[i];
        if (count.complete && comma?.kind === 'operator' && text.slice(comma.start, comma.end) === ',') { i++; next = 'operation'; continue; }
      } else if (role === 'directive' && NAME_DIRECTIVES.has(lower)) names = true;
    } else if (operandRole(s) === 'symbol') i++;
    break;
  }
  if (!names) {
    for (; i < tokens.length; i++) if (isSymbol(text, tokens[i]!)) refs.push(i);
  }
  return { label, equ, ops, refs, preprocessor: -1, next };
}

function isSymbol(text: string, t: Token): boolean {
  return t.kind === 'identifier' && operandRole(text.slice(t.start, t.end)) === 'symbol';
}

/**
 * Where the expression starting at token `from` ends (NASM's TIMES count): at the first token
 * that cannot continue it, a name or number right after a complete operand (`times 4 nop`,
 * `times (n) db 0`), a comment, or with `toComma` a comma outside parentheses (an `align` count).
 * `complete` is false when it ends wanting an operand.
 */
function expressionEnd(text: string, tokens: readonly Token[], from: number, toComma = false): { end: number; complete: boolean } {
  let wantOperand = true;
  let depth = 0;
  let i = from;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'comment') break;
    const lone = t.kind === 'operator' ? text.slice(t.start, t.end) : '';
    if (t.kind === 'operator' && lone !== '$' && lone !== '$$') {
      if (toComma && lone === ',' && depth <= 0) break;
      if (lone === ')') { depth--; wantOperand = false; } else { if (lone === '(') depth++; wantOperand = true; }
      continue;
    }
    // An operand: a number, a name, a string, `$` or `$$`.
    if (!wantOperand && depth <= 0) break;
    wantOperand = false;
  }
  return { end: i, complete: i > from && !wantOperand && depth <= 0 };
}
