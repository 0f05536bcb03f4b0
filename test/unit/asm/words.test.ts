// core/asm/words.ts: what a spelling means to the assembler, cached per spelling; the cache is
// bounded, so a long editor session that sees many labels does not keep all of them.

import * as assert from 'node:assert/strict';
import { cachedWords, word } from '../../../core/asm/words';

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
