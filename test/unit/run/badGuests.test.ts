// Guests that misbehave end with a clear reason and exit status through core/run, never an
// exception in the host: an endless loop under a budget, a triple fault, a jump into garbage or
// past the end of RAM, a write outside RAM. Console output streams slice by slice, and a long
// run's memory stays bounded when the host does not keep the console.

import * as assert from 'node:assert/strict';
import { EXIT_STATUS, GuestRun, prepareGuest } from '../../../core/run';
import { garbageGuest, runSource, SOURCES } from './guests';

const CLEAR_REASONS = ['exit', 'halt', 'max-instructions', 'triple-fault', 'unsupported'];

describe('run: how a guest run ends', () => {
  it('a guest that prints and exits: its code, its console, the report', () => {
    const o = runSource(SOURCES.hello);
    assert.ok(o.booted);
    assert.deepEqual(o.exit, { reason: 'exit', code: 1 });
    const r = o.run.report();
    assert.equal(r.console, 'hi\n');
    assert.equal(r.cpl, 0);
    assert.deepEqual(r.vcpu, { vcpl: 0, vif: false, vcr3: 0 });
    // Native cost: one cycle per instruction and a real device's latency per port access.
    const io = r.stats.counters['ioAccesses']!;
    assert.ok(io > 0);
    assert.equal(r.stats.simulatedCycles, r.stats.instructions + io * 3209);
    assert.deepEqual(r.stats.cycles.map((l) => l.name), ['instruction', 'nativeIo']);
    assert.equal(r.mode, 'native');
    assert.equal(r.hypervisor, null);
    assert.deepEqual([r.stats.traps, r.stats.translations, r.stats.hypercalls, r.stats.vmExits, r.holes], [0, 0, 0, {}, []]);
    assert.deepEqual(Object.keys(r.segments), ['es', 'cs', 'ss', 'ds', 'fs', 'gs']);
    assert.deepEqual(r.segments.cs, { selector: 0x08, base: 0, limit: 0xffffffff, dpl: 0 });
    assert.deepEqual(Object.keys(r.registers), ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'eip', 'eflags']);
  });

  it('cli; hlt: halt, status 0', () => {
    assert.deepEqual(runSource(SOURCES.halt).exit, { reason: 'halt', code: EXIT_STATUS.HALT });
  });

  it('an endless loop with a budget: max-instructions, status 124, exactly the budget used', () => {
    const o = runSource(SOURCES.endless, { maxInstructions: 2_500_000, sliceInstructions: 1_000_000 });
    assert.ok(o.booted);
    assert.deepEqual(o.exit, { reason: 'max-instructions', code: 124 });
    assert.equal(o.run.report().stats.instructions, 2_500_000);
  });

  it('a triple fault: status 3', () => {
    const o = runSource(SOURCES.tripleFault, { maxInstructions: 1000 });
    assert.deepEqual(o.exit, { reason: 'triple-fault', code: EXIT_STATUS.TRIPLE_FAULT });
  });

  it('a jump past the end of RAM: runs the 0x00 bytes QEMU reads there until the budget, and says it read outside RAM', () => {
    const o = runSource(SOURCES.jumpOutsideRam, { maxInstructions: 100_000 });
    assert.ok(o.booted);
    assert.ok(CLEAR_REASONS.includes(o.exit.reason), o.exit.reason);
    assert.ok(o.run.notes().some((n) => n.kind === 'outside-ram-read'));
  });

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`a jump into garbage (seed ${seed}) ends with a clear reason`, () => {
      const o = runSource(garbageGuest(seed), { maxInstructions: 200_000 });
      assert.ok(o.booted);
      assert.ok(CLEAR_REASONS.includes(o.exit.reason), `${o.exit.reason}: ${o.exit.detail}`);
      if (o.exit.reason === 'unsupported') assert.match(o.exit.detail ?? '', /\S/);
    });
  }

  it('a write outside RAM is dropped as on QEMU; the guest goes on and the run notes it', () => {
    const o = runSource(SOURCES.writeOutsideRam);
    assert.ok(o.booted);
    assert.deepEqual(o.exit, { reason: 'exit', code: 5 });
    assert.equal(o.run.report().console, 'still here\n');
    const note = o.run.notes().find((n) => n.kind === 'outside-ram-write');
    assert.match(note?.message ?? '', /wrote outside RAM 1 time\(s\), first at physical 0x40000000/);
  });

  it('console output reaches the host slice by slice, before the run ends', () => {
    const prepared = prepareGuest({ path: 'two.gasm', bytes: Buffer.from(SOURCES.twoPhases(3_000_000)) });
    assert.ok(prepared.ok);
    const seen: string[] = [];
    const run = GuestRun.boot(prepared.image, { onConsole: (b) => { seen.push(Buffer.from(b).toString('latin1')); }, sliceInstructions: 500_000 });
    assert.ok(run instanceof GuestRun);
    assert.equal(run.runSlice(), null, 'the first slice does not end the run');
    assert.equal(seen.join(''), 'first\n');
    assert.deepEqual(run.runToEnd(), { reason: 'exit', code: 1 });
    assert.equal(seen.join(''), 'first\nsecond\n');
    assert.equal(run.report().console, 'first\nsecond\n');
  });

  it('memory stays bounded over a long chatty run when the host streams the console', function () {
    this.timeout(120_000);
    const prepared = prepareGuest({ path: 'chatty.gasm', bytes: Buffer.from(SOURCES.chatty) });
    assert.ok(prepared.ok);
    let bytesOut = 0;
    const run = GuestRun.boot(prepared.image, { onConsole: (b) => { bytesOut += b.length; }, keepConsole: false, sliceInstructions: 250_000 });
    assert.ok(run instanceof GuestRun);
    for (let i = 0; i < 8; i++) assert.equal(run.runSlice(), null); // warm up: caches, JIT
    const heapAfterWarmUp = process.memoryUsage().heapUsed;
    let heapMax = heapAfterWarmUp;
    for (let i = 0; i < 80; i++) {
      assert.equal(run.runSlice(), null);
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    }
    assert.ok(bytesOut > 40_000, `only ${bytesOut} console bytes`);
    // 20 M instructions and ~50 KB of output: a leak per instruction or per byte would show as
    // tens of MB; garbage between collections stays well below this.
    const growthMiB = (heapMax - heapAfterWarmUp) / 2 ** 20;
    assert.ok(growthMiB < 48, `heap grew by ${growthMiB.toFixed(1)} MiB`);
    assert.equal(run.report().console, '', 'nothing kept');
  });
});
