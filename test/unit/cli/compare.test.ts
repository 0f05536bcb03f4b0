// `ringlab compare` through the in-process harness (status codes, the table, --json, --costs,
// bad arguments) and once through the bundle in dist/, as a user runs it.

import * as assert from 'assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COSTS, engineAvailable } from '../../../core/hypervisor';
import { MODES } from '../../../core/run';
import { ringlabInProcess as ringlab } from '../../support/cliInProcess';
import { CS_RPL_GUEST } from '../run/compare.test';
import { tempDir } from '../../support/tempDir';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const HELLO = path.join(EXAMPLES, 'hello.gasm');

describe('ringlab compare', () => {
  let dir: string;
  before(() => { dir = tempDir('compare'); });

  it('prints a row per mode, with "reference" for native and "not available" for a mode without an engine; status 0', async () => {
    const r = await ringlab('compare', HELLO);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^mode\s+exit\s+console = native\s+instructions\s+traps\s+translations\s+hypercalls\s+VM exits\s+holes\s+sim\. cycles\s+x native\s+wall ms\s+MIPS$/m);
    assert.match(r.stdout, /^native\s+exit 1\s+reference\s+354\s/m);
    for (const mode of MODES.slice(1)) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(mode + ' '));
      assert.ok(line, `no row for ${mode}`);
      if (!engineAvailable(mode)) assert.match(line, /not available/, mode);
      else if (mode === 'paravirtual') assert.match(line, /cannot run \(needs a PV port\)/);
      else assert.match(line, new RegExp(`^${mode}\\s+exit 1\\s+yes\\s`), line);
    }
    assert.match(r.stdout, /Counts are measured .*cycles are modelled: counts x constants in core\/hypervisor\/costModel\.ts/s);
  });

  it('a guest with holes: status 1 and the trap row says "diverged (N holes)"', async function () {
    if (!engineAvailable('trap-and-emulate')) this.skip(); // pending, never a pass, without the engine
    const file = path.join(dir, 'cs-rpl.gasm');
    fs.writeFileSync(file, CS_RPL_GUEST);
    const r = await ringlab('compare', file);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^trap-and-emulate\s+exit 1\s+no: diverged \(1 hole\)\s/m);
    assert.match(r.stdout, /1 mode diverged from native: trap-and-emulate\. Under trap-and-emulate that is expected/);
  });

  it('--json: {file, hypervisor, modes: [{mode, available, exit, consoleEqualsNative, stats, holes}], costs}', async () => {
    const r = await ringlab('compare', HELLO, '--json', '--hypervisor', 'type2');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      file: string; hypervisor: string; costs: Record<string, { cycles: number; basis: string; source: string }>;
      modes: { mode: string; available: boolean; exit: { reason: string; code: number } | null; consoleEqualsNative: boolean | null; stats: { instructions: number; simulatedCycles: number; counters: Record<string, number> } | null; holes: unknown[] }[];
    };
    assert.equal(out.file, HELLO);
    assert.equal(out.hypervisor, 'type2');
    assert.deepEqual(out.modes.map((m) => m.mode), [...MODES]);
    for (const m of out.modes) {
      for (const key of ['mode', 'available', 'exit', 'consoleEqualsNative', 'stats', 'holes']) assert.ok(key in m, `${m.mode}: ${key}`);
      assert.equal(m.available, m.mode === 'native' || engineAvailable(m.mode as (typeof MODES)[number]));
      if (!m.available) { assert.equal(m.exit, null); assert.equal(m.stats, null); }
    }
    assert.equal(out.modes[0]!.consoleEqualsNative, null);
    assert.deepEqual(out.modes[0]!.exit, { reason: 'exit', code: 1 });
    assert.equal(out.modes[0]!.stats!.instructions, 354);
    const trap = out.modes.find((m) => m.mode === 'trap-and-emulate')!;
    if (trap.available) {
      assert.equal(trap.consoleEqualsNative, true);
      assert.ok(trap.stats!.counters['worldSwitches']! > 0, 'type 2: world switches counted');
    }
    assert.deepEqual(Object.keys(out.costs), Object.keys(COSTS));
    assert.deepEqual(out.costs['nativeIo'], { cycles: COSTS.nativeIo.cycles, basis: 'published', source: COSTS.nativeIo.source });
  });

  it('--costs prints every constant with its cycles, basis and source (a FILE is optional)', async () => {
    const r = await ringlab('compare', '--costs');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^constant\s+cycles\s+basis\s+source$/m);
    for (const [name, c] of Object.entries(COSTS)) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(name + ' '));
      assert.ok(line, name);
      assert.ok(line.includes(c.basis) && line.includes(c.source), line);
    }
  });

  it('a source that does not assemble: its errors as FILE:LINE:COL and status 1', async () => {
    const file = path.join(dir, 'bad.gasm');
    fs.writeFileSync(file, 'bits 32\n  frobnicate eax\n');
    const r = await ringlab('compare', file);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.gasm:2:\d+: error: /);
    assert.match(r.stdout, /did not start/);
  });

  it('bad arguments exit 2 with a message, never a stack trace', async () => {
    for (const args of [[], [HELLO, HELLO], [HELLO, '--hypervisor', 'type3'], [HELLO, '--max-instructions', 'lots'], [HELLO, '--frobnicate'],
      [path.join(dir, 'no-such-file.gasm')], [HELLO, '-D', '1bad']]) {
      const r = await ringlab('compare', ...args);
      assert.equal(r.status, 2, `compare ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^ringlab compare: \S/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('the bundled command (dist/compare.js) runs it as a user would', function () {
    this.timeout(120_000);
    const build = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    assert.ok(fs.existsSync(path.join(REPO, 'dist', 'compare.js')), 'compare has its own bundle');
    const bundle = path.join(REPO, 'dist', 'ringlab.js');
    const ok = spawnSync(process.execPath, [bundle, 'compare', HELLO, '--json'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { modes: unknown[] }).modes.length, MODES.length);
    const bad = spawnSync(process.execPath, [bundle, 'compare', HELLO, '--hypervisor', 'x'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 2, bad.stderr);
  });
});
