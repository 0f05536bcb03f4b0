// Features that span files, through a real client: a quick fix for a finding of an included file
// edits that file; navigation from an included file reaches the open documents that include it;
// a file read by a lint that changes on disk (watched files) lints its readers again.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionRequest, DefinitionRequest, DidChangeWatchedFilesNotification, FileChangeType, HoverRequest, ReferencesRequest, RenameRequest,
  type CodeAction, type Location, type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tempDir } from '../support/tempDir';
import { LspClient, uriOf } from './lspClient';

const pos = (line: number, character: number) => ({ line, character });
const where = (locs: readonly Location[]): string[] => locs.map((l) => `${path.basename(l.uri)}:${l.range.start.line}:${l.range.start.character}`).sort();

describe('lsp: across files (stdio client)', function () {
  this.timeout(60_000);
  let client: LspClient;
  let root: string;
  beforeEach(async () => {
    root = tempDir('across');
    fs.mkdirSync(path.join(root, 'lib'));
    client = new LspClient();
    await client.initialize(null);
  });
  afterEach(async () => { await client.close(); });
  const write = (rel: string, text: string): string => { const f = path.join(root, rel); fs.writeFileSync(f, text); return f; };

  it('silencing a finding of an included file edits its line there, and the finding goes', async () => {
    const incText = 'save_flags:\n  pushf\n  ret\n';
    const inc = write('lib/flags.inc', incText);
    const mainText = '%include "lib/flags.inc"\nstart:\n  call save_flags\n';
    const main = await client.open(write('main.gasm', mainText), mainText);
    const [shown] = await client.diagnostics(main, { version: 1 });
    assert.equal(shown?.code, 'RL202');
    assert.equal(shown.range.start.line, 0, 'shown on the %include line');
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: main }, range: shown.range, context: { diagnostics: [shown] } }) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Silence RL202 on line 2 of flags.inc']);
    const changes = actions[0]!.edit!.changes!;
    assert.deepEqual(Object.keys(changes), [uriOf(inc)]);
    // The editor applies it to the included file (opening it), and the includer is linted again.
    const edited = TextDocument.applyEdits(TextDocument.create(uriOf(inc), 'guest-asm', 1, incText), changes[uriOf(inc)]!);
    assert.equal(edited.split('\n')[1], '  pushf  ; ringlab-ignore RL202');
    const since = client.publishedCount;
    await client.open(inc, edited);
    assert.deepEqual(await client.diagnostics(main, { since }), []);
  });

  it('from an included file: references, rename, definition and hover reach the open file that includes it', async () => {
    const libText = 'print:\n  ret\n  call done\n';
    const lib = write('lib/print.inc', libText);
    const mainText = '%include "lib/print.inc"\nstart:\n  call print\ndone:\n  hlt\n';
    const main = await client.open(write('main.gasm', mainText), mainText);
    await client.diagnostics(main, { version: 1 });
    const libUri = await client.open(lib, libText);
    await client.diagnostics(libUri, { version: 1 });

    const refs = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: libUri }, position: pos(0, 1), context: { includeDeclaration: true } });
    assert.deepEqual(where(refs ?? []), ['main.gasm:2:7', 'print.inc:0:0']);
    const rename = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: libUri }, position: pos(0, 1), newName: 'puts' });
    const edits = Object.entries(rename?.changes ?? {}).map(([u, es]) => es.map((e) => `${path.basename(u)}:${e.range.start.line}:${e.range.start.character} ${e.newText}`)).flat().sort();
    assert.deepEqual(edits, ['main.gasm:2:7 puts', 'print.inc:0:0 puts']);
    // `done` is defined by the includer only.
    const def = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: libUri }, position: pos(2, 8) });
    assert.deepEqual(where(def as Location[]), ['main.gasm:3:0']);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: libUri }, position: pos(2, 8) });
    assert.match((hover?.contents as MarkupContent).value, /done/);
  });

  it('a file read by a lint that changes on disk lints its readers again (watched files)', async () => {
    const watcher = await client.registered(DidChangeWatchedFilesNotification.method);
    assert.deepEqual(watcher.registerOptions, { watchers: [{ globPattern: '**/*' }] });
    const inc = write('lib/consts.inc', 'print:\n  ret\n');
    const mainText = '%include "lib/consts.inc"\nstart:\n  call print\n';
    const main = await client.open(write('main.gasm', mainText), mainText);
    assert.deepEqual(await client.diagnostics(main, { version: 1 }), []);
    fs.writeFileSync(inc, 'puts:\n  ret\n');
    const since = client.publishedCount;
    await client.watchedFilesChanged([{ uri: uriOf(inc), type: FileChangeType.Changed }]);
    const after = await client.diagnostics(main, { since });
    assert.deepEqual(after.map((d) => `${d.range.start.line}:${d.code} ${d.message}`), ["2:RL103 symbol 'print' not defined"]);
  });
});
