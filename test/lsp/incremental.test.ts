// Incremental sync through the stdio client: edits sent back to back (no waiting) are applied in
// order, and the diagnostics of the last version describe the last text; an edit that restores
// an earlier text gets that text's diagnostics again.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, ROOT } from './lspClient';

describe('lsp: incremental changes (stdio client)', function () {
  this.timeout(60_000);
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(async () => { await client.close(); });

  it('ten edits in a row: the last version\'s diagnostics match the last text', async () => {
    const uri = await client.open(path.join(ROOT, 'test', 'lsp', 'typing.gasm'), 'bits 32\n_start:\n');
    await client.diagnostics(uri, { version: 1 });
    // Type "cli\nhlt\npushf\n" one character at a time at the end of the file.
    const typed = 'cli\nhlt\npushf\n';
    let line = 2;
    let ch = 0;
    let version = 1;
    for (const c of typed) {
      await client.change(uri, ++version, [line, ch], [line, ch], c);
      if (c === '\n') { line++; ch = 0; } else ch++;
    }
    const ds = await client.diagnostics(uri, { version });
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]).sort(),
      [['RL201', 2, 0, 3], ['RL201', 3, 0, 3], ['RL202', 4, 0, 5]]);

    // Delete the `hlt` line: back to a text with one RL201 fewer.
    await client.change(uri, ++version, [3, 0], [4, 0], '');
    const after = await client.diagnostics(uri, { version });
    assert.deepEqual(after.map((d) => [d.code, d.range.start.line]).sort(), [['RL201', 2], ['RL202', 3]]);
  });
});
