// Holds RingLab's assembler to NASM, form by form: the corpus (corpus.ts) has lines for every
// assembler-visible form of core/isa, and the goldens hold NASM's bytes for each line.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORMS } from '../../core/isa';
import type { AsmOptions, AsmResult } from '../../core/asm/types';
import { liveOracle, requireNasm, runNasm } from '../support/nasm';
import { bytesPerLine, checkLine, CORPUS_HEADER, corpusSource, generateCorpus, type GoldenLine } from './corpus';

const GOLDEN_DIR = path.resolve(__dirname, '../../../test/oracle/golden');
const REGENERATE = 'run `node scripts/make-goldens.mjs` and commit test/oracle/golden/';

function readGolden(): { asm: string; bin: Uint8Array; lines: GoldenLine[] } {
  return {
    asm: fs.readFileSync(path.join(GOLDEN_DIR, 'corpus.asm'), 'utf8'),
    bin: new Uint8Array(fs.readFileSync(path.join(GOLDEN_DIR, 'corpus.bin'))),
    lines: JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, 'corpus.expected.json'), 'utf8')) as GoldenLine[],
  };
}

type Assemble = (source: string, options?: AsmOptions) => AsmResult;

/** The assembler, loaded when the test runs so a missing one fails these tests, not the build. */
function loadAssembler(): Assemble {
  let mod: { assemble?: unknown };
  try {
    mod = require('../../core/asm') as { assemble?: unknown };
  } catch (e) {
    throw new Error(`core/asm/index.ts is missing or does not load: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
  if (typeof mod.assemble !== 'function') throw new Error('core/asm does not export assemble()');
  return mod.assemble as Assemble;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const spaced = (h: string): string => h.replace(/(..)(?!$)/g, '$1 ') || '(nothing)';

describe('NASM oracle corpus', () => {
  const golden = readGolden();

  it('has lines for every assembler-visible form of the instruction table', () => {
    const covered = new Set(golden.lines.map((l) => l.form));
    const missing = FORMS.filter((f) => !f.decodeOnly && !covered.has(f.source)).map((f) => f.source);
    assert.deepEqual(missing, [], `forms without corpus lines (${REGENERATE}):\n  ${missing.join('\n  ')}`);
    const known = new Set(FORMS.filter((f) => !f.decodeOnly).map((f) => f.source));
    const stale = [...covered].filter((s) => !known.has(s));
    assert.deepEqual(stale, [], `corpus lines for forms the table no longer has (${REGENERATE})`);
  });

  it('goldens are the current output of the corpus generator', () => {
    const current = corpusSource(generateCorpus());
    assert.ok(current === golden.asm, `test/oracle/golden/corpus.asm differs from what corpus.ts generates now: ${REGENERATE}`);
    assert.equal(golden.lines.length, generateCorpus().length);
  });

  describe("RingLab's assembler gives NASM's bytes", () => {
    it('for each corpus line alone', () => {
      const assemble = loadAssembler();
      const failures: string[] = [];
      for (const g of golden.lines) {
        let got: string;
        try {
          const r = assemble(`bits 32\n${g.text}\n`, { file: 'corpus.asm' });
          got = r.ok ? hex(r.bytes) : `error ${r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`).join('; ')}`;
        } catch (e) {
          got = `exception ${e instanceof Error ? e.message : String(e)}`;
        }
        if (got !== g.hex) failures.push(`corpus.asm:${g.line}: ${g.text}\n      NASM    ${spaced(g.hex)}\n      RingLab ${got.startsWith('e') ? got : spaced(got)}   (${g.form})`);
      }
      const shown = failures.slice(0, 40).join('\n  ');
      assert.equal(failures.length, 0, `${failures.length} of ${golden.lines.length} corpus lines differ from NASM:\n  ${shown}${failures.length > 40 ? '\n  ...' : ''}`);
    });

    it('for the whole corpus file (corpus.bin)', () => {
      const assemble = loadAssembler();
      const r = assemble(golden.asm, { file: 'corpus.asm' });
      const errors = r.diagnostics.filter((d) => d.severity === 'error').slice(0, 10);
      assert.ok(r.ok, `corpus.asm does not assemble:\n  ${errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message} [${d.code}]`).join('\n  ')}`);
      assert.equal(r.bytes.length, golden.bin.length, 'size of the output');
      assert.ok(Buffer.from(r.bytes).equals(Buffer.from(golden.bin)), 'bytes differ from corpus.bin');
    });
  });

  describe('live NASM (RINGLAB_LIVE_ORACLE=1)', () => {
    it('assembles the current corpus to the committed goldens, each line in its form', function () {
      if (!liveOracle()) this.skip();
      if (!requireNasm(this)) return;
      const lines = generateCorpus();
      const out = runNasm(corpusSource(lines), { listing: true })!;
      assert.equal(out.stderr.trim(), '', 'NASM warns about the corpus');
      assert.ok(Buffer.from(out.bytes).equals(Buffer.from(golden.bin)), `NASM's corpus.bin differs from the committed one: ${REGENERATE}`);
      const perLine = bytesPerLine(out.listing);
      const problems: string[] = [];
      lines.forEach((l, i) => {
        const line = CORPUS_HEADER.length + 1 + i;
        const h = perLine.get(line) ?? '';
        const g = golden.lines[i];
        if (!g || g.hex !== h || g.text !== l.text) problems.push(`corpus.asm:${line}: ${l.text}: NASM now ${spaced(h)}, golden ${g ? spaced(g.hex) : '(none)'}`);
        const why = checkLine(l, Uint8Array.from(Buffer.from(h, 'hex')));
        if (why) problems.push(`corpus.asm:${line}: ${l.text}: NASM did not pick ${l.form}: ${why}`);
      });
      assert.deepEqual(problems, [], `stale goldens (${REGENERATE})`);
    });
  });
});
