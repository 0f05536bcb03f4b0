// core/run/compare: one guest under every mode, each row held to native's console. Modes whose
// engine this build lacks must say "not-available" (never pass as equal); the last test fails
// while any mode of DESIGN has no engine, so a missing engine cannot hide behind those rows.

import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../../../cli/nodeFiles';
import { engineAvailable } from '../../../core/hypervisor';
import { compareModes, MODES, type Comparison, type CompareOptions, type CompareRow, type Mode } from '../../../core/run';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const VIRTUALIZED: readonly Mode[] = ['trap-and-emulate', 'binary-translation', 'hardware-assisted'];

/** Reads CS's RPL and prints it: 0 at ring 0; 1 under trap-and-emulate, where MOV from CS does not
 *  trap (a hole in Robin and Irvine's list) and shows the deprivileged ring. */
export const CS_RPL_GUEST = `bits 32
org 0x100000
_start:
  mov ax, cs
  and al, 3
  add al, '0'
  mov dx, 0x3F8
  out dx, al
  mov al, 10
  out dx, al
  mov al, 0
  out 0xF4, al
  cli
  hlt
`;

export function compareExample(name: string, options: CompareOptions = {}): Comparison {
  const file = path.join(EXAMPLES, name);
  return compareModes({ path: file, bytes: fs.readFileSync(file) }, { files: new NodeSourceFiles([EXAMPLES + path.sep]), maxInstructions: 50_000_000, ...options });
}

function row(c: Comparison, mode: Mode): CompareRow {
  const r = c.rows.find((x) => x.mode === mode);
  assert.ok(r, `no row for ${mode}`);
  return r;
}

/** Each virtualized mode: equal to native when its engine exists, "not-available" when it does not. */
function assertEquivalent(c: Comparison): void {
  for (const mode of VIRTUALIZED) {
    const r = row(c, mode);
    if (!engineAvailable(mode)) {
      assert.equal(r.verdict, 'not-available', mode);
      assert.equal(r.available, false);
      assert.equal(r.stats, null);
      continue;
    }
    assert.equal(r.verdict, 'equal', `${mode}: ${r.note ?? ''}\n${r.console}`);
    assert.equal(r.consoleEqualsNative, true, mode);
    assert.deepEqual(r.exit, row(c, 'native').exit, mode);
  }
}

describe('core/run compare', () => {
  let hello: Comparison;
  let kernel: Comparison;
  before(function () {
    this.timeout(300_000);
    hello = compareExample('hello.gasm');
    kernel = compareExample('kernel.gasm');
  });

  it('has one row per mode of DESIGN, native first, as the reference', () => {
    for (const c of [hello, kernel]) {
      assert.deepEqual(c.rows.map((r) => r.mode), [...MODES]);
      const native = row(c, 'native');
      assert.equal(native.verdict, 'reference');
      assert.equal(native.consoleEqualsNative, null);
      assert.equal(native.cyclesRatio, 1);
      assert.equal(native.exit?.reason, 'exit');
      assert.equal(native.exit?.code, 1);
      assert.ok(native.stats !== null && native.stats.instructions > 0);
    }
    assert.match(row(hello, 'native').console, /^Hello from a RingLab guest!\r\n$/);
  });

  it('hello.gasm: every mode with an engine prints what native prints; exit status 0', () => {
    assertEquivalent(hello);
    assert.equal(hello.status, 0);
  });

  it('kernel.gasm (paging, ring 3, timer, system calls): every mode with an engine prints what native prints', () => {
    assertEquivalent(kernel);
    assert.equal(kernel.status, 0);
  });

  it('kernel.gasm: each virtualized mode that ran costs more simulated cycles than native', () => {
    for (const mode of VIRTUALIZED) {
      const r = row(kernel, mode);
      if (!r.available) { assert.equal(r.cyclesRatio, null); continue; }
      assert.ok(r.cyclesRatio !== null && r.cyclesRatio > 1, `${mode}: ratio ${r.cyclesRatio}`);
      assert.ok(r.stats!.simulatedCycles > row(kernel, 'native').stats!.simulatedCycles);
    }
  });

  it('under paravirtual, a guest that is no PV port "needs a PV port" (not a divergence), or the row is not-available', () => {
    for (const c of [hello, kernel]) {
      const r = row(c, 'paravirtual');
      if (!engineAvailable('paravirtual')) { assert.equal(r.verdict, 'not-available'); continue; }
      assert.equal(r.verdict, 'needs-pv-port', r.note);
      assert.equal(r.exit?.reason, 'guest-error');
      assert.match(r.note ?? '', /^cannot run \(needs a PV port\)/);
      assert.equal(r.consoleEqualsNative, null);
    }
  });

  it('a guest with holes diverges under trap-and-emulate, with its holes reported by address; status 1', function () {
    if (!engineAvailable('trap-and-emulate')) this.skip(); // pending, never a pass, without the engine
    const c = compareModes({ path: 'cs-rpl.gasm', bytes: Buffer.from(CS_RPL_GUEST) });
    assert.equal(row(c, 'native').console, '0\n');
    const trap = row(c, 'trap-and-emulate');
    assert.equal(trap.verdict, 'diverged');
    assert.equal(trap.consoleEqualsNative, false);
    assert.equal(trap.console, '1\n');
    assert.equal(trap.holes.length, 1);
    assert.equal(trap.holes[0]!.eip, 0x100000);
    assert.match(trap.holes[0]!.instruction, /mov ax,\s*cs/i);
    assert.match(trap.note ?? '', /^diverged \(1 hole\)/);
    assert.equal(c.status, 1);
    for (const mode of ['binary-translation', 'hardware-assisted'] as const) {
      const r = row(c, mode);
      assert.equal(r.verdict, r.available ? 'equal' : 'not-available', `${mode}: ${r.note ?? ''} ${r.console}`);
    }
  });

  it('a mode without an engine is "not-available" and does not count against the status', () => {
    const c = compareModes({ path: 'cs-rpl.gasm', bytes: Buffer.from(CS_RPL_GUEST) }, { engineAvailable: () => false });
    assert.deepEqual(c.rows.map((r) => r.verdict), ['reference', 'not-available', 'not-available', 'not-available', 'not-available']);
    assert.ok(c.rows.slice(1).every((r) => !r.available && r.exit === null && r.stats === null && r.note?.startsWith('not available')));
    assert.equal(c.status, 0);
  });

  it('never throws: a source that does not assemble, an empty file, an engine that throws', () => {
    const bad = compareModes({ path: 'bad.gasm', bytes: Buffer.from('bits 32\n  frobnicate eax\n') });
    assert.equal(bad.status, 1);
    assert.equal(bad.notBooted?.exit.reason, 'assembly-error');
    assert.ok(bad.notBooted!.diagnostics.some((d) => d.severity === 'error'));
    assert.ok(bad.rows.every((r) => r.verdict === 'not-run'));
    const empty = compareModes({ path: 'empty.bin', bytes: new Uint8Array(0) });
    assert.equal(empty.status, 126);
    const throwing = compareModes({ path: 'cs-rpl.gasm', bytes: Buffer.from(CS_RPL_GUEST) }, {
      modes: ['native', 'hardware-assisted'],
      engineAvailable: () => { throw new Error('registry broken'); },
    });
    assert.equal(row(throwing, 'hardware-assisted').verdict, 'not-available');
  });

  it('every mode of DESIGN has an engine (fails while an engine is missing from the build)', () => {
    const missing = MODES.filter((m) => m !== 'native' && !engineAvailable(m));
    assert.deepEqual(missing, [], `no engine registered for: ${missing.join(', ')}`);
  });
});
