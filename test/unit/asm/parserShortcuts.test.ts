// LineParser.parse answers most lines without the lexer: a repeat of an earlier instruction line
// by its text, a blank or comment-only line, a `name:` line. Each shortcut must give exactly the
// statement, diagnostics and label scope the full path (lexer, then parser) gives the same line.

import * as assert from 'node:assert/strict';
import { FORMS } from '../../../core/isa';
import { LineParser } from '../../../core/asm/parser';
import { generateAsmSource } from '../../../bench/asmSource';
import { linesForForm } from '../../oracle/corpus';

/** Shapes around the shortcuts' edges: what they take, and near misses they must leave alone. */
const EDGES = [
  '', ' ', '\t', '        ', ' ; comment', ';', "; it's", '\f', '\v\r', '\u00a0', ' \u00a0 ; c', '\ufeff',
  'a:', 'a: ', 'a:\t', 'a :', '  a  :  ; c', '.l:', '.l: ; c', '..@x:', '?a:', '?:', '$a:', '$$:', '1a:', 'a.b:',
  'mov:', 'byte:', 'a$#~@?:', 'a::', 'a: :', 'a: b:', 'a:b', 'a: \u00a0', 'a:\u2000', 'é:', 'aé:', '[a]:', 'a ; x:',
  "a: ; '", "'a':", 'a', 'a ;', 'nop', 'nop ; c', 'nop   ', '  nop\t; c', "mov eax, ';'", "mov eax, ';' ; c",
  'mov eax, ebx', 'mov eax, ebx ; c', 'mov eax,ebx', 'mov eax , ebx', 'mov dword eax, ebx', 'mov eax, $ebx',
  'push es', 'es movsb', 'mov eax, ebx +', 'mov eax, ebx:', 'mov eax, ebx ebx', 'jmp far eax', 'mov eax, (ebx)',
  '[bits 32]', '  [bits 32] ; c', '\f[bits 32]', '[mov eax, ebx]', 'times 2 nop', 'times 2 nop', 'align 4, nop',
  'a: nop', 'a: nop', '.l: nop', '.l: nop', 'nop', 'mov eax, [ebx]', 'mov eax, [ebx] ; again',
];

function lines(): string[] {
  const out = [...EDGES];
  for (const f of FORMS) if (!f.decodeOnly) out.push(...linesForForm(f));
  out.push(...generateAsmSource(20_000).split('\n'));
  // The same lines again with labels, comments and blanks around them.
  const n = out.length;
  for (let i = 0; i < n; i += 7) out.push(`x${i}: ${out[i]}`, `  ${out[i]}   ; note ${i}`, `.q${i}:\t${out[i]}`);
  return out;
}

describe('assembler: parser shortcuts', () => {
  it('give the full path\'s statement, diagnostics and scope for every line of the bench, the corpus and edge cases', () => {
    const fast = new LineParser(undefined);
    const full = new LineParser(undefined);
    const all = lines();
    for (let i = 0; i < all.length; i++) {
      const text = all[i]!;
      const a = fast.parse(text, 'f', i + 1);
      const b = full.parseFull(text, 'f', i + 1);
      assert.deepEqual(a, b, `line ${i + 1}: ${JSON.stringify(text)}`);
      assert.equal(fast.scope, full.scope, `scope after line ${i + 1}: ${JSON.stringify(text)}`);
      assert.equal(fast.diagnostics.length, full.diagnostics.length, `diagnostics of line ${i + 1}: ${JSON.stringify(text)}`);
    }
    assert.deepEqual(fast.diagnostics, full.diagnostics);
  });
});
