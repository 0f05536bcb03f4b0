// The server's settings through a real client: a bad `ringlab.lint.mode` is reported to the user
// and the server goes on with the mode it had, whatever the client answers.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ShowMessageRequest } from 'vscode-languageserver-protocol/node';
import { tempDir } from '../support/tempDir';
import { LspClient } from './lspClient';

describe('lsp: settings (stdio client)', function () {
  this.timeout(60_000);

  it('an unknown mode is shown as a warning (a notification: no answer to fail) and the default mode stands', async () => {
    const client = new LspClient();
    let requested = 0;
    // A client may not implement showMessageRequest; one that does must not be asked either.
    client.connection.onRequest(ShowMessageRequest.type, () => { requested++; return null; });
    client.settings = { lint: { mode: 'bogus' } };
    try {
      await client.initialize(null);
      const uri = await client.open(path.join(tempDir('settings'), 'a.gasm'), 'bits 32\ncli\npushf\n');
      const found = await client.diagnostics(uri, { version: 1 });
      // trap-and-emulate, the default: cli is information, pushf a warning.
      assert.deepEqual(found.map((d) => [d.range.start.line, d.code, d.severity]), [[1, 'RL201', 3], [2, 'RL202', 2]]);
      assert.deepEqual(client.shown, ["ringlab.lint.mode: unknown mode 'bogus'; linting for trap-and-emulate"]);
      assert.equal(requested, 0);
      const since = client.publishedCount;
      await client.setMode('pv');
      assert.deepEqual((await client.diagnostics(uri, { since })).map((d) => [d.code, d.severity]), [['RL201', 1], ['RL202', 2]]);
      assert.equal(client.exitCode, undefined, client.stderr);
    } finally {
      await client.close();
    }
  });
});
