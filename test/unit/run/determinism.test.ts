// A run is a function of the program alone (DESIGN: deterministic machine): how core/run slices
// it, and running it twice, change nothing the guest or the report can see, timer interrupts
// included (examples/kernel.gasm takes ticks in ring 0 and ring 3).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../../../cli/nodeFiles';
import { runGuest } from '../../../core/run';

const KERNEL = path.resolve(__dirname, '../../../../examples/kernel.gasm');

function fingerprint(sliceInstructions?: number, jit = true): string {
  const o = runGuest({ path: KERNEL, bytes: fs.readFileSync(KERNEL) }, {
    files: new NodeSourceFiles(), maxInstructions: 50_000_000, jit, ...(sliceInstructions ? { sliceInstructions } : {}),
  });
  assert.ok(o.booted);
  const r = o.run.report();
  // Host measures (wall time, and what the compiled cache did: it depends on slices) aside.
  const { wallMs: _w, mips: _m, jit: _j, ...stats } = r.stats;
  return JSON.stringify({ exit: r.exit, console: r.console, registers: r.registers, control: r.control, stats });
}

describe('run: determinism', function () {
  this.timeout(120_000);

  it('the example kernel gives the same report whatever the slice size, and on every run', () => {
    const reference = fingerprint();
    assert.equal(fingerprint(), reference, 'a second run differs');
    for (const slice of [7_919, 250_000]) assert.equal(fingerprint(slice), reference, `slices of ${slice} instructions`);
  });

  it('the example kernel gives the same report compiled and interpreted', () => {
    assert.equal(fingerprint(undefined, false), fingerprint(undefined, true));
  });
});
