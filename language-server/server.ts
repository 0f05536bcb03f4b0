// The language server: declares its capabilities once in onInitialize and maps each request to
// core/lang (features) and core/lint (diagnostics). Every document is re-linted as soon as it
// changes (no debounce); changes that queue up while a lint runs are coalesced into one.

import {
  CodeActionKind, ErrorCodes, FileChangeType, FoldingRangeKind, ResponseError, TextDocuments, TextDocumentSyncKind,
  DidChangeConfigurationNotification, DidChangeWatchedFilesNotification,
  type CodeAction, type Connection, type Diagnostic, type InitializeError, type InitializeParams, type InitializeResult, type WorkspaceEdit, type TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  completionsAt, definitionAt, hoverAt, outline, quickFixes, referencesAt, renameAt, renameTarget,
  semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES, type DocumentAnalysis, type FileSpan, type RenameEdit, type TextReplacement,
} from '../core/lang';
import { Analyses } from './analyses';
import { Config } from './config';
import { rangeOf, SOURCE, toCompletionItem, toDocumentSymbol, toTextEdit } from './convert';
import { documentDiagnostics } from './diagnostics';
import { guestFilesAmong, guestFilesIn, lintAheadWhileIdle, type GuestFile } from './lintAhead';
import { warmUpWhileIdle } from './warmUp';
import { uriToFile, WorkspaceFiles } from './workspaceFiles';

