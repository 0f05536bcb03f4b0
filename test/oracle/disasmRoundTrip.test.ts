// The disassembler's round trip through NASM: disassembling random code and the NASM corpus must
// give text that `nasm -f bin` turns back into the same bytes. Goldens hold the output NASM
// accepted, so `npm test` checks it without NASM; RINGLAB_LIVE_ORACLE=1 runs NASM live too.
// Regenerate the goldens with RINGLAB_UPDATE_GOLDEN=1 (needs NASM).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { disassemble, type DisasmLine, type EncodeRequest, type Reencoder } from '../../core/disasm';
import { liveOracle, requireNasm, runNasm } from '../support/nasm';
import { NasmReencoder, randomBytes } from './disasmNasm';

const GOLDEN_DIR = path.resolve(__dirname, '../../../test/oracle/golden');
const UPDATE = process.env['RINGLAB_UPDATE_GOLDEN'] === '1';
const ORIGIN = 0x100000;

/**
 * The streams under test: name, bytes, load address. The corpus stream is a copy of NASM's
 * corpus.bin taken when the goldens were made, so regenerating the corpus does not stale them.
 */
function streams(): Array<{ name: string; bytes: Uint8Array; origin: number }> {
  const corpusCopy = path.join(GOLDEN_DIR, 'disasm-corpus.bin');
  if (UPDATE) fs.copyFileSync(path.join(GOLDEN_DIR, 'corpus.bin'), corpusCopy);
  return [
    { name: 'random', bytes: randomBytes(0x5eed1234, 8192), origin: ORIGIN },
    { name: 'corpus', bytes: new Uint8Array(fs.readFileSync(corpusCopy)), origin: 0 },
  ];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const lineText = (l: DisasmLine): string => `${l.addr.toString(16).padStart(8, '0')} ${hex(l.bytes)} ${l.text}`;

/** A complete NASM source for disassembled lines. */
function source(lines: readonly DisasmLine[], origin: number): string {
  return `bits 32\norg 0x${origin.toString(16)}\n${lines.map((l) => l.text).join('\n')}\n`;
}

/** Answers from a golden file: the texts NASM encoded to the golden bytes at their addresses. */
class GoldenReencoder implements Reencoder {
  private readonly known = new Map<string, string>();
  constructor(golden: readonly string[]) {
    for (const g of golden) {
      const m = /^([0-9a-f]{8}) ([0-9a-f]+) (.*)$/.exec(g);
      if (m && !m[3]!.startsWith('db ')) this.known.set(`${m[1]} ${m[3]}`, m[2]!);
    }
  }
  encodeMany(requests: readonly EncodeRequest[]): ReadonlyArray<Uint8Array | undefined> {
    return requests.map((r) => {
      const h = this.known.get(`${(r.addr >>> 0).toString(16).padStart(8, '0')} ${r.text}`);
      return h === undefined ? undefined : Uint8Array.from(Buffer.from(h, 'hex'));
    });
  }
}

function goldenPath(name: string): string {
  return path.join(GOLDEN_DIR, `disasm-${name}.txt`);
}

function readGolden(name: string): string[] | undefined {
  const p = goldenPath(name);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith(';')) : undefined;
}

