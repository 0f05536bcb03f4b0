// Bad input through the stdio client: binary garbage, a 1 MiB line, an unterminated string and
// a recursive %include each get diagnostics, and the server keeps answering afterwards.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient } from './lspClient';

/** Deterministic bytes (a linear congruential generator), every value 0..255 present. */
function garbage(n: number): string {
  let x = 12345;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += String.fromCharCode(i < 256 ? i : (x >>> 16) & 0xff);
  }
  return s;
}

describe('lsp: bad input gets diagnostics and the server stays up (stdio client)', function () {
  this.timeout(60_000);
  let client: LspClient;
  let dir: string;
  let n = 0;

  /** Opens a document, returns its diagnostics, then checks the server still answers requests on it. */
  const lintAndProbe = (text: string, name = `bad${n++}.gasm`) => client.openAndProbe(path.join(dir, name), text);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-lsp-bad-'));
    client = new LspClient();
    await client.initialize();
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('binary garbage: assembler errors (RL1xx), nothing else', async () => {
    const ds = await lintAndProbe(garbage(64 * 1024));
    assert.ok(ds.length > 0);
    for (const d of ds) assert.match(String(d.code), /^RL1\d\d$/);
  });

  it('a 1 MiB line: its error has a range on that line', async () => {
    const long = 'mov eax, ' + 'x'.repeat(1 << 20);
    const ds = await lintAndProbe(`bits 32\n${long}\nnop\n`);
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line]), [['RL103', 1]]);
    assert.ok(ds[0]!.range.end.character <= long.length);
  });

  it('an unterminated string: RL100 at the string', async () => {
    const ds = await lintAndProbe('bits 32\nmsg: db "hello\nnop\n');
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['RL100', 1, 8]]);
    assert.match(ds[0]!.message, /unterminated string/);
  });

  it('a recursive %include (two files including each other): RL106, and the server still lints a good file', async () => {
    fs.writeFileSync(path.join(dir, 'a.inc'), '%include "b.inc"\n');
    fs.writeFileSync(path.join(dir, 'b.inc'), '%include "a.inc"\n');
    const ds = await lintAndProbe('bits 32\n%include "a.inc"\nnop\n', 'loop.gasm');
    assert.ok(ds.some((d) => d.code === 'RL106' && d.range.start.line === 1 && /recursive/.test(d.message)), JSON.stringify(ds));
    const ok = await lintAndProbe('bits 32\ncli\n', 'fine.gasm');
    assert.deepEqual(ok.map((d) => [d.code, d.range.start.line]), [['RL201', 1]]);
  });
});
