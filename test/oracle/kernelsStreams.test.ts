// The hardware conformance streams on the whole machine: each committed stream, booted as a
// multiboot kernel on RingLab's real Cpu (paging off, ring 0, IDT-delivered INT 0x80 system
// calls), must print the hardware's snapshot hashes. QEMU's committed transcript of the same
// kernel differs from the hardware first exactly where qemu-i386 does (its TCG, not its machine);
// with RINGLAB_LIVE_ORACLE=1 QEMU reruns and must still print it.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { GOLDEN_SEEDS } from './cpu-conformance';
import { qemuAvailable } from './kernels';
import {
  firstDifference, hardwareTranscript, loadStream, nasmStreamShim, qemuStreamGoldenPath, qemuUserFirstMismatch,
  ringlabStreamShim, runStreamOnQemu, runStreamOnRinglab,
} from './kernelsStreams';
import { liveOracle, requireNasm } from '../support/nasm';

describe('cpu conformance streams as multiboot kernels (real Cpu, qemu-system-i386)', function () {
  this.timeout(180_000);

  it('(live) NASM builds the stream loader kernel RingLab\'s assembler builds', function () {
    if (!liveOracle()) this.skip();
    if (!requireNasm(this)) return;
    assert.deepEqual(Buffer.from(ringlabStreamShim()), Buffer.from(nasmStreamShim()!));
  });

  for (const seed of GOLDEN_SEEDS) {
    it(`seed ${seed}: RingLab's Cpu prints the hardware's hash after every instruction`, () => {
      const { golden } = loadStream(seed);
      const ours = runStreamOnRinglab(seed, ringlabStreamShim());
      const hw = hardwareTranscript(golden);
      const at = firstDifference(hw, ours.console);
      assert.equal(at, -1, `first difference at test ${at} '${golden.tests[at]?.slice(9) ?? '(end)'}'`);
      assert.equal(ours.end, 'exit 1');
    });

    it(`seed ${seed}: QEMU's kernel transcript leaves the hardware's where qemu-i386 does`, () => {
      const { golden } = loadStream(seed);
      const qemu = fs.readFileSync(qemuStreamGoldenPath(seed), 'utf8');
      const at = firstDifference(hardwareTranscript(golden), qemu);
      assert.equal(at, qemuUserFirstMismatch(golden), `QEMU's first difference: test ${at} '${golden.tests[at]?.slice(9) ?? '(end)'}'`);
    });

    it(`seed ${seed} (live): qemu-system-i386 still prints the committed transcript`, function () {
      if (!liveOracle()) this.skip();
      if (!requireNasm(this)) return;
      if (!qemuAvailable()) throw new Error('RINGLAB_LIVE_ORACLE=1 but qemu-system-i386 is not installed (apt-get install qemu-system-x86)');
      const q = runStreamOnQemu(seed, nasmStreamShim()!)!;
      assert.equal(q.end, 'exit 1');
      const at = firstDifference(fs.readFileSync(qemuStreamGoldenPath(seed), 'utf8'), q.console);
      assert.equal(at, -1, `QEMU now prints something else from test ${at}: rerun node out/test/oracle/kernelsStreams.js`);
    });
  }
});
