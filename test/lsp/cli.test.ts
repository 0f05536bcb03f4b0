// `ringlab lsp`'s arguments, in-process: --stdio is required (the one transport), --help works,
// and the top-level help no longer lists it as not available.

import * as assert from 'node:assert/strict';
import { ringlabInProcess as ringlab } from '../support/cliInProcess';

describe('ringlab lsp (arguments)', () => {
  it('without --stdio, or with extra arguments: exit 2 with a message', async () => {
    for (const args of [[], ['x.gasm'], ['--stdio', 'x.gasm'], ['--port', '1']]) {
      const r = await ringlab('lsp', ...args);
      assert.equal(r.status, 2, `lsp ${args.join(' ')}`);
      assert.match(r.stderr, /^ringlab lsp: \S/);
      assert.equal(r.stdout, '');
    }
  });

  it('accepts --clientProcessId=PID beside --stdio (vscode-languageclient adds it), and still needs --stdio', async () => {
    const r = await ringlab('lsp', '--clientProcessId=1');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--stdio is required/);
  });

  it('--help describes it; ringlab --help lists it as available', async () => {
    const help = await ringlab('lsp', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: ringlab lsp --stdio/);
    const top = await ringlab('--help');
    assert.match(top.stdout, /ringlab lsp --stdio\n\s+the language server for any LSP client\n/);
  });
});
