// One DocumentAnalysis per open document, reused while its text, the mode setting and the files
// it includes are unchanged: a hover or a repeated request costs a map look-up, not a lint. Files
// of the workspace not open yet may have one made ahead (lintAhead.ts), taken when one opens with
// the same text.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AsmCache } from '../core/asm';
import { DocumentAnalysis } from '../core/lang';
import type { Mode } from '../core/run/modes';
import { uriToFile, type WorkspaceFiles } from './workspaceFiles';

interface Entry { readonly text: string; readonly mode: Mode; readonly generation: number; readonly analysis: DocumentAnalysis }
/** An analysis made ahead, with what the files it read were on disk then (WorkspaceFiles.stamp). */
interface AheadEntry extends Entry { readonly stamps: ReadonlyMap<string, string> }

export class Analyses {
  private readonly entries = new Map<string, Entry>();
  /** Analyses made ahead of a file's opening, by file path (a client may spell its URI its own way). */
  private readonly ahead = new Map<string, AheadEntry>();
  /** Each document's parsed lines, kept across its edits. */
  private readonly caches = new Map<string, AsmCache>();
  /** Bumped when a file other than a document's own text may have changed (an include). */
  private generation = 0;

  constructor(private readonly files: WorkspaceFiles, private readonly mode: () => Mode) {}

  get(doc: TextDocument): DocumentAnalysis {
    const text = doc.getText();
    const mode = this.mode();
    const old = this.entries.get(doc.uri);
    if (old && old.text === text && old.mode === mode && old.generation === this.generation) return old.analysis;
    const made = this.takeAhead(doc.uri, text, mode);
    if (made) {
      // As a first lint: the next one (the first edit) fills the line cache.
      this.caches.set(doc.uri, new AsmCache());
      this.entries.set(doc.uri, made);
      return made.analysis;
    }
    // A document's first lint goes without the line cache: filling one costs about a tenth more
    // (50,000 lines: ~100 ms), and the first diagnostics of a file just opened are the ones
    // waited for. The second lint (the first edit) fills it, the next ones reuse it.
    const cache = this.caches.get(doc.uri);
    if (!cache) this.caches.set(doc.uri, new AsmCache());
    const analysis = new DocumentAnalysis(uriToFile(doc.uri), text, { mode, files: this.files, ...(cache ? { cache } : {}) });
    this.entries.set(doc.uri, { text, mode, generation: this.generation, analysis });
    return analysis;
  }

  /**
   * Lints a file that no document holds yet, so that opening it with this text finds the
   * analysis made. Replaces the one made before for the file.
   */
  prepare(file: string, text: string): void {
    const mode = this.mode();
    const analysis = new DocumentAnalysis(file, text, { mode, files: this.files });
    const stamps = new Map([...analysis.reads].map((f) => [f, this.files.stamp(f)]));
    this.ahead.set(file, { text, mode, generation: this.generation, analysis, stamps });
  }

  /** The analysis made ahead for the document's file, if it is still right for this text. */
  private takeAhead(uri: string, text: string, mode: Mode): Entry | undefined {
    const file = uriToFile(uri);
    const e = this.ahead.get(file);
    if (!e) return undefined;
    this.ahead.delete(file);
    if (e.text !== text || e.mode !== mode || e.generation !== this.generation) return undefined;
    // An included file changed on disk since (clients need not tell the server of it).
    for (const [f, stamp] of e.stamps) if (this.files.stamp(f) !== stamp) return undefined;
    return e;
  }

  /**
   * Drops the analyses made ahead that include `file`: a document for it opened, changed or closed,
   * so they read another text. (The file's own is checked against the text it opens with.)
   */
  forgetAheadReading(file: string): void {
    for (const [f, e] of this.ahead) if (e.analysis.reads.has(file)) this.ahead.delete(f);
  }

  /** Drops the analyses made ahead for another mode (the setting changed): none would be taken. */
  forgetAheadOfOtherModes(): void {
    const mode = this.mode();
    for (const [f, e] of this.ahead) if (e.mode !== mode) this.ahead.delete(f);
  }

  /** The cached analysis, if any, without computing one. */
  peek(uri: string): DocumentAnalysis | undefined {
    return this.entries.get(uri)?.analysis;
  }

  /** Whether the last analysis of `uri` read `file` (it includes it, or tried to). */
  includes(uri: string, file: string): boolean {
    const a = this.peek(uri);
    return a !== undefined && a.file !== file && a.reads.has(file);
  }

  /** Files on disk or other documents changed: every analysis is recomputed on next use. */
  invalidateAll(): void {
    this.generation++;
    this.ahead.clear();
  }

  /** Drops the analysis (the next one is computed afresh); `closed` also drops the line cache. */
  forget(uri: string, closed = false): void {
    this.entries.delete(uri);
    if (closed) this.caches.delete(uri);
  }
}
