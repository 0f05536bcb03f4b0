// Every guest in examples/ prints under `ringlab run` (through core/run) exactly the transcript
// QEMU printed for it (committed goldens), and ends with the same exit status. With
// RINGLAB_LIVE_ORACLE=1 QEMU also runs live; a missing qemu-system-i386 then fails the test.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../../cli/nodeFiles';
import { runGuest } from '../../core/run';
import { liveOracle } from '../support/nasm';
import type { Mode } from '../../core/run';
import { EXAMPLE_MAX_INSTRUCTIONS, EXPECTED_STATUS, exampleFiles, goldenPath, nativeTwin, pvExampleFiles, ROOT, runOnQemu } from './examples';

function runExample(example: string, mode: Mode = 'native'): { console: Buffer; status: number; reason: string } {
  const file = path.relative(ROOT, example);
  const outcome = runGuest({ path: example, bytes: fs.readFileSync(example) }, { files: new NodeSourceFiles(), maxInstructions: EXAMPLE_MAX_INSTRUCTIONS, mode });
  assert.ok(outcome.booted, `${file} did not boot: ${outcome.exit.detail}`);
  return { console: Buffer.from(outcome.run.console.bytes), status: outcome.exit.code, reason: outcome.exit.reason };
}

describe('examples: ringlab run prints what qemu-system-i386 -kernel prints', function () {
  this.timeout(120_000);

  it('every example has a QEMU golden and an expected exit status', () => {
    assert.ok(exampleFiles().length >= 2);
    for (const example of exampleFiles()) {
      assert.ok(fs.existsSync(goldenPath(example)), `no golden for ${path.basename(example)}: run it on QEMU (test/oracle/examples.ts) and commit the transcript`);
      assert.ok(EXPECTED_STATUS[path.basename(example)] !== undefined, `no expected status for ${path.basename(example)}`);
    }
  });

  for (const example of exampleFiles()) {
    const name = path.basename(example);
    it(`${name}: the same transcript, byte for byte, and exit status as the QEMU golden`, () => {
      const ours = runExample(example);
      const golden = fs.readFileSync(goldenPath(example));
      assert.equal(ours.console.toString('latin1'), golden.toString('latin1'));
      assert.equal(ours.status, EXPECTED_STATUS[name], `exit ${ours.reason}`);
    });

    it(`${name} (live): qemu-system-i386 prints the golden now, with the same exit status`, function () {
      if (!liveOracle()) this.skip();
      const qemu = runOnQemu(example);
      assert.equal(qemu.error, undefined, `qemu-system-i386 did not run (install qemu-system-x86): ${qemu.error}`);
      assert.equal(qemu.console.toString('latin1'), fs.readFileSync(goldenPath(example), 'latin1'));
      assert.equal(qemu.status, EXPECTED_STATUS[name]);
    });
  }
});

describe('examples: each PV port prints, under --mode pv, the QEMU transcript of its native twin', function () {
  this.timeout(120_000);

  for (const port of pvExampleFiles()) {
    const twin = nativeTwin(port);
    it(`${path.basename(port)} prints what ${path.basename(twin)} prints on QEMU, with the same exit status`, () => {
      assert.ok(fs.existsSync(twin), `${path.basename(port)} has no native twin ${path.basename(twin)}`);
      const ours = runExample(port, 'paravirtual');
      assert.equal(ours.console.toString('latin1'), fs.readFileSync(goldenPath(twin), 'latin1'));
      assert.equal(ours.status, EXPECTED_STATUS[path.basename(twin)], `exit ${ours.reason}`);
    });
  }
});
