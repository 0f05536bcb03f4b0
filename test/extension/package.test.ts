// The .vsix holds only what VS Code runs (.vscodeignore): the bundles without source maps, the
// grammar, snippets, media, examples, readme and manifest; no TypeScript, no node_modules.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

describe('extension: package contents (vsce ls)', function () {
  this.timeout(120_000);

  it('lists the bundles, grammar, snippets, media and examples, and nothing else', () => {
    const vsce = require.resolve('@vscode/vsce/vsce');
    const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    for (const want of ['package.json', 'README.md', 'dist/extension.js', 'dist/ringlab.js', 'dist/lsp.js', 'syntaxes/guest-asm.tmLanguage.json',
      'syntaxes/language-configuration.json', 'snippets/guest-asm.json', 'examples/trap-holes.gasm', 'examples/lib/x86.inc', 'extension/media/ringlab.svg']) {
      assert.ok(files.includes(want), `${want} is packaged`);
    }
    const allowed = /^(package\.json|README\.md|dist\/[\w-]+\.js|syntaxes\/[\w.-]+\.json|snippets\/guest-asm\.json|extension\/media\/.+|examples\/[\w-]+\.gasm|examples\/lib\/[\w-]+\.inc|docs\/screenshots\/[\w-]+\.png)$/;
    for (const f of files) assert.match(f, allowed, `${f} should not be packaged`);
  });
});
