// What an identifier means to the assembler (register, mnemonic, prefix, directive, size
// keyword), worked out once per spelling: the parser asks for every word of every line, and a
// file repeats few spellings, so lower-casing and table look-ups happen once each.

import { allMnemonics, lookupMnemonic, REGISTERS, type InstructionDef, type Register } from '../isa';

/** Prefix words and what they set (rep kinds, operand/address size overrides). */
export const enum Prefix { None, Lock, Rep, Repne, O16, O32, A16, A32 }

const PREFIXES: Readonly<Record<string, Prefix>> = {
  lock: Prefix.Lock, rep: Prefix.Rep, repe: Prefix.Rep, repz: Prefix.Rep, repne: Prefix.Repne, repnz: Prefix.Repne,
  o16: Prefix.O16, o32: Prefix.O32, a16: Prefix.A16, a32: Prefix.A32,
};

/** The instruction prefixes written as words (`rep movsb`, `lock xadd`, `o16 iret`). */
export const PREFIX_WORDS: readonly string[] = Object.keys(PREFIXES);

export const DIRECTIVES: ReadonlySet<string> = new Set(['db', 'dw', 'dd', 'dq', 'dt', 'do', 'dy', 'dz', 'resb', 'resw', 'resd', 'resq', 'rest', 'reso', 'resy', 'resz',
  'times', 'equ', 'org', 'section', 'segment', 'bits', 'use16', 'use32', 'use64', 'global', 'extern', 'common', 'static', 'cpu',
  'align', 'alignb', 'incbin', 'absolute', 'default', 'float', 'warning', 'sectalign', 'required']);

const SIZE_KEYWORDS: Readonly<Record<string, number>> = {
  byte: 8, word: 16, dword: 32, qword: 64, tword: 80, oword: 128, yword: 256, zword: 512,
};

export interface Word {
  readonly lower: string;
  readonly register: Register | undefined;
  readonly mnemonic: InstructionDef | undefined;
  readonly prefix: Prefix;
  readonly directive: boolean;
  /** Size keyword in bits (`dword` 32), 0 for other words. */
  readonly size: number;
  /** A word that cannot be a label without a colon: directive, prefix, mnemonic or segment register. */
  readonly keyword: boolean;
}

const words = new Map<string, Word>();
/** Past this many spellings the cache starts again: a long editor session must not keep every
 * label it ever saw (a large file has a few thousand). */
const MAX_WORDS = 1 << 17;

/** The meaning of `text` (any case). */
export function word(text: string): Word {
  let w = words.get(text);
  if (w === undefined) {
    w = classify(text);
    if (words.size >= MAX_WORDS) words.clear();
    words.set(text, w);
  }
  return w;
}

/** How many spellings the cache holds (never more than MAX_WORDS). */
export function cachedWords(): number {
  return words.size;
}

/** A word's first character and length (up to 63), lower-cased: see KEYWORD_SHAPES. */
function shapeOf(lower: string): number {
  return lower.charCodeAt(0) * 64 + Math.min(lower.length, 63);
}

/**
 * The shapes of every word classify gives a meaning (registers, mnemonics and their aliases,
 * prefixes, directives, size keywords): a spelling of another shape, as most labels are, is a
 * plain name without a look-up in each table.
 */
const KEYWORD_SHAPES: ReadonlySet<number> = new Set(
  [...REGISTERS.keys(), ...allMnemonics(), ...Object.keys(PREFIXES), ...DIRECTIVES, ...Object.keys(SIZE_KEYWORDS)]
    .map((k) => shapeOf(k.toLowerCase())));

function classify(text: string): Word {
  const lower = text.toLowerCase();
  if (!KEYWORD_SHAPES.has(shapeOf(lower))) {
    return { lower, register: undefined, mnemonic: undefined, prefix: Prefix.None, directive: false, size: 0, keyword: false };
  }
  const register = REGISTERS.get(lower);
  const mnemonic = lookupMnemonic(lower);
  const prefix = Object.prototype.hasOwnProperty.call(PREFIXES, lower) ? PREFIXES[lower]! : Prefix.None;
  const directive = DIRECTIVES.has(lower);
  const size = Object.prototype.hasOwnProperty.call(SIZE_KEYWORDS, lower) ? SIZE_KEYWORDS[lower]! : 0;
  const keyword = directive || prefix !== Prefix.None || mnemonic !== undefined || register?.cls === 'sreg';
  return { lower, register, mnemonic, prefix, directive, size, keyword };
}
