// The TextMate grammar as VS Code reads it: the syntax tests in test/grammar/*.test.gasm run
// through vscode-tmgrammar-test (vscode-textmate and oniguruma, the editor's own tokenizer), and
// the committed grammar must be what scripts/build-grammar.mjs writes from the instruction table.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { guestAsmGrammar, MNEMONIC_SCOPES, SCOPE_NAME } from '../../syntaxes/guestAsmGrammar';
import { INSTRUCTIONS } from '../../core/isa';

const ROOT = path.resolve(__dirname, '../../..');
const GRAMMAR = path.join(ROOT, 'syntaxes', 'guest-asm.tmLanguage.json');
const TESTS = path.join(ROOT, 'test', 'grammar');

describe('grammar: syntaxes/guest-asm.tmLanguage.json', function () {
  this.timeout(60_000);

  it('is up to date with core/isa (npm run build regenerates it)', () => {
    const committed = fs.readFileSync(GRAMMAR, 'utf8');
    assert.equal(committed, JSON.stringify(guestAsmGrammar(), null, 2) + '\n', 'run npm run build and commit syntaxes/guest-asm.tmLanguage.json');
  });

  it('is the grammar package.json contributes for guest-asm', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes?: { grammars?: { language: string; scopeName: string; path: string }[] } };
    const g = pkg.contributes?.grammars?.find((x) => x.language === 'guest-asm');
    assert.ok(g, 'contributes.grammars has guest-asm');
    assert.equal(g.scopeName, SCOPE_NAME);
    assert.equal(path.resolve(ROOT, g.path), GRAMMAR);
  });

  it('scopes every privileged, I/O and sensitive mnemonic of the table by its class', () => {
    const text = fs.readFileSync(GRAMMAR, 'utf8');
    const statement = (JSON.parse(text) as { repository: { statement: { patterns: { match: string }[] } } }).repository.statement.patterns[0]!.match;
    for (const def of INSTRUCTIONS.values()) {
      if (def.privilege === 'unprivileged') continue;
      assert.match(statement, new RegExp(`[|:]${def.mnemonic}[|)]`), `${def.mnemonic} appears in the statement rule`);
    }
    assert.ok(text.includes(MNEMONIC_SCOPES.privileged) && text.includes(MNEMONIC_SCOPES.sensitive) && text.includes(MNEMONIC_SCOPES.io));
  });

  it('passes the syntax tests in test/grammar/*.test.gasm (vscode-tmgrammar-test)', () => {
    const files = fs.readdirSync(TESTS).filter((f) => f.endsWith('.test.gasm')).map((f) => path.join(TESTS, f));
    assert.ok(files.length >= 2, 'syntax test files found');
    const cli = require.resolve('vscode-tmgrammar-test/dist/unit.js');
    const r = spawnSync(process.execPath, [cli, '-g', GRAMMAR, ...files], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `vscode-tmgrammar-test failed:\n${r.stdout}${r.stderr}`);
    for (const f of files) assert.ok(r.stdout.includes(path.relative(ROOT, f)) || r.stdout.includes(f), `${f} was run`);
  });
});
