// The bundled command (dist/ringlab.js and its per-command bundles), run as a user runs it: each
// bundle has its own copy of the CLI's classes, which the in-process tests on out/ cannot see.

import * as assert from 'assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../support/tempDir';

const ROOT = path.resolve(__dirname, '../../../..');
const BUNDLE = path.join(ROOT, 'dist', 'ringlab.js');

function ringlab(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stderr: r.stderr };
}

describe('the bundled ringlab command', () => {
  before(() => {
    // npm test does not build; build here so the bundle under test is the current source.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.existsSync(BUNDLE));
  });

  it('argument errors inside a command bundle exit 2 with a message, not 70 (internal error)', () => {
    for (const args of [['asm', path.join(ROOT, 'no-such-file.gasm')], ['lint', '--mode', 'zz', 'x.gasm'], ['run', 'x.gasm', '--memory', 'lots'], ['disasm']]) {
      const r = ringlab(...args);
      assert.equal(r.status, 2, `ringlab ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^ringlab ${args[0]}: `));
      assert.doesNotMatch(r.stderr, /internal error/);
    }
  });

  it('a reader that goes away (| head) ends the command with status 141 and no stack trace', async () => {
    const file = path.join(tempDir('bundle'), 'many.gasm');
    fs.writeFileSync(file, 'bits 32\n' + 'cli\nsti\n'.repeat(20_000)); // megabytes of findings
    const child = spawn(process.execPath, [BUNDLE, 'lint', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(status, 141, stderr);
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at /);
  });
});

