// The program the language server lints while idle after start-up (core/lang/samples.ts): it
// must cover the table, not a handful of instructions, and assemble cleanly, or the warm-up
// compiles the wrong code paths (an error stops the assembler before encoding).

import * as assert from 'node:assert/strict';
import { assemble } from '../../../core/asm';
import { FORMS } from '../../../core/isa';
import { tableSampleLines, tableSampleProgram } from '../../../core/lang';

describe('core/lang table samples (the server\'s warm-up program)', () => {
  it('covers at least 90% of the table\'s mnemonics and assembles without a diagnostic', () => {
    const mnemonics = new Set(tableSampleLines().map((l) => l.split(/\s/)[0]));
    const all = new Set(FORMS.filter((f) => !f.decodeOnly).map((f) => f.mnemonic));
    assert.ok(mnemonics.size >= all.size * 0.9, `${mnemonics.size} of ${all.size} mnemonics`);
    const program = tableSampleProgram(2000);
    assert.ok(program.split('\n').length >= 2000);
    assert.deepEqual(assemble(program).diagnostics, []);
  });
});
