// Decoding NASM's bytes for every form of the table (the oracle corpus, test/oracle/golden)
// yields that form: the decoder and the assembler read the same table and agree with NASM.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORMS, type Form } from '../../../core/isa';
import { Decoded, decode } from '../../../core/disasm';
import { bytesOf } from './helpers';

interface GoldenLine { readonly line: number; readonly text: string; readonly form: string; readonly hex: string }

const GOLDEN = path.resolve(__dirname, '../../../../test/oracle/golden/corpus.expected.json');

const bySource = new Map(FORMS.map((f) => [f.source, f]));

/**
 * Twins: `xchg r32,eax` and `xchg eax,r32`, `imul r32,imm32` and `imul r32,rm32,imm32`,
 * `mov sreg,r16` and `mov sreg,r32` share every encoding byte, so bytes cannot tell them apart.
 */
function sameEncoding(a: Form, b: Form): boolean {
  if (a === b) return true;
  const [x, y] = [a.encoding, b.encoding];
  return a.mnemonic === b.mnemonic && x.opsize === y.opsize && x.addrsize === y.addrsize && x.plusReg === y.plusReg
    && x.modrm === y.modrm && x.opcode.join() === y.opcode.join() && x.immediates.join() === y.immediates.join();
}

describe('disasm decodes the NASM corpus', () => {
  const lines = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as GoldenLine[];

  it('each corpus line decodes to its form (or an encoding-identical twin), with its whole length', () => {
    const d = new Decoded();
    const wrong: string[] = [];
    for (const g of lines) {
      const bytes = bytesOf(g.hex);
      const len = decode(bytes, 0, 0, d);
      const expected = bySource.get(g.form);
      if (!d.form || !expected || !sameEncoding(d.form, expected) || len !== bytes.length) {
        wrong.push(`${g.text} (${g.hex}): decoded ${d.form?.source ?? 'nothing'} length ${len}, expected ${g.form}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('covers every assembler-visible form', () => {
    const seen = new Set(lines.map((g) => g.form));
    const missing = FORMS.filter((f) => !f.decodeOnly && !seen.has(f.source)).map((f) => f.source);
    assert.deepEqual(missing, []);
  });
});