export function startServer(connection: Connection): void {
  // A promise of the server's that fails unhandled would end the process (Node's default) and
  // leave the editor without diagnostics: it is logged instead, and the server goes on.
  process.on('unhandledRejection', (e) => { connection.console.error(`ringlab lsp: ${e instanceof Error ? e.stack ?? e.message : String(e)}`); });
  const documents = new TextDocuments(TextDocument);
  const files = new WorkspaceFiles();
  const config = new Config(connection);
  const analyses = new Analyses(files, () => config.mode);
  let configurationPushRegistration = false;
  let watchedFilesRegistration = false;

  /**
   * Where the session is (LSP's lifecycle): before `initialize` a request gets ServerNotInitialized,
   * after `shutdown` InvalidRequest, and a notification other than `exit` is dropped.
   */
  let session: 'starting' | 'running' | 'shut down' = 'starting';
  const serving = <P, R>(handler: (p: P) => R) => (p: P): R | ResponseError<void> => {
    if (session === 'starting') return new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized yet');
    if (session === 'shut down') return new ResponseError(ErrorCodes.InvalidRequest, 'the server is shut down');
    return handler(p);
  };

  const analysisOf = (uri: string) => {
    const doc = documents.get(uri);
    return doc ? analyses.get(doc) : undefined;
  };
  const location = (s: FileSpan) => ({ uri: files.uriOf(s.file), range: rangeOf(s) });
  /**
   * The analyses that see a document's file: its own, then those of the open documents that
   * include it. A file made to be included is often not a program alone (its labels are used, or
   * its constants defined, by the file that includes it): navigation from it asks them too.
   */
  const analysesSeeing = (uri: string): DocumentAnalysis[] => {
    const own = analysisOf(uri);
    if (!own) return [];
    const out = [own];
    for (const d of documents.all()) if (d.uri !== uri && analyses.includes(d.uri, own.file)) out.push(analyses.get(d));
    return out;
  };
  /** Each span once (the analyses that see a file find its spans alike). */
  const distinct = <T extends FileSpan>(spans: readonly T[]): T[] => {
    const seen = new Set<string>();
    const out: T[] = [];
    for (const s of spans) {
      const key = `${s.file}\u0000${s.line}:${s.column}:${s.endColumn}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s);
    }
    return out;
  };

  // ---- diagnostics -----------------------------------------------------------------------------
  const pending = new Set<string>();
  let scheduled = false;
  const flush = async (): Promise<void> => {
    scheduled = false;
    await config.ready;
    for (const uri of [...pending]) {
      pending.delete(uri);
      const doc = documents.get(uri);
      if (!doc) continue;
      let diagnostics: Diagnostic[];
      try {
        diagnostics = documentDiagnostics(analyses.get(doc), files);
      } catch (e) {
        // core never throws on bad source; if it does anyway, the editor hears of it and the server stays up.
        diagnostics = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 1, source: SOURCE, code: 'RL100', message: `internal error: ${e instanceof Error ? e.message : String(e)}` }];
      }
      if (session === 'running') void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    }
  };
  const schedule = (uri: string): void => {
    if (session !== 'running') return;
    pending.add(uri);
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => { void flush(); });
    }
  };
  // A new mode re-lints everything; a cached analysis of the same text and mode is reused.
  const relintAll = (): void => {
    analyses.forgetAheadOfOtherModes();
    for (const d of documents.all()) schedule(d.uri);
  };

  documents.onDidOpen((e) => { files.setOpen(e.document.uri, () => e.document.getText()); });
  documents.onDidChangeContent((e) => {
    const changed = uriToFile(e.document.uri);
    analyses.forgetAheadReading(changed);
    // Documents that include this one see its unsaved text: lint them again too.
    for (const other of documents.all()) {
      if (other.uri !== e.document.uri && analyses.includes(other.uri, changed)) { analyses.forget(other.uri); schedule(other.uri); }
    }
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    files.setClosed(e.document.uri);
    analyses.forgetAheadReading(uriToFile(e.document.uri));
    analyses.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // ---- lifecycle and settings ------------------------------------------------------------------
  /** The workspace's folders on disk, whose guest files are linted ahead of their opening. */
  let folders: string[] = [];
  /** Lints ahead, while idle, the guest files found, and says so in the log. */
  const lintAhead = async (found: Iterator<GuestFile, void, void>, what: string): Promise<void> => {
    const t0 = Date.now();
    const made = await lintAheadWhileIdle(found, () => pending.size > 0, (f) => files.isOpen(f), (f, text) => analyses.prepare(f, text));
    if (made.files > 0) connection.console.info(`linted ${made.files} ${what} file(s) ahead of their opening: ${made.lines} lines in ${Date.now() - t0} ms`);
  };
  connection.onInitialize((params): InitializeResult | ResponseError<InitializeError> => {
    if (session !== 'starting') return new ResponseError(ErrorCodes.InvalidRequest, 'initialize was sent already', { retry: false });
    session = 'running';
    const caps = params.capabilities;
    folders = workspaceFolders(params);
    config.initialize(caps.workspace?.configuration === true, params.initializationOptions);
    configurationPushRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    watchedFilesRegistration = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['%', '.'] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'ringlab', version: typeof RINGLAB_VERSION === 'string' ? RINGLAB_VERSION : 'dev' },
    };
  });
  connection.onInitialized(() => {
    // A client may refuse the registration: it then pushes no settings, and the pulled ones stand.
    if (configurationPushRegistration) connection.client.register(DidChangeConfigurationNotification.type, { section: 'ringlab' }).catch(() => undefined);
    // Any file: an %include or incbin may name a file of any extension.
    if (watchedFilesRegistration) connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(() => undefined);
    const settled = config.refresh().then(relintAll);
    const warm = warmUpWhileIdle(() => documents.all().length > 0, files);
    // After the warm-up, whose rounds are short: a large file's lint ahead holds the thread longer.
    void Promise.all([settled, warm]).then(() => lintAhead(guestFilesIn(folders), 'workspace'));
  });
  connection.onShutdown(() => {
    if (session === 'shut down') return new ResponseError(ErrorCodes.InvalidRequest, 'the server is shut down');
    session = 'shut down';
    return undefined;
  });
  connection.onDidChangeConfiguration((p) => { void config.refresh(p.settings).then(relintAll); });
  // Files the lints read (%include, incbin) may change on disk with no editor involved (a checkout,
  // another tool): the documents that read one are linted again. Each change is looked up in the
  // reads, so saving a file (also an event) costs nothing to the documents that do not read it.
  connection.onDidChangeWatchedFiles((p) => {
    for (const uri of analyses.changedOnDisk(new Set(p.changes.map((c) => uriToFile(c.uri))))) schedule(uri);
    // The workspace's guest files written since (a checkout, a pull) are linted ahead again.
    const written = p.changes.filter((c) => c.type !== FileChangeType.Deleted).map((c) => uriToFile(c.uri));
    void lintAhead(guestFilesAmong(written, folders), 'changed workspace');
  });

  // ---- features --------------------------------------------------------------------------------
  connection.onHover(serving((p) => {
    // The first analysis that knows the word: a label defined in the including file, say.
    for (const a of analysesSeeing(p.textDocument.uri)) {
      const h = hoverAt(a, uriToFile(p.textDocument.uri), p.position.line + 1, p.position.character + 1);
      if (h) return { contents: { kind: 'markdown', value: h.markdown }, range: rangeOf(h) };
    }
    return null;
  }));
  connection.onCompletion(serving((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? completionsAt(a, a.file, p.position.line + 1, p.position.character + 1).map(toCompletionItem) : [];
  }));
  connection.onDefinition(serving((p) => {
    const file = uriToFile(p.textDocument.uri);
    for (const a of analysesSeeing(p.textDocument.uri)) {
      const found = definitionAt(a, file, p.position.line + 1, p.position.character + 1);
      if (found.length > 0) return found.map(location);
    }
    return [];
  }));
  connection.onReferences(serving((p) => {
    const file = uriToFile(p.textDocument.uri);
    const all = analysesSeeing(p.textDocument.uri).flatMap((a) => referencesAt(a, file, p.position.line + 1, p.position.character + 1, p.context.includeDeclaration));
    return distinct(all).map(location);
  }));
  connection.onPrepareRename(serving((p) => {
    const file = uriToFile(p.textDocument.uri);
    for (const a of analysesSeeing(p.textDocument.uri)) {
      const o = renameTarget(a, file, p.position.line + 1, p.position.character + 1);
      if (o) return rangeOf(o);
    }
    return null;
  }));
  connection.onRenameRequest(serving((p) => {
    const file = uriToFile(p.textDocument.uri);
    const seeing = analysesSeeing(p.textDocument.uri);
    if (seeing.length === 0) return null;
    // Every file that sees the label is renamed, or none: a clash in one refuses the rename.
    const edits: RenameEdit[] = [];
    for (const a of seeing) {
      const r = renameAt(a, file, p.position.line + 1, p.position.character + 1, p.newName);
      if ('error' in r) {
        if (a === seeing[0] || renameTarget(a, file, p.position.line + 1, p.position.character + 1)) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
        continue; // an includer that does not know the name there
      }
      edits.push(...r.edits);
    }
    return workspaceEdit(distinct(edits).map((e) => ({ file: e.file, line: e.line, column: e.column, endLine: e.line, endColumn: e.endColumn, newText: e.newText })));
  }));
  connection.onDocumentSymbol(serving((p) => {
    const a = analysisOf(p.textDocument.uri);
    const lines = a?.source(a.file)?.lines ?? [];
    return a ? outline(a, a.file).map((s) => toDocumentSymbol(s, lines)) : [];
  }));
  connection.onFoldingRanges(serving((p) => {
    const a = analysisOf(p.textDocument.uri);
    return (a?.source(a.file)?.index.folds ?? []).map((f) => ({
      startLine: f.startLine - 1, endLine: f.endLine - 1, ...(f.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : {}),
    }));
  }));
  connection.languages.semanticTokens.on(serving((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return { data: [] };
    const data: number[] = [];
    let line = 0;
    let start = 0;
    for (const t of semanticTokens(doc.getText())) {
      data.push(t.line - line, t.line === line ? t.start - start : t.start, t.length, t.type, t.modifiers);
      line = t.line;
      start = t.start;
    }
    return { data };
  }));
  connection.onCodeAction(serving((p) => {
    const a = analysisOf(p.textDocument.uri);
    if (!a) return [];
    const first = p.range.start.line + 1;
    const last = p.range.end.line + 1;
    // Clients send the diagnostics under the cursor; a client that sends none gets those of the range.
    const asked = p.context.diagnostics.filter((d) => d.source === SOURCE && typeof d.code === 'string').map((d) => {
      // A finding of an included file is shown on the %include line; its place is the related one.
      const at = d.relatedInformation?.[0]?.location;
      const file = at === undefined ? undefined : uriToFile(at.uri);
      const range = at === undefined ? d.range : at.range;
      return { diagnostic: d as Diagnostic | undefined, ...(file === undefined ? {} : { file }), code: d.code as string, line: range.start.line + 1, column: range.start.character + 1, endColumn: range.end.character + 1 };
    });
    const findings = asked.length > 0 || p.context.diagnostics.length > 0 ? asked
      : a.lint.diagnostics.filter((d) => d.file === a.file && d.line >= first && d.line <= last).map((d) => ({ diagnostic: undefined, ...d }));
    const actions: CodeAction[] = [];
    for (const f of findings) {
      for (const fix of quickFixes(a, f)) {
        actions.push({
          title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: fix.preferred,
          ...(f.diagnostic ? { diagnostics: [f.diagnostic] } : {}),
          edit: workspaceEdit(fix.edits),
        });
      }
    }
    return actions;
  }));

  function workspaceEdit(edits: readonly TextReplacement[]): WorkspaceEdit {
    const changes: Record<string, TextEdit[]> = {};
    for (const e of edits) (changes[files.uriOf(e.file)] ??= []).push(toTextEdit(e));
    return { changes };
  }

  documents.listen(connection);
  connection.listen();
}

/** The folders of the workspace (or its root, from older clients) that are on disk. */
function workspaceFolders(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const out = uris.filter((u) => u.startsWith('file:')).map(uriToFile);
  if (out.length === 0 && uris.length === 0 && params.rootPath) out.push(params.rootPath);
  return out;
}

declare const RINGLAB_VERSION: string | undefined;
