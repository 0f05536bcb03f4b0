// The name index behind navigation: labels, locals under their label, equ and %define names,
// uses in operands only (not mnemonics, registers, size words or section names), %include lines.

import * as assert from 'node:assert/strict';
import { indexFile } from '../../../core/lang';

describe('core/lang file index', () => {
  const text = [
    'section .text',
    'FOO equ 4',
    '%define BAR 7',
    '%include "lib.inc"',
    'start:',
    '  .loop: dec ecx',
    '  jnz .loop',
    'next mov eax, dword [FOO + BAR]',
    '  jmp start.loop ; comment start',
    '  db "start", 0',
  ].join('\n');
  const idx = indexFile(text);

  it('definitions with full names and kinds', () => {
    assert.deepEqual(idx.definitions.map((d) => [d.name, d.kind, d.line, d.column, d.local]), [
      ['FOO', 'equ', 2, 1, false], ['BAR', 'macro', 3, 9, false], ['start', 'label', 5, 1, false],
      ['start.loop', 'label', 6, 3, true], ['next', 'label', 8, 1, false],
    ]);
  });

  it('uses: local names resolved against their label; no keywords, strings or comments', () => {
    const uses = idx.occurrences.filter((o) => !o.definition).map((o) => [o.name, o.line, o.column]);
    assert.deepEqual(uses, [['start.loop', 7, 7], ['FOO', 8, 22], ['BAR', 8, 28], ['start.loop', 9, 7]]);
  });

  it('%include names with the span of the quoted name', () => {
    assert.deepEqual(idx.includes.map((i) => [i.name, i.line, i.column, i.endColumn]), [['lib.inc', 4, 10, 19]]);
  });

  it('never throws on garbage, a 1 MiB line or an unterminated string', () => {
    for (const t of ['\u0000\u0001\uffff:::', 'x'.repeat(1 << 20), 'db "abc', ';', ':', '.', '%', '%include', '"']) {
      assert.doesNotThrow(() => indexFile(t));
    }
  });
});
