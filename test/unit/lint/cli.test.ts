// `ringlab lint`, in-process as test/unit/cli does: the text and JSON formats, exit 1 on an
// error only, exit 2 on bad arguments.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ringlabInProcess } from '../../support/cliInProcess';

const ringlab = ringlabInProcess;

describe('ringlab lint', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-lint-'));
    file = path.join(dir, 'k.gasm');
    fs.writeFileSync(file, 'bits 32\ncli\npushf\n');
  });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('text: FILE:LINE:COL: severity: message [CODE]; exit 0 without errors', async () => {
    const r = await ringlab('lint', file, '--mode', 'trap');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^.*k\.gasm:2:1: info: 'cli' .+ \[RL201\]$/);
    assert.match(lines[1]!, /^.*k\.gasm:3:1: warning: 'pushf' .+ \[RL202\]$/);
  });

  it('exit 1 when an error is found (pv, or the directive), with several files', async () => {
    assert.equal((await ringlab('lint', file, '--mode', 'pv')).status, 1);
    const other = path.join(dir, 'pv.gasm');
    fs.writeFileSync(other, '; ringlab: mode=pv\nhlt\n');
    const r = await ringlab('lint', file, other);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /pv\.gasm:2:1: error: .*sched_op \(29\) block \[RL201\]/);
    assert.match(r.stdout, /k\.gasm:2:1: info:/);
    assert.equal((await ringlab('lint', file, '--mode', 'native')).stdout, '');
  });

  it('json: an array of diagnostics', async () => {
    fs.writeFileSync(file, 'frobnicate eax\nhlt\n');
    const r = await ringlab('lint', '--format', 'json', '--mode', 'hw', file);
    assert.equal(r.status, 1);
    const ds = JSON.parse(r.stdout) as { code: string; severity: string; file: string; line: number; column: number; endColumn: number; message: string }[];
    assert.ok(Array.isArray(ds));
    assert.ok(ds.some((d) => /^RL1\d\d$/.test(d.code) && d.severity === 'error' && d.line === 1));
    for (const d of ds) assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'file', 'line', 'message', 'severity']);
  });

  it('text: the assembler\'s errors and the findings in line order', async () => {
    fs.writeFileSync(file, 'bits 32\ncli\nfrobnicate eax\npushf\njmp nowhere\n');
    const r = await ringlab('lint', file, '--mode', 'trap');
    assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => /k\.gasm:(\d+):\d+: \w+: .* \[(RL\d+)\]$/.exec(l)?.slice(1).join(' ')), ['2 RL201', '3 RL101', '4 RL202', '5 RL103']);
  });

  it('bad arguments exit 2 with a message', async () => {
    for (const args of [[], ['--mode', 'zz', file], ['--format', 'xml', file], ['--bogus', file], [path.join(dir, 'missing.gasm')]]) {
      const r = await ringlab('lint', ...args);
      assert.equal(r.status, 2, `lint ${args.join(' ')}`);
      assert.match(r.stderr, /^ringlab lint: \S/);
      assert.equal(r.stdout, '');
    }
  });
});
