// A real LSP client for the tests: spawns `node dist/ringlab.js lsp --stdio` (built first, once
// per test run) and talks to it with the protocol's own library (vscode-languageserver-protocol's
// createProtocolConnection over stream readers and writers), as an editor does.

import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  ConfigurationRequest, DidChangeConfigurationNotification, DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, DocumentSymbolRequest, ExitNotification, HoverRequest,
  InitializedNotification, InitializeRequest, LogMessageNotification, ShowMessageNotification,
  PublishDiagnosticsNotification, RegistrationRequest, SemanticTokensRequest, ShutdownRequest,
  type ClientCapabilities, type FileEvent, type Registration, type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '../../..');
export const BUNDLE = path.join(ROOT, 'dist', 'ringlab.js');

let built = false;

/** Builds dist/ once per process so the server under test is the current source. */
export function buildOnce(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  built = true;
}

export const uriOf = (file: string): string => pathToFileURL(file).href;

const CAPABILITIES: ClientCapabilities = {
  // As VS Code: the server registers its file watchers.
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, didChangeWatchedFiles: { dynamicRegistration: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    rename: { prepareSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
};

export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly published: PublishDiagnosticsParams[] = [];
  /** The server's window/logMessage messages, in order. */
  readonly logged: string[] = [];
  /** The server's window/showMessage messages (shown to the user), in order. */
  readonly shown: string[] = [];
  /** What the server registered (client/registerCapability), in order. */
  readonly registrations: Registration[] = [];
  private readonly waiters: Array<() => void> = [];
  private exited: number | null | undefined;
  stderr = '';
  /** What the client answers to workspace/configuration for `ringlab`. */
  settings: unknown = { lint: { mode: 'trap-and-emulate' } };

  /**
   * `nodeArgs` go to the server's node (a benchmark passes --cpu-prof to profile it); `bundle` is
   * the ringlab.js to run, this checkout's (built first) unless another build's is given.
   */
  constructor(nodeArgs: readonly string[] = [], bundle = BUNDLE) {
    if (bundle === BUNDLE) buildOnce();
    this.child = spawn(process.execPath, [...nodeArgs, bundle, 'lsp', '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    this.child.stderr.on('data', (b: Buffer) => { this.stderr += b.toString(); });
    this.child.on('exit', (code) => { this.exited = code; this.wake(); });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => { this.published.push(p); this.wake(); });
    this.connection.onNotification(LogMessageNotification.type, (p) => { this.logged.push(p.message); this.wake(); });
    this.connection.onNotification(ShowMessageNotification.type, (p) => { this.shown.push(p.message); this.wake(); });
    this.connection.onRequest(RegistrationRequest.type, (p) => { this.registrations.push(...p.registrations); this.wake(); });
    this.connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'ringlab' ? this.settings : null)));
    this.connection.listen();
  }

  /** The server's process id (the benchmark reads its memory). */
  get pid(): number | undefined { return this.child.pid; }

  /** The exit code once the server process has ended, undefined while it runs. */
  get exitCode(): number | null | undefined { return this.exited; }

  /**
   * `workspace`: the folder opened in the editor, whose guest files the server lints ahead (this
   * checkout unless another is given; null for none, as for a file opened alone).
   */
  async initialize(workspace: string | null = ROOT): Promise<void> {
    const r = await this.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: workspace === null ? null : uriOf(workspace), capabilities: CAPABILITIES, workspaceFolders: null });
    assert.ok(r.capabilities.hoverProvider);
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  async open(file: string, text: string, version = 1): Promise<string> {
    const uri = uriOf(file);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'guest-asm', version, text } });
    return uri;
  }

  /**
   * Opens a document and returns its first diagnostics, then checks the server still answers on
   * it (hover, semantic tokens, document symbols) and has not exited: the bad-input tests' probe.
   */
  async openAndProbe(file: string, text: string, timeoutMs = 30_000): Promise<Diagnostic[]> {
    const uri = await this.open(file, text);
    const ds = await this.diagnostics(uri, { version: 1, timeoutMs });
    await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
    const tokens = await this.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    assert.ok(tokens && Array.isArray(tokens.data));
    assert.ok(Array.isArray(await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })));
    assert.equal(this.exited, undefined, `server exited: ${this.stderr}`);
    return ds;
  }

  /** Files changed on disk, as the client's watchers report them. */
  async watchedFilesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** The editor closes the document (its tab). */
  async closeDocument(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** An incremental change: replace [start, end) (0-based line and character) with text. */
  async change(uri: string, version: number, start: [number, number], end: [number, number], text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: start[0], character: start[1] }, end: { line: end[0], character: end[1] } }, text }],
    });
  }

  async setMode(mode: string): Promise<void> {
    this.settings = { lint: { mode } };
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { ringlab: this.settings } });
  }

  /** The next diagnostics published for `uri` (with `version`, if given) after `since` messages. */
  async diagnostics(uri: string, opts: { version?: number; since?: number; timeoutMs?: number } = {}): Promise<Diagnostic[]> {
    return this.until(() => {
      const found = this.published.slice(opts.since ?? 0).reverse().find((p) => p.uri === uri && (opts.version === undefined || p.version === opts.version));
      if (found) return found.diagnostics;
      if (this.exited !== undefined) throw new Error(`server exited (${this.exited}): ${this.stderr}`);
      return undefined;
    }, opts.timeoutMs ?? 30_000, () => `no diagnostics for ${uri}${opts.version !== undefined ? ` version ${opts.version}` : ''}`);
  }

  /** The first message the server logged that matches `pattern`, waiting for it. */
  async logMessage(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    return this.until(() => {
      const found = this.logged.find((m) => pattern.test(m));
      if (found === undefined && this.exited !== undefined) throw new Error(`server exited (${this.exited}): ${this.stderr}`);
      return found;
    }, timeoutMs, () => `no log message matching ${pattern}; logged: ${this.logged.join(' | ')}`);
  }

  /** The server's registration of `method`, waiting for it. */
  async registered(method: string, timeoutMs = 30_000): Promise<Registration> {
    return this.until(() => this.registrations.find((r) => r.method === method), timeoutMs, () => `no registration of ${method}`);
  }

  /** How many diagnostics messages have arrived (for `since`). */
  get publishedCount(): number { return this.published.length; }

  async close(): Promise<void> {
    if (this.exited === undefined) {
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch { /* already gone */ }
      await new Promise<void>((resolve) => {
        if (this.exited !== undefined) return resolve();
        const t = setTimeout(() => { this.child.kill(); resolve(); }, 5000);
        this.child.once('exit', () => { clearTimeout(t); resolve(); });
      });
    }
    this.connection.dispose();
  }

  /** Closes the server's stdin, as a client that goes away does. */
  endInput(): void { this.child.stdin.end(); }

  /** The server's exit code once it has ended (rejects if it runs past `timeoutMs`). */
  exitCodeWithin(timeoutMs: number): Promise<number | null> {
    return this.until(() => this.exited, timeoutMs, () => 'the server did not exit');
  }

  /**
   * `poll`'s first value other than undefined (it may throw to give up), tried again at each
   * message and at the server's exit; rejects with `timeout()` past `timeoutMs`.
   */
  private async until<R>(poll: () => R | undefined, timeoutMs: number, timeout: () => string): Promise<R> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = poll();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(timeout());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
