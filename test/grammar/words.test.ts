// The few NASM words the grammar lists itself (prefixes, size keywords) mean to the assembler
// what the grammar says they mean: a typo or a new spelling in core/asm shows up here.

import * as assert from 'node:assert/strict';
import { Prefix, word } from '../../core/asm/words';
import { PREFIX_WORDS, SIZE_WORDS } from '../../syntaxes/guestAsmGrammar';

describe('grammar: its own word lists agree with the assembler', () => {
  it('every prefix word is a prefix to core/asm', () => {
    for (const w of PREFIX_WORDS) assert.notEqual(word(w).prefix, Prefix.None, w);
  });
  it('every size word is a size keyword to core/asm', () => {
    for (const w of SIZE_WORDS) assert.ok(word(w).size > 0, w);
  });
});
