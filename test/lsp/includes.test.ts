// %include across files through the stdio client: an included file's errors shown on the
// %include line (with the real place as related information), an edit to an open included
// document re-lints the file that includes it (also one that did not exist when first included),
// and a recursive %include is an RL106.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DefinitionRequest, type Location } from 'vscode-languageserver-protocol/node';
import { LspClient, uriOf } from './lspClient';

describe('lsp: %include across files (stdio client)', function () {
  this.timeout(60_000);
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-lsp-inc-'));
    fs.mkdirSync(path.join(dir, 'inc'));
    client = new LspClient();
    await client.initialize();
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("an included file's error shows on the %include line, and an edit to it re-lints the includer", async () => {
    const defs = path.join(dir, 'inc', 'defs.inc');
    fs.writeFileSync(defs, 'helper:\n    frobnicate eax\n    ret\n');
    const main = path.join(dir, 'main.gasm');
    const text = 'bits 32\n%include "inc/defs.inc"\n_start:\n    call helper\n';
    const uri = await client.open(main, text);
    const ds = await client.diagnostics(uri, { version: 1 });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    const d = ds[0]!;
    assert.equal(d.code, 'RL101');
    assert.deepEqual(d.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 23 } }, 'the quoted name');
    assert.match(d.message, /^defs\.inc:2:5: /);
    assert.equal(d.relatedInformation?.[0]?.location.uri, uriOf(defs));
    assert.equal(d.relatedInformation?.[0]?.location.range.start.line, 1);

    const def = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 3, character: 11 } }) as Location[];
    assert.deepEqual(def.map((l) => [l.uri, l.range.start.line]), [[uriOf(defs), 0]]);

    // The included file, opened and fixed without saving: the includer sees the unsaved text.
    const incUri = await client.open(defs, fs.readFileSync(defs, 'utf8'));
    const since = client.publishedCount;
    await client.change(incUri, 2, [1, 4], [1, 14], 'inc');
    assert.deepEqual(await client.diagnostics(incUri, { version: 2, since }), []);
    assert.deepEqual(await client.diagnostics(uri, { since }), []);
  });

  it('a file that does not exist yet, once opened in the editor, re-lints the file that includes it', async () => {
    const later = path.join(dir, 'inc', 'later.inc');
    const main = path.join(dir, 'waits.gasm');
    const uri = await client.open(main, 'bits 32\n%include "inc/later.inc"\n_start:\n    call later\n');
    const ds = await client.diagnostics(uri, { version: 1 });
    assert.deepEqual(ds.map((d) => d.code).sort(), ['RL103', 'RL106'], 'the %include, and the call to a label it would define');
    assert.match(ds.find((d) => d.code === 'RL106')!.message, /unable to open include file/);
    // Never saved: the editor holds the only copy of it.
    const since = client.publishedCount;
    await client.open(later, 'later:\n    ret\n');
    assert.deepEqual(await client.diagnostics(uri, { since }), []);
  });

  it('a recursive %include is RL106 on its line', async () => {
    const self = path.join(dir, 'self.gasm');
    const text = 'bits 32\n%include "self.gasm"\nnop\n';
    fs.writeFileSync(self, text);
    const ds = await client.diagnostics(await client.open(self, text), { version: 1 });
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line]), [['RL106', 1]]);
    assert.match(ds[0]!.message, /recursive %include/);
  });
});
