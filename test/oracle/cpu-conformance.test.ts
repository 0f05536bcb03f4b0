// The integer semantics against real hardware: the committed streams (one per seed) run on
// RingLab's interpreter must give the snapshot hashes the hardware gave. With
// RINGLAB_LIVE_ORACLE=1 the streams are also regenerated from their seeds and assembled with NASM,
// which must give the committed programs, and run natively here and compared snapshot by snapshot
// (qemu-i386 is only reported). A kernel without 32-bit programs (ia32_emulation=off) cannot run
// them: those comparisons are then pending, with the reason printed, since no install brings
// that back; the committed programs still hold the interpreter to the hardware's snapshots.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  GOLDEN_SEEDS, GOLDEN_TESTS, buildElf, compareSnapshots, compareWithGolden, conformanceForms, generateStream,
  goldenPaths, hostRuns32Bit, programSource, runHost, runInterpreter, type Golden,
} from './cpu-conformance';
import { liveOracle, requireNasm } from '../support/nasm';
import { Decoded } from '../../core/disasm/decoded';
import { decode } from '../../core/disasm/decoder';
import { FORMS } from '../../core/isa';

function loadGolden(seed: number): { golden: Golden; elf: Uint8Array } {
  const p = goldenPaths(seed);
  return { golden: JSON.parse(fs.readFileSync(p.json, 'utf8')) as Golden, elf: new Uint8Array(gunzipSync(fs.readFileSync(p.elf))) };
}

describe('cpu conformance: integer instructions against hardware', function () {
  this.timeout(120_000);

  for (const seed of GOLDEN_SEEDS) {
    it(`seed ${seed}: the interpreter gives the hardware's snapshot after every instruction`, () => {
      const { golden, elf } = loadGolden(seed);
      const run = runInterpreter(elf);
      assert.equal(run.error, undefined, `the stream stopped: ${run.error}`);
      const diffs = compareWithGolden(golden, run.stdout);
      assert.deepEqual(diffs, [], `${diffs.length} tests differ from the hardware:\n${diffs.join('\n')}`);
    });
  }

  it('the committed streams exercise every conformance form (up to forms with identical encodings)', () => {
    // Which form each tested instruction decodes as: scan the streams' code for the tests' text.
    const seenBytes = new Set<string>();
    const d = new Decoded();
    for (const seed of GOLDEN_SEEDS) {
      const { elf } = loadGolden(seed);
      // Every instruction of the stream: decoding from the entry point in order covers the tests.
      const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
      const org = view.getUint32(52 + 8, true);
      let p = view.getUint32(24, true) - org;
      while (p < elf.length) {
        const n = decode(elf, p, org + p, d);
        if (d.formId >= 0) seenBytes.add(FORMS[d.formId]!.source);
        p += n;
      }
    }
    // A form that NASM never picks because a sibling has the same bytes (`test r8,rm8` is
    // `test rm8,r8`) counts as exercised when that sibling is.
    const key = (f: (typeof FORMS)[number]): string => `${f.mnemonic}|${f.encoding.opsize ?? ''}|${f.encoding.opcode.join(',')}|${f.encoding.modrm ?? ''}|${f.encoding.immediates.join(',')}`;
    const seenKeys = new Set(FORMS.filter((f) => seenBytes.has(f.source)).map(key));
    const missing = conformanceForms().filter((f) => !seenKeys.has(key(f))).map((f) => f.source);
    assert.deepEqual(missing, []);
  });

  /** Whether the live comparisons with the hardware can run here; says why not, once. */
  let toldNo32Bit = false;
  const hardwareHere = (): boolean => {
    if (hostRuns32Bit()) return true;
    if (!toldNo32Bit) console.log('      this kernel runs no 32-bit programs (ia32_emulation off): the native comparisons are pending');
    toldNo32Bit = true;
    return false;
  };

  for (const seed of GOLDEN_SEEDS) {
    it(`seed ${seed} (live): the stream regenerates from its seed and NASM builds the committed program`, function () {
      if (!liveOracle()) this.skip();
      if (!requireNasm(this)) return;
      const { golden, elf: committed } = loadGolden(seed);
      const source = programSource(generateStream(seed, GOLDEN_TESTS));
      assert.equal(createHash('sha256').update(source).digest('hex'), golden.sourceSha256,
        'the regenerated stream differs: the interpreter\'s fault rules changed? Run scripts/cpu-goldens.mjs');
      assert.ok(Buffer.from(buildElf(source)).equals(Buffer.from(committed)), 'NASM builds another program than the committed one');
    });

    it(`seed ${seed} (live): it runs natively as the golden says`, function () {
      if (!liveOracle()) this.skip();
      if (!requireNasm(this)) return;
      if (!hardwareHere()) this.skip();
      const stream = generateStream(seed, GOLDEN_TESTS);
      const elf = buildElf(programSource(stream));
      const native = runHost(elf);
      assert.equal(native.error, undefined, `the native run failed: ${native.error}`);
      const interp = runInterpreter(elf);
      const diffs = compareSnapshots(native.stdout, interp.stdout, stream.tests.map((t) => t.text));
      assert.deepEqual(diffs, [], diffs.join('\n'));
      const qemu = runHost(elf, 'qemu-i386');
      if (!qemu.error) {
        const q = compareSnapshots(native.stdout, qemu.stdout, stream.tests.map((t) => t.text), 3);
        if (q.length > 0) console.log(`      qemu-i386 differs from the hardware (for the record):\n${q.join('\n')}`);
      }
    });
  }
});
