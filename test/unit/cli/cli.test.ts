// The `ringlab` command's contracts (DESIGN.md, "The ringlab command"): exit statuses, the
// diagnostic format, `asm` output equal to NASM's, `disasm` output NASM re-assembles.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ringlabInProcess } from '../../support/cliInProcess';
import { requireNasm, runNasm } from '../../support/nasm';

const ROOT = path.resolve(__dirname, '../../../..');
const HELLO = path.join(ROOT, 'examples', 'hello.gasm');

const ringlab = ringlabInProcess;

describe('ringlab command', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-cli-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('--help lists every command and exits 0', async () => {
    const r = await ringlab('--help');
    assert.equal(r.status, 0);
    for (const c of ['asm', 'disasm', 'run', 'lint', 'compare', 'lsp', 'dap', 'demo']) assert.match(r.stdout, new RegExp(`ringlab ${c}\\b`));
  });

  it('an unknown command or bad arguments exit 2 with a message and no stack trace', async () => {
    for (const args of [['frobnicate'], ['asm'], ['asm', '--bogus', 'x.gasm'], ['asm', path.join(dir, 'missing.gasm')], ['disasm', 'x.bin', '--org', 'zz'], []]) {
      const r = await ringlab(...args);
      assert.equal(r.status, 2, `ringlab ${args.join(' ')}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'stack trace');
      if (args.length > 0) assert.match(r.stderr, /^ringlab\b.*\S/);
    }
  });

  it('dap takes no arguments: one is a usage error (exit 2)', async () => {
    const r = await ringlab('dap', 'x');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^ringlab dap: unexpected argument 'x'/);
  });

  it('asm writes what nasm -f bin writes, next to the input by default', async function () {
    const src = path.join(dir, 'hello.gasm');
    fs.copyFileSync(HELLO, src);
    const r = await ringlab('asm', src);
    assert.equal(r.status, 0, r.stderr);
    const ours = fs.readFileSync(path.join(dir, 'hello.bin'));
    if (!requireNasm(this)) return;
    const theirs = runNasm(fs.readFileSync(HELLO, 'utf8'))!.bytes;
    assert.ok(ours.equals(Buffer.from(theirs)), 'bytes differ from nasm -f bin');
  });

  it('asm prints errors as FILE:LINE:COL: error: message [RL1xx] and exits 1 without output', async () => {
    const src = path.join(dir, 'bad.gasm');
    const out = path.join(dir, 'bad.bin');
    fs.writeFileSync(src, 'bits 32\nfrobnicate eax\nmov eax, undefined_label\n');
    const r = await ringlab('asm', src, '-o', out);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^${escape(src)}:2:\\d+: error: .+ \\[RL1\\d\\d\\]$`, 'm'));
    assert.match(r.stderr, new RegExp(`^${escape(src)}:3:\\d+: error: .+ \\[RL1\\d\\d\\]$`, 'm'));
    assert.ok(!fs.existsSync(out), 'no output file on error');
  });

  it('disasm prints NASM syntax that re-assembles to the same bytes', async function () {
    const bin = path.join(dir, 'hello.bin');
    assert.equal((await ringlab('asm', HELLO, '-o', bin)).status, 0);
    const r = await ringlab('disasm', bin, '--org', '0x100000');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^bits 32\norg 0x00100000\n/);
    if (!requireNasm(this)) return;
    const again = runNasm(r.stdout)!.bytes;
    assert.ok(Buffer.from(again).equals(fs.readFileSync(bin)), 'nasm re-assembles the listing to other bytes');
  });

  it('demo shows the listing of examples/hello.gasm with its disassembly, then runs it', async () => {
    const r = await ringlab('demo');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /0x00100000 {2}02 B0 AD 1B/);
    assert.match(r.stdout, /out dx, ?al/i);
    assert.match(r.stdout, /Hello from a RingLab guest!\r?\n/);
    assert.match(r.stdout, /guest stopped: exit, exit status 1, \d+ instructions/);
    // Then the comparison: every mode that can run it prints what native printed.
    assert.match(r.stdout, /The same guest under every mode/);
    for (const mode of ['trap-and-emulate', 'binary-translation', 'hardware-assisted']) assert.match(r.stdout, new RegExp(`^${mode} +exit 1 +yes`, 'm'));
    assert.match(r.stdout, /^paravirtual .*needs a PV port/m);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
