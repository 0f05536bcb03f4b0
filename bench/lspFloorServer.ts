// The protocol's own cost, for the lsp bench: a language server on the same library and the same
// stdio transport that lints nothing. It answers `initialize`, and on each didOpen publishes the
// diagnostics it was given (a JSON array in the file that FLOOR_DIAGNOSTICS_ENV names), so the
// bench times the round trip of the same text and the same answer with no work between them:
// what any server built on vscode-languageserver pays on this host before it does anything.
// Run as `node lspFloorServer.js ...`; its arguments are ignored (the bench's client passes the
// real server's `lsp --stdio`).

import * as fs from 'node:fs';
import { createConnection, TextDocuments, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const FLOOR_DIAGNOSTICS_ENV = 'RINGLAB_BENCH_FLOOR_DIAGNOSTICS';

function serve(): void {
  const file = process.env[FLOOR_DIAGNOSTICS_ENV];
  if (file === undefined) throw new Error(`${FLOOR_DIAGNOSTICS_ENV} must name a JSON file of diagnostics`);
  const diagnostics = JSON.parse(fs.readFileSync(file, 'utf8')) as Diagnostic[];
  const connection = createConnection(process.stdin, process.stdout);
  const documents = new TextDocuments(TextDocument);
  connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true } }));
  documents.onDidOpen((e) => { void connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics }); });
  documents.listen(connection);
  connection.listen();
}

if (require.main === module) serve();
