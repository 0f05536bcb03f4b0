// The same diagnostics through a second, independent client: Neovim's built-in LSP client,
// headless (Debian package `neovim`), on the file with every form of the instruction table under
// pv (set through the client's `settings`, which it serves to workspace/configuration). Its
// result must equal what the protocol library's client receives, code and range alike.
// Without nvim the test is pending, never passed; under RINGLAB_LIVE_ORACLE=1 it fails.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { FORMS } from '../../core/isa';
import { generateCorpus } from '../oracle/corpus';
import { BUNDLE, buildOnce, LspClient, ROOT } from './lspClient';

const SCRIPT = path.join(ROOT, 'test', 'lsp', 'neovimClient.lua');

function nvimAvailable(): boolean {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

const key = (d: Diagnostic): string =>
  `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.severity}`;

describe('lsp: Neovim\'s built-in client (headless) sees the same diagnostics', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    if (!nvimAvailable()) {
      if (process.env['RINGLAB_LIVE_ORACLE'] === '1') throw new Error('RINGLAB_LIVE_ORACLE=1 but nvim is not installed (apt-get install neovim)');
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-nvim-'));
    buildOnce();
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('every table form under pv: the codes, ranges and severities of the stdio client', async () => {
    const corpus = generateCorpus();
    const text = ['bits 32', '_start:', ...corpus.map((c) => `  ${c.text}`)].join('\n') + '\n';
    const file = path.join(dir, 'every-form.gasm');
    fs.writeFileSync(file, text);
    const out = path.join(dir, 'diagnostics.json');
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-u', 'NONE', '-c', `luafile ${SCRIPT}`], {
      cwd: dir, encoding: 'utf8', timeout: 90_000,
      env: { ...process.env, RINGLAB_NVIM_FILE: file, RINGLAB_NVIM_OUT: out, RINGLAB_NVIM_BUNDLE: BUNDLE, RINGLAB_NVIM_MODE: 'pv' },
    });
    assert.ok(fs.existsSync(out), `nvim wrote no result (status ${r.status}): ${r.stderr}${r.stdout}`);
    const got = JSON.parse(fs.readFileSync(out, 'utf8')) as { error?: string; diagnostics?: Diagnostic[] };
    assert.equal(got.error, undefined);
    const nvim = got.diagnostics!;

    // What the protocol library's client gets for the same file and mode.
    const client = new LspClient();
    client.settings = { lint: { mode: 'pv' } };
    try {
      await client.initialize();
      const reference = await client.diagnostics(await client.open(file, text), { version: 1 });
      assert.deepEqual(nvim.map(key).sort(), reference.map(key).sort());
    } finally {
      await client.close();
    }
    // And it is the table's answer, not an empty list on both sides.
    const flagged = corpus.filter((c) => FORMS[c.formId]!.privilege !== 'unprivileged').length;
    assert.ok(nvim.length >= flagged, `${nvim.length} diagnostics for ${flagged} flagged lines`);
    assert.ok(nvim.some((d) => d.code === 'RL201' && d.severity === 1), 'RL201 is an error under pv');
  });
});
