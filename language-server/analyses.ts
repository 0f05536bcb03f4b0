// One DocumentAnalysis per open document, reused while its text, the mode setting and the files
// it includes are unchanged: a hover or a repeated request costs a map look-up, not a lint.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AsmCache } from '../core/asm';
import { DocumentAnalysis } from '../core/lang';
import type { Mode } from '../core/run/modes';
import { uriToFile, type WorkspaceFiles } from './workspaceFiles';

interface Entry { readonly text: string; readonly mode: Mode; readonly generation: number; readonly analysis: DocumentAnalysis }

export class Analyses {
  private readonly entries = new Map<string, Entry>();
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
    // A document's first lint goes without the line cache: filling one costs about a tenth more
    // (50,000 lines: ~100 ms), and the first diagnostics of a file just opened are the ones
    // waited for. The second lint (the first edit) fills it, the next ones reuse it.
    const cache = this.caches.get(doc.uri);
    if (!cache) this.caches.set(doc.uri, new AsmCache());
    const analysis = new DocumentAnalysis(uriToFile(doc.uri), text, { mode, files: this.files, ...(cache ? { cache } : {}) });
    this.entries.set(doc.uri, { text, mode, generation: this.generation, analysis });
    return analysis;
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
  invalidateAll(): void { this.generation++; }

  /** Drops the analysis (the next one is computed afresh); `closed` also drops the line cache. */
  forget(uri: string, closed = false): void {
    this.entries.delete(uri);
    if (closed) this.caches.delete(uri);
  }
}
