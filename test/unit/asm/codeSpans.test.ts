// core/asm/codeSpans: the linter reads the emitted instructions through these arrays instead of
// the source map, and decodes spans of one bytes key once. Both must agree with the source map.

import * as assert from 'node:assert/strict';
import { assemble } from '../../../core/asm';
import { codeSpans } from '../../../core/asm/codeSpans';
import { tableSampleProgram } from '../../../core/lang';

const PROGRAM = [
  'bits 32', 'org 0x7c00', 'start:', '  mov eax, 1', '  mov eax, 1 ; again', '  cli', '  times 3 cli', '  times 2 mov eax, 1',
  '  db 1, 2', '  jmp start', '  mov eax, start', 'section .data', 'x: dd 5', '  mov eax, 1', 'section .text', '  hlt', '  align 8',
].join('\n');

describe('assembler: code spans for the linter', () => {
  for (const [name, source] of [['a program with times, data and sections', PROGRAM], ['the warm-up program', tableSampleProgram(1500)]] as const) {
    it(`lists the source map's code entries, and spans of one key hold the same bytes (${name})`, () => {
      const r = assemble(source);
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
      const code = r.sourceMap.filter((e) => e.isCode);
      const spans = codeSpans(r);
      assert.equal(spans.count, code.length);
      const bytesOf = new Map<number, string>();
      for (let k = 0; k < spans.count; k++) {
        const e = code[k]!;
        assert.deepEqual([spans.addr[k], spans.length[k], spans.file[k], spans.line[k], spans.column[k]], [e.addr, e.length, e.file, e.line, e.column]);
        const key = spans.bytesKey[k]!;
        if (key < 0) continue;
        const bytes = Buffer.from(r.bytes.subarray(e.addr - r.origin, e.addr - r.origin + e.length)).toString('hex');
        assert.equal(bytesOf.get(key) ?? bytes, bytes, `line ${e.line}`);
        bytesOf.set(key, bytes);
      }
      assert.ok(bytesOf.size > 0);
    });
  }
});
