// The server's idle warm-up (language-server/warmUp.ts): V8 compiles what it has run, so the
// rounds must take the paths a real document takes (opened, then edited twice, with a file: URI),
// see every form of the table and each way of indenting, assemble without an error (an error
// stops the assembler before encoding), and stop when a document opens.

import * as assert from 'node:assert/strict';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { tableSampleLines, type DocumentAnalysis } from '../../core/lang';
import { warmUpWhileIdle } from '../../language-server/warmUp';
import { WorkspaceFiles } from '../../language-server/workspaceFiles';

interface Round { readonly uri: string; readonly version: number; readonly text: string; readonly mode: string; readonly codes: readonly string[] }

/** Runs the warm-up until `busy` says so or it ends (no round for 500 ms), recording each round. */
function runWarmUp(busy: (rounds: number) => boolean): Promise<Round[]> {
  const rounds: Round[] = [];
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const idle = (): void => { clearTimeout(timer); timer = setTimeout(() => resolve(rounds), 500); };
    idle();
    warmUpWhileIdle(() => busy(rounds.length), new WorkspaceFiles(), (doc: TextDocument, a: DocumentAnalysis) => {
      rounds.push({ uri: doc.uri, version: doc.version, text: doc.getText(), mode: a.mode, codes: a.lint.diagnostics.map((d) => d.code) });
      idle();
    });
  });
}

describe('lsp: idle warm-up', function () {
  this.timeout(60_000);

  it('opens a document, edits it twice, and so on for 40 rounds, covering the table in both modes', async () => {
    const rounds = await runWarmUp(() => false);
    assert.equal(rounds.length, 40);
    for (let k = 0; k < rounds.length; k += 4) {
      const [a, b, c, d] = rounds.slice(k, k + 4) as [Round, Round, Round, Round];
      assert.ok(a.uri.startsWith('file:///') && b.uri.startsWith('file:///'), a.uri);
      assert.notEqual(a.uri, b.uri, `round ${k + 2} opens a new document`);
      assert.equal(a.version, 1);
      assert.equal(b.version, 1);
      assert.deepEqual([c.uri, c.version, d.uri, d.version], [b.uri, 2, b.uri, 3], `rounds ${k + 3} and ${k + 4} edit round ${k + 2}'s document`);
      assert.notEqual(c.text, b.text);
    }
    assert.deepEqual(new Set(rounds.map((r) => r.mode)), new Set(['paravirtual', 'trap-and-emulate']));
    for (const r of rounds) assert.ok(r.codes.length > 0 && r.codes.every((c) => c.startsWith('RL2')), `round ${r.uri} v${r.version}: ${[...new Set(r.codes)].join(' ')}`);

    const linted = new Set<string>();
    for (const r of rounds) for (const line of r.text.split('\n')) linted.add(line.replace(/;.*/, '').trim());
    const missing = tableSampleLines().filter((l) => !linted.has(l));
    assert.deepEqual(missing, [], `${missing.length} sample lines never linted`);
    const indents = new Set(rounds.flatMap((r) => r.text.split('\n').map((l) => /^(\t|        |    )\S/.exec(l)?.[1]).filter((x) => x !== undefined)));
    assert.deepEqual(indents, new Set(['\t', '        ', '    ']));
  });

  it('stops at once when the server gets busy', async () => {
    const rounds = await runWarmUp((n) => n >= 3);
    assert.equal(rounds.length, 3);
  });
});
