// incbin takes a file's bytes as they are: none past 0x7F is changed (the file was once read as
// UTF-8 text, and each invalid sequence became 0xFD), its offset and length count bytes, and a
// host that can only give text gives that text's UTF-8 bytes. The bytes are NASM 2.16's,
// committed, and compared with NASM itself when it is installed.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assemble, AsmCache, type AsmResult, type SourceFiles } from '../../../core/asm';
import { DocumentAnalysis } from '../../../core/lang';
import { NodeSourceFiles } from '../../../cli/nodeFiles';
import { liveOracle, nasmAvailable, runNasm } from '../../support/nasm';
import { tempDir } from '../../support/tempDir';

/** The audit's file: bytes that are not UTF-8 (fa ff 80), one that is (c3 a9), and ASCII. */
const BLOB = Uint8Array.from([0xfa, 0xff, 0xc3, 0xa9, 0x80, 0x0f, 0x01, 0x10]);

function hex(r: AsmResult): string {
  return Buffer.from(r.bytes).toString('hex');
}

function diags(r: AsmResult): string[] {
  return r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);
}

describe('assembler: incbin bytes are the file\'s bytes, as NASM\'s', () => {
  let dir: string;
  let main: string;
  before(() => {
    dir = tempDir('incbin');
    main = path.join(dir, 'main.asm');
    fs.writeFileSync(path.join(dir, 'blob.bin'), BLOB);
    fs.writeFileSync(path.join(dir, 'all.bin'), Uint8Array.from({ length: 256 }, (_v, i) => 255 - i));
  });

  /** ringlab's bytes for `line`, assembled as dir/main.asm with the CLI's file access. */
  function ours(line: string): AsmResult {
    return assemble(`${line}\n`, { file: main, files: new NodeSourceFiles() });
  }

  /** NASM's bytes for `line` (the file named by its absolute path, as NASM runs elsewhere). */
  function nasmHex(ctx: Mocha.Context, line: string): string | undefined {
    if (!nasmAvailable()) {
      if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but nasm is missing');
      ctx.skip();
    }
    return Buffer.from(runNasm(`${line.replace(/(["'])(\w+\.bin)\1/g, (_m, q: string, f: string) => `${q}${path.join(dir, f)}${q}`)}\n`)!.bytes).toString('hex');
  }

  // [line, NASM 2.16's bytes]
  const CASES: readonly (readonly [string, string])[] = [
    ['incbin "blob.bin"', 'faffc3a9800f0110'],
    ['incbin "blob.bin", 2', 'c3a9800f0110'],
    ['incbin "blob.bin", 2, 3', 'c3a980'],
    ['incbin "blob.bin", 6, 10', '0110'],
    ['incbin "blob.bin", 8', ''],
    ['incbin "blob.bin", 20, 3', ''],
    ['incbin "blob.bin", 0, 0', ''],
    ['incbin "blob.bin", 1+1, 2*2', 'c3a9800f'],
    ['incbin "blob.bin", 0, 0x1_0000_0001', 'faffc3a9800f0110'],
    ['incbin "blob.bin", 0x1_0000_0001', ''],
    ['incbin "blob.bin", 1 2 ; NASM ignores what follows a complete offset', 'ffc3a9800f0110'],
    ["db 1\nincbin 'blob.bin', 4, 2\ndb 2", '01800f02'],
    ['times 2 incbin "blob.bin", 3, 2', 'a980a980'],
    // The length counts bytes: a label after the incbin is at NASM's offset.
    ['incbin "blob.bin", 1, 5\nafter: dd after', 'ffc3a9800f05000000'],
  ];
  for (const [line, expected] of CASES) {
    it(`${JSON.stringify(line)} gives NASM's ${expected || 'no bytes'}`, function () {
      const r = ours(line);
      assert.deepEqual(diags(r), []);
      assert.equal(hex(r), expected);
      assert.equal(nasmHex(this, line), expected, 'the committed bytes are not NASM\'s');
    });
  }

  it('every byte value 0x00..0xFF comes through unchanged, as in NASM', function () {
    const r = ours('incbin "all.bin"');
    assert.deepEqual(diags(r), []);
    assert.deepEqual(Buffer.from(r.bytes), fs.readFileSync(path.join(dir, 'all.bin')));
    assert.equal(nasmHex(this, 'incbin "all.bin"'), hex(r));
  });

  it('what NASM rejects is an error: a negative offset or length, a fourth parameter', () => {
    assert.deepEqual(diags(ours('incbin "blob.bin", -1')), ['RL105 1:20 incbin offset -1 is negative']);
    assert.deepEqual(diags(ours('incbin "blob.bin", 1, 0-2')), ['RL105 1:23 incbin length -2 is negative']);
    assert.deepEqual(diags(ours('incbin "blob.bin", 1, 2, 3')), ['RL100 1:24 incbin takes at most three parameters']);
  });

  it('TIMES of an incbin past the output limit (64 MiB) is an error, and no memory is spent on it', () => {
    fs.writeFileSync(path.join(dir, 'mib.bin'), Buffer.alloc(1 << 20, 7));
    assert.deepEqual(diags(ours('times 100 incbin "mib.bin"')), ['RL105 1:11 incbin output too large (104857600 bytes)']);
    assert.equal(ours('times 2 incbin "mib.bin"').bytes.length, 2 << 20);
  });

  it('an offset naming a symbol is RingLab\'s "unsupported" (NASM takes one defined above), not a wrong count', () => {
    assert.deepEqual(diags(ours('K equ 2\nincbin "blob.bin", K')), ['RL110 2:20 incbin offset must be a constant number here']);
  });

  it('an edited file gives its new bytes to the same text through the line cache (incbin is never cached)', () => {
    const file = path.join(dir, 'changing.bin');
    const cache = new AsmCache();
    const text = 'nop\nincbin "changing.bin"\nnop\n';
    fs.writeFileSync(file, Uint8Array.from([0xf0, 0x9f]));
    assert.equal(hex(assemble(text, { file: main, files: new NodeSourceFiles(), cache })), '90f09f90');
    fs.writeFileSync(file, Uint8Array.from([0x80, 0x81, 0xfe]));
    assert.equal(hex(assemble(text, { file: main, files: new NodeSourceFiles(), cache })), '908081fe90');
  });

  it('through the editor\'s DocumentAnalysis, with the file listed among those it read', () => {
    const a = new DocumentAnalysis(main, 'incbin "blob.bin", 1, 4\n', { mode: 'trap-and-emulate', files: new NodeSourceFiles() });
    assert.deepEqual(a.lint.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(Buffer.from(a.lint.asm.bytes).toString('hex'), 'ffc3a980');
    assert.deepEqual([...a.reads], [path.join(dir, 'blob.bin')]);
  });

  describe('a host that gives only text (no readBytes)', () => {
    // An editor buffer, say: its bytes are what saving it would write, its UTF-8.
    const textOnly: SourceFiles = { read: (p) => (p === 'notes.txt' ? 'é€A' : undefined), resolve: (_from, name) => name };

    it('gives the text\'s UTF-8 bytes, offset and length counted in bytes', () => {
      assert.equal(hex(assemble('incbin "notes.txt"\n', { files: textOnly })), 'c3a9e282ac41');
      assert.equal(hex(assemble('incbin "notes.txt", 1, 3\n', { files: textOnly })), 'a9e282');
      assert.equal(hex(assemble('incbin "notes.txt", 9\n', { files: textOnly })), '');
    });

    it('and so through DocumentAnalysis, which wraps the host', () => {
      const a = new DocumentAnalysis('main.gasm', 'incbin "notes.txt", 2\n', { mode: 'trap-and-emulate', files: textOnly });
      assert.equal(Buffer.from(a.lint.asm.bytes).toString('hex'), 'e282ac41');
      assert.deepEqual([...a.reads], ['notes.txt']);
    });

    it('a missing file is still RL106 "unable to open"', () => {
      assert.deepEqual(diags(assemble('incbin "gone.bin"\n', { files: textOnly })), ["RL106 1:8 unable to open file 'gone.bin'"]);
    });
  });
});
