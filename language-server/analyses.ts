// One DocumentAnalysis per open document, reused while its text, the mode setting and the files
// it includes are unchanged: a hover or a repeated request costs a map look-up, not a lint. A file
// not open may have one kept for its opening, taken when it opens with the same text: made ahead
// for the workspace's files (lintAhead.ts), or its own last one when its document closed (an
// editor closes and reopens files all the time: VS Code's preview tabs, a file left and come back
// to). Those kept total at most LIMITS.lines lines; past that, the oldest go first.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AsmCache } from '../core/asm';
import { DocumentAnalysis } from '../core/lang';
import type { Mode } from '../core/run/modes';
import { LIMITS, lineCount } from './lintAhead';
import { uriToFile, type WorkspaceFiles } from './workspaceFiles';

interface Entry {
  readonly text: string;
  readonly mode: Mode;
  readonly analysis: DocumentAnalysis;
  /** What the files it read were on disk when it was made (WorkspaceFiles.stamp). */
  readonly stamps: ReadonlyMap<string, string>;
}
/** An analysis kept for a file's opening, with its text's line count (the budget's unit). */
interface KeptEntry extends Entry { readonly lines: number }

export class Analyses {
  private readonly entries = new Map<string, Entry>();
  /** Analyses kept for a file's opening, by file path (a client may spell its URI its own way);
   * in the order they were kept, the oldest first. */
  private readonly ahead = new Map<string, KeptEntry>();
  /** The lines of all of `ahead`'s texts. */
  private aheadLines = 0;
  /** Each document's parsed lines, kept across its edits. */
  private readonly caches = new Map<string, AsmCache>();

  constructor(private readonly files: WorkspaceFiles, private readonly mode: () => Mode, private readonly keptLines = LIMITS.lines) {}

  get(doc: TextDocument): DocumentAnalysis {
    const text = doc.getText();
    const mode = this.mode();
    const old = this.entries.get(doc.uri);
    if (old && old.text === text && old.mode === mode) return old.analysis;
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
    this.entries.set(doc.uri, { text, mode, analysis, stamps: this.stampsOf(analysis) });
    return analysis;
  }

  /**
   * Lints a file that no document holds yet, so that opening it with this text finds the
   * analysis made. Replaces the one made before for the file.
   */
  prepare(file: string, text: string): void {
    const mode = this.mode();
    const analysis = new DocumentAnalysis(file, text, { mode, files: this.files });
    this.keep(file, { text, mode, analysis, stamps: this.stampsOf(analysis) });
  }

  /**
   * The document closed: its analysis is kept for the file's next opening, if it is a file's
   * (`file:`) and still right for the mode and the files on disk. Its line cache is dropped.
   */
  close(uri: string): void {
    const e = this.entries.get(uri);
    this.forget(uri, true);
    const file = uriToFile(uri);
    if (e !== undefined && file !== uri && e.mode === this.mode()) this.keep(file, e);
  }

  /** Keeps `e` for `file`'s opening, in place of the one kept before; the oldest go past the budget. */
  private keep(file: string, e: Entry): void {
    this.drop(file);
    const lines = lineCount(e.text);
    if (lines > this.keptLines) return;
    this.ahead.set(file, { ...e, lines });
    this.aheadLines += lines;
    for (const f of this.ahead.keys()) {
      if (this.aheadLines <= this.keptLines) break;
      this.drop(f);
    }
  }

  private drop(file: string): void {
    const e = this.ahead.get(file);
    if (e === undefined) return;
    this.ahead.delete(file);
    this.aheadLines -= e.lines;
  }

  private stampsOf(analysis: DocumentAnalysis): ReadonlyMap<string, string> {
    const stamps = new Map<string, string>();
    for (const f of analysis.reads) stamps.set(f, this.files.stamp(f));
    return stamps;
  }

  /** The analysis kept for the document's file, if it is still right for this text. */
  private takeAhead(uri: string, text: string, mode: Mode): Entry | undefined {
    const file = uriToFile(uri);
    const e = this.ahead.get(file);
    if (!e) return undefined;
    this.drop(file);
    if (e.text !== text || e.mode !== mode) return undefined;
    // An included file changed on disk since (clients need not tell the server of it).
    for (const [f, stamp] of e.stamps) if (this.files.stamp(f) !== stamp) return undefined;
    return e;
  }

  /**
   * Drops the analyses kept that include `file`: a document for it opened, changed or closed, so
   * they read another text. (The file's own is checked against the text it opens with.)
   */
  forgetAheadReading(file: string): void {
    for (const [f, e] of this.ahead) if (e.analysis.reads.has(file)) this.drop(f);
  }

  /** Drops the analyses kept for another mode (the setting changed): none would be taken. */
  forgetAheadOfOtherModes(): void {
    const mode = this.mode();
    for (const [f, e] of this.ahead) if (e.mode !== mode) this.drop(f);
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

  /**
   * Files changed on disk (created, changed or deleted): drops every analysis that read one. Returns
   * the open documents whose analysis did, to lint again; the kept ones go (and the changed files'
   * own, whose text is old).
   */
  changedOnDisk(changed: ReadonlySet<string>): string[] {
    const readsAny = (a: DocumentAnalysis): boolean => {
      for (const f of a.reads) if (changed.has(f)) return true;
      return false;
    };
    const stale: string[] = [];
    for (const [uri, e] of this.entries) {
      if (readsAny(e.analysis)) { this.entries.delete(uri); stale.push(uri); }
    }
    for (const [f, e] of this.ahead) if (changed.has(f) || readsAny(e.analysis)) this.drop(f);
    return stale;
  }

  /** Drops the analysis (the next one is computed afresh); `closed` also drops the line cache. */
  forget(uri: string, closed = false): void {
    this.entries.delete(uri);
    if (closed) this.caches.delete(uri);
  }
}