describe('disassembler round trip through NASM', () => {
  for (const s of streams()) {
    describe(`${s.name} stream (${s.bytes.length} bytes)`, () => {
      it('matches the golden output that NASM accepted', function () {
        if (UPDATE) {
          if (!requireNasm(this)) return;
          const lines = disassemble(s.bytes, s.origin, { reencoder: new NasmReencoder() });
          const header = `; disassembly of the ${s.name} stream at 0x${s.origin.toString(16)}, checked line by line with NASM: address, bytes, text\n`;
          fs.writeFileSync(goldenPath(s.name), header + lines.map(lineText).join('\n') + '\n');
        }
        const golden = readGolden(s.name);
        assert.ok(golden, `missing ${goldenPath(s.name)}: run with RINGLAB_UPDATE_GOLDEN=1 and commit it`);
        const lines = disassemble(s.bytes, s.origin, { reencoder: new GoldenReencoder(golden) });
        const got = lines.map(lineText);
        const diffs = got.map((g, i) => (g === golden[i] ? '' : `  golden ${golden[i]}\n  now    ${g}`)).filter((x) => x);
        assert.equal(got.length, golden.length, 'line count differs from the golden');
        assert.equal(diffs.length, 0, `${diffs.length} lines differ:\n${diffs.slice(0, 20).join('\n')}`);
      });

      it("with RingLab's assembler as the check (the default) the output is the golden", () => {
        const golden = readGolden(s.name);
        assert.ok(golden);
        const got = disassemble(s.bytes, s.origin).map(lineText);
        const diffs = got.map((g, i) => (g === golden[i] ? '' : `  NASM    ${golden[i]}\n  core/asm ${g}`)).filter((x) => x);
        assert.equal(diffs.length, 0, `core/asm and NASM disagree on ${diffs.length} lines:\n${diffs.slice(0, 20).join('\n')}`);
      });

      it('the golden output re-assembles to the same bytes (live NASM)', function () {
        if (!liveOracle() && !UPDATE) this.skip();
        if (!requireNasm(this)) return;
        const golden = readGolden(s.name)!;
        const text = golden.map((g) => /^[0-9a-f]{8} [0-9a-f]+ (.*)$/.exec(g)![1]!);
        const out = runNasm(`bits 32\norg 0x${s.origin.toString(16)}\n${text.join('\n')}\n`)!;
        assert.equal(hex(out.bytes), hex(s.bytes));
      });

      it('live NASM still accepts what the disassembler prints now', function () {
        if (!liveOracle()) this.skip();
        if (!requireNasm(this)) return;
        const lines = disassemble(s.bytes, s.origin, { reencoder: new NasmReencoder() });
        assert.deepEqual(lines.map(lineText), readGolden(s.name));
      });
    });
  }

  it('the current NASM corpus (corpus.bin) re-assembles to the same bytes (live NASM)', function () {
    if (!liveOracle()) this.skip();
    if (!requireNasm(this)) return;
    const bytes = new Uint8Array(fs.readFileSync(path.join(GOLDEN_DIR, 'corpus.bin')));
    const lines = disassemble(bytes, 0, { reencoder: new NasmReencoder() });
    assert.deepEqual(lines.filter((l) => l.isData).map(lineText), [], 'every corpus line has a spelling');
    assert.equal(hex(runNasm(source(lines, 0))!.bytes), hex(bytes));
  });

  it("with RingLab's assembler as the check, NASM re-assembles 200 KiB of random code to the same bytes (live)", function () {
    if (!liveOracle()) this.skip();
    if (!requireNasm(this)) return;
    this.timeout(300000);
    const bytes = randomBytes(0xfeed, 200 * 1024);
    const lines = disassemble(bytes, ORIGIN);
    const out = runNasm(source(lines, ORIGIN))!;
    const firstBad = lines.find((l) => !Buffer.from(out.bytes.subarray(l.addr - ORIGIN, l.addr - ORIGIN + l.length)).equals(Buffer.from(l.bytes)));
    assert.ok(Buffer.from(out.bytes).equals(Buffer.from(bytes)), `NASM gave other bytes, first at ${firstBad ? lineText(firstBad) : '(length differs)'}`);
  });

  it('a 200 KiB random stream re-assembles to the same bytes (live NASM)', function () {
    if (!liveOracle()) this.skip();
    if (!requireNasm(this)) return;
    this.timeout(300000);
    const bytes = randomBytes(0xc0ffee, 200 * 1024);
    const lines = disassemble(bytes, ORIGIN, { reencoder: new NasmReencoder() });
    const out = runNasm(source(lines, ORIGIN))!;
    assert.equal(out.bytes.length, bytes.length);
    assert.ok(Buffer.from(out.bytes).equals(Buffer.from(bytes)), 'NASM gave other bytes');
    const asData = lines.filter((l) => l.isData).length;
    console.log(`      ${lines.length} lines, ${asData} as db (${(100 * asData / lines.length).toFixed(1)}%)`);
  });

});
