// `ringlab run` as a separate process (the compiled CLI, out/cli/main.js): exit statuses and
// messages for every way a run can end, the --json object, modes that are not available yet,
// and console output that reaches stdout while the guest still runs. No stack traces, ever.

import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { garbageGuest, SOURCES } from './guests';

const CLI = path.resolve(__dirname, '../../../cli/main.js');
const KERNEL = path.resolve(__dirname, '../../../../examples/kernel.gasm');

interface Run { status: number | null; stdout: string; stderr: string }

function ringlab(...args: string[]): Run {
  return ringlabWithEnv(process.env, ...args);
}

function ringlabWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'latin1', timeout: 60_000, env });
  if (r.error) throw r.error;
  assert.doesNotMatch(r.stderr, /\n\s+at /, `stack trace from ringlab ${args.join(' ')}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ringlab run (a separate process)', function () {
  this.timeout(60_000);
  let dir: string;
  const file = (name: string, content: string | Uint8Array): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-run-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('a guest that exits: its console on stdout, its code as the status', () => {
    const r = ringlab('run', file('hello.gasm', SOURCES.hello));
    assert.deepEqual([r.status, r.stdout, r.stderr], [1, 'hi\n', '']);
  });

  it('the example kernel, as a binary assembled by ringlab asm, prints its QEMU transcript', () => {
    const bin = path.join(dir, 'kernel.bin');
    assert.equal(ringlab('asm', KERNEL, '-o', bin).status, 0);
    const r = ringlab('run', bin);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, fs.readFileSync(path.resolve(__dirname, '../../../../test/oracle/golden/examples/kernel.txt'), 'latin1'));
  });

  it('halt 0, --max-instructions 124, triple fault 3, each with a reason on stderr when it was not the guest\'s choice', () => {
    assert.deepEqual(ringlab('run', file('h.gasm', SOURCES.halt)), { status: 0, stdout: '', stderr: '' });
    const loop = ringlab('run', file('loop.gasm', SOURCES.endless), '--max-instructions', '100000');
    assert.equal(loop.status, 124);
    assert.match(loop.stderr, /^ringlab run: stopped: --max-instructions reached \(at eip 0x[0-9A-F]{8}, cpl 0, after 100000 instructions\)\n$/);
    const tf = ringlab('run', file('tf.gasm', SOURCES.tripleFault));
    assert.equal(tf.status, 3);
    assert.match(tf.stderr, /triple-faulted/);
  });

  it('files that are not a program: status 126 and why', () => {
    for (const [name, content, why] of [
      ['empty.bin', '', /the file is empty/],
      ['notes.txt', 'just some text\n', /is text/],
      ['prog.elf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0]), /ELF/],
    ] as const) {
      const r = ringlab('run', file(name, content));
      assert.equal(r.status, 126, name);
      assert.match(r.stderr, new RegExp(`^ringlab run: .*${name} is not a program: .*${why.source}`));
    }
  });

  it('random bytes and a jump into garbage end with a reason and a documented status', () => {
    const random = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < random.length; i++) { x = (x * 1103515245 + 12345) >>> 0; random[i] = x >>> 24; }
    for (const f of [file('random.bin', random), file('garbage.gasm', garbageGuest(3))]) {
      const r = ringlab('run', f, '--max-instructions', '1000000');
      assert.ok([0, 3, 4, 124].includes(r.status ?? -1) || (r.status ?? 0) % 2 === 1, `status ${r.status}: ${r.stderr}`);
    }
  });

  it('a write outside RAM: the guest goes on, a note on stderr', () => {
    const r = ringlab('run', file('w.gasm', SOURCES.writeOutsideRam));
    assert.equal(r.status, 5);
    assert.equal(r.stdout, 'still here\n');
    assert.match(r.stderr, /note: the guest wrote outside RAM 1 time\(s\), first at physical 0x40000000/);
  });

  it('assembler errors: FILE:LINE:COL: error: message [RL1xx], status 1', () => {
    const src = file('bad.gasm', 'bits 32\nfrobnicate eax\n');
    const r = ringlab('run', src);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^.*bad\.gasm:2:\d+: error: .+ \[RL1\d\d\]$/m);
  });

  it('--json: exactly one object with DESIGN\'s fields, the console inside it', () => {
    const r = ringlab('run', file('hello.gasm', SOURCES.hello), '--json');
    assert.equal(r.status, 1);
    const o = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(o), ['exit', 'console', 'registers', 'segments', 'control', 'cpl', 'vcpu', 'mode', 'hypervisor', 'stats', 'holes']);
    assert.deepEqual(o['exit'], { reason: 'exit', code: 1 });
    assert.equal(o['console'], 'hi\n');
    assert.deepEqual(Object.keys(o['stats'] as object), ['instructions', 'traps', 'translations', 'hypercalls', 'vmExits', 'simulatedCycles', 'wallMs', 'mips', 'counters', 'cycles', 'jit']);
    // The command compiles by default, whatever the test suite's RINGLAB_JIT says.
    const { RINGLAB_JIT: _suiteSwitch, ...env } = process.env;
    const compiled = JSON.parse(ringlabWithEnv(env, 'run', file('hello.gasm', SOURCES.hello), '--json').stdout) as { stats: { jit: { compiled: unknown } | null } };
    assert.equal(typeof compiled.stats.jit?.compiled, 'number', 'stats.jit by default');
    const interpreted = JSON.parse(ringlab('run', file('hello.gasm', SOURCES.hello), '--json', '--interpret').stdout) as { console: string; stats: { jit: unknown } };
    assert.equal(interpreted.console, 'hi\n');
    assert.equal(interpreted.stats.jit, null, '--interpret: nothing compiled');
    const early = ringlab('run', file('e.bin', ''), '--json');
    assert.equal(early.status, 126);
    assert.deepEqual(Object.keys(JSON.parse(early.stdout) as object), ['exit', 'console']);
  });

  it('every mode by name and alias runs an unmodified guest; pv refuses its privileged OUT', () => {
    const src = file('hello.gasm', SOURCES.hello);
    for (const mode of ['trap', 'trap-and-emulate', 'bt', 'binary-translation', 'hw', 'hardware-assisted']) {
      const r = ringlab('run', src, '--mode', mode);
      assert.equal(r.status, 1, `${mode}: ${r.stderr}`);
      assert.equal(r.stdout, 'hi\n', mode);
    }
    for (const mode of ['pv', 'paravirtual']) {
      const r = ringlab('run', src, '--mode', mode);
      assert.equal(r.status, 6, `${mode}: ${r.stderr}`);
      assert.match(r.stderr, /hypervisor stopped the guest: .*`out dx, ?al`.*hypercall/);
    }
    assert.equal(ringlab('run', src, '--mode', 'native', '--hypervisor', 'type2').status, 1);
    assert.equal(ringlab('run', src, '--mode', 'trap', '--hypervisor', 'type2').status, 1);
  });

  it('bad arguments: status 2 with a message', () => {
    const src = file('hello.gasm', SOURCES.hello);
    for (const args of [['--mode', 'turbo'], ['--hypervisor', 'type3'], ['--memory', '0'], ['--memory', 'lots'], ['--max-instructions', '-5'], ['--bogus']]) {
      const r = ringlab('run', src, ...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^ringlab run: \S/);
    }
    assert.equal(ringlab('run', path.join(dir, 'missing.gasm')).status, 2);
  });

  it('a reader that goes away (| head) ends an endless printing guest: status 141, no stack trace', async () => {
    const src = file('yes.gasm', 'bits 32\norg 0x100000\n_start:\n  mov dx, 0x3F8\n.l:\n  mov al, "y"\n  out dx, al\n  jmp .l\n');
    const child = spawn(process.execPath, [CLI, 'run', src], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(status, 141);
    assert.equal(stderr, '');
  });

  it('console output reaches stdout while the guest is still running', async () => {
    const src = file('two.gasm', SOURCES.twoPhases(40_000_000));
    const child = spawn(process.execPath, [CLI, 'run', src]);
    let out = '';
    let exited = false;
    let firstWhileRunning: boolean | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
      if (firstWhileRunning === undefined && out.includes('first')) firstWhileRunning = !exited && !out.includes('second');
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => { exited = true; resolve(code); }));
    assert.equal(status, 1);
    assert.equal(out, 'first\nsecond\n');
    assert.equal(firstWhileRunning, true, '"first" arrived only with "second", at the end');
  });
});
