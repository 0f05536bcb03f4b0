// Candidate spellings of a decoded instruction for the round trip: the formatter's best guess
// first, then variants that move `strict` around. Encodings no NASM text produces are refused.

import { type Decoded } from './decoded';
import { FORM_FACTS } from './formFacts';
import { formatInstruction, type FormatOptions } from './formatter';
import { FORM_MOD_IGNORED } from './opcodeMap';

/** The formatter settings a spelling was made with (labels are added after the check). */
export type Spelling = NonNullable<FormatOptions['strict']>;

const ORDER: readonly Spelling[] = ['auto', 'always', 'never'];

/**
 * Encodings NASM never produces from any text, written as `db` without asking an encoder:
 * decode-only rows, repeated or out-of-order prefixes, a SIB byte NASM would not emit (no index
 * and a base other than ESP, or a scale without index), MOV CRn/DRn with a memory-looking mod.
 */
export function nasmCannotSpell(d: Decoded): boolean {
  const form = d.form;
  if (!form) return true;
  if (form.decodeOnly || d.prefixRepeated || d.prefixOrderOdd) return true;
  if (d.hasSib && d.index < 0 && (d.base !== 4 || d.scaleShift !== 0)) return true;
  if (FORM_MOD_IGNORED[form.id] && d.mod !== 3) return true;
  return false;
}

/** Distinct spellings to try in order, with the setting that made each; empty when hopeless. */
export function candidateSpellings(d: Decoded): Array<{ spelling: Spelling; text: string }> {
  if (nasmCannotSpell(d)) return [];
  const first = formatInstruction(d, { strict: 'auto' });
  const out = [{ spelling: 'auto' as Spelling, text: first }];
  if (!FORM_FACTS[d.formId]!.hasShortImm) return out;
  for (const spelling of ORDER.slice(1)) {
    const text = formatInstruction(d, { strict: spelling });
    if (!out.some((c) => c.text === text)) out.push({ spelling, text });
  }
  return out;
}
