// core/asm/words.ts: what a spelling means to the assembler, cached per spelling; the cache is
// bounded, so a long editor session that sees many labels does not keep all of them.

import * as assert from 'node:assert/strict';
import { cachedWords, DIRECTIVES, Prefix, word } from '../../../core/asm/words';
import { allMnemonics, REGISTERS } from '../../../core/isa';

describe('assembler words', () => {
  it('classifies registers, mnemonics, prefixes, directives and size keywords in any case', () => {
    assert.equal(word('EAX').register?.name, 'eax');
    assert.equal(word('Mov').mnemonic?.mnemonic, 'mov');
    assert.equal(word('rep').keyword, true);
    assert.equal(word('dd').directive, true);
    assert.equal(word('DWORD').size, 32);
    const label = word('block17');
    assert.deepEqual([label.register, label.mnemonic, label.directive, label.keyword, label.size], [undefined, undefined, false, false, 0]);
  });

  it('gives every spelling of the tables its meaning, however it is cased (none is taken for a plain name)', () => {
    // Upper case: the spellings are new to the cache, so each goes through classify.
    for (const m of allMnemonics()) assert.ok(word(m.toUpperCase()).mnemonic, m);
    for (const r of REGISTERS.keys()) assert.ok(word(r.toUpperCase()).register, r);
    for (const d of DIRECTIVES) assert.ok(word(d.toUpperCase()).directive, d);
    for (const p of ['lock', 'rep', 'repe', 'repz', 'repne', 'repnz', 'o16', 'o32', 'a16', 'a32']) assert.notEqual(word(p.toUpperCase()).prefix, Prefix.None, p);
    for (const s of ['byte', 'word', 'dword', 'qword', 'tword', 'oword', 'yword', 'zword']) assert.ok(word(s.toUpperCase()).size > 0, s);
    for (const plain of ['block1234', 'Start', '_entry', 'x', 'a_rather_long_label_name_past_sixty_three_characters_of_length_1']) {
      const w = word(plain);
      assert.deepEqual([w.lower, w.register, w.mnemonic, w.prefix, w.directive, w.size, w.keyword], [plain.toLowerCase(), undefined, undefined, Prefix.None, false, 0, false]);
    }
  });

  it('keeps at most 131,072 spellings, and still answers after starting again', () => {
    let most = 0;
    for (let i = 0; i < 300_000; i++) {
      word(`label_${i}`);
      most = Math.max(most, cachedWords());
    }
    assert.ok(most <= 1 << 17, `${most} spellings cached`);
    assert.ok(cachedWords() < 300_000 - (1 << 17), 'the cache started again');
    assert.equal(word('cli').mnemonic?.mnemonic, 'cli');
    assert.equal(word('label_5').keyword, false);
  });
});
