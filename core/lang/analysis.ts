// One document as every editor feature sees it: the lint result (diagnostics, and the assembly
// with its symbols and source map) and the name index of the document and of each file it
// %includes. Built once per text; the index is built on first use (diagnostics do not need it).

import type { AsmCache } from '../asm';
import type { AsmSymbol, SourceFiles } from '../asm/types';
import { lintSource, type LintResult } from '../lint';
import type { Mode } from '../run/modes';
import { indexFile, type FileIndex, type IncludeDirective, type SymbolDefinition, type SymbolOccurrence } from './fileIndex';
import { splitLines } from './text';

export interface AnalysisOptions {
  readonly mode: Mode;
  readonly files?: SourceFiles;
  /** Kept by the host per document: a re-lint after an edit parses only the changed lines. */
  readonly cache?: AsmCache;
}

export interface SourceFile {
  readonly file: string;
  readonly text: string;
  readonly lines: readonly string[];
  readonly index: FileIndex;
}

/** A symbol occurrence and the file it is in. */
export interface Located<T> {
  readonly file: string;
  readonly item: T;
}

const MAX_FILES = 64;

export class DocumentAnalysis {
  readonly lint: LintResult;
  /**
   * Every file the lint asked for (%include and incbin, found or not): a change to one of them
   * may change the lint. Known without the name index, which a large document pays for.
   */
  readonly reads: ReadonlySet<string>;
  private filesCache: Map<string, SourceFile> | undefined;
  private symbolsCache: Map<string, AsmSymbol> | undefined;

  constructor(readonly file: string, readonly text: string, readonly options: AnalysisOptions) {
    const reads = new Set<string>();
    const host = options.files;
    const files: SourceFiles | undefined = host && {
      read: (path) => { reads.add(path); return host.read(path); },
      // Only when the host has it: without, the assembler falls back to `read` (through this wrapper).
      ...(host.readBytes ? { readBytes: (path: string, offset: number, length: number) => { reads.add(path); return host.readBytes!(path, offset, length); } } : {}),
      resolve: (from, name) => host.resolve(from, name),
    };
    this.lint = lintSource(text, { file, mode: options.mode, ...(files ? { files } : {}), ...(options.cache ? { cache: options.cache } : {}) });
    this.reads = reads;
  }

  get mode(): Mode { return this.lint.mode; }

  /** The document first, then every file it includes (transitively, each once). */
  get files(): ReadonlyMap<string, SourceFile> {
    if (!this.filesCache) this.filesCache = this.collectFiles();
    return this.filesCache;
  }

  source(file: string): SourceFile | undefined {
    return this.files.get(file);
  }

  /** The assembler's value for a full symbol name (labels and equ), when it assembled that far. */
  symbol(name: string): AsmSymbol | undefined {
    if (!this.symbolsCache) this.symbolsCache = new Map(this.lint.asm.symbols.map((s) => [s.name, s]));
    return this.symbolsCache.get(name);
  }

  /** The occurrence of a symbol under a position (1-based line and column), if any. */
  occurrenceAt(file: string, line: number, column: number): SymbolOccurrence | undefined {
    const src = this.source(file);
    if (!src) return undefined;
    return src.index.occurrences.find((o) => o.line === line && o.column <= column && column <= o.endColumn);
  }

  definitions(name: string): Located<SymbolDefinition>[] {
    const out: Located<SymbolDefinition>[] = [];
    for (const [file, src] of this.files) for (const d of src.index.definitions) if (d.name === name) out.push({ file, item: d });
    return out;
  }

  occurrences(name: string): Located<SymbolOccurrence>[] {
    return this.occurrencesWhere((o) => o.name === name);
  }

  /** Every occurrence that passes a test, file by file in order. */
  occurrencesWhere(test: (o: SymbolOccurrence) => boolean): Located<SymbolOccurrence>[] {
    const out: Located<SymbolOccurrence>[] = [];
    for (const [file, src] of this.files) for (const o of src.index.occurrences) if (test(o)) out.push({ file, item: o });
    return out;
  }

  /** The file a `%include` name under a position brings in, when it was read. */
  includedFileAt(file: string, line: number, column: number): string | undefined {
    const host = this.options.files;
    const inc = this.source(file)?.index.includes.find((i) => i.line === line && i.column <= column && column <= i.endColumn);
    if (!host || !inc) return undefined;
    const path = host.resolve(file, inc.name);
    return this.files.has(path) ? path : undefined;
  }

  /** Every definition of the document and its includes. */
  allDefinitions(): Located<SymbolDefinition>[] {
    const out: Located<SymbolDefinition>[] = [];
    for (const [file, src] of this.files) for (const d of src.index.definitions) out.push({ file, item: d });
    return out;
  }

  /** The %include line of the document through which `file` is included (directly or not). */
  includeSiteOf(file: string): IncludeDirective | undefined {
    const host = this.options.files;
    const main = this.source(this.file);
    if (!host || !main || file === this.file) return undefined;
    for (const inc of main.index.includes) {
      const seen = new Set<string>([this.file]);
      const queue = [host.resolve(this.file, inc.name)];
      while (queue.length > 0) {
        const f = queue.shift()!;
        if (f === file) return inc;
        if (seen.has(f)) continue;
        seen.add(f);
        for (const next of this.source(f)?.index.includes ?? []) queue.push(host.resolve(f, next.name));
      }
    }
    return undefined;
  }

  private collectFiles(): Map<string, SourceFile> {
    const files = new Map<string, SourceFile>();
    const add = (file: string, text: string): void => {
      if (files.has(file) || files.size >= MAX_FILES) return;
      const src: SourceFile = { file, text, lines: splitLines(text), index: indexFile(text) };
      files.set(file, src);
      const host = this.options.files;
      if (!host) return;
      for (const inc of src.index.includes) {
        const path = host.resolve(file, inc.name);
        if (files.has(path)) continue;
        const included = host.read(path);
        if (included !== undefined) add(path, included);
      }
    };
    add(this.file, this.text);
    return files;
  }
}
