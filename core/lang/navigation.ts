// Go to definition, references, rename and the outline, over the document and its includes.
// Names are the assembler's full names, so `.loop` under two labels are two symbols.

import { word } from '../asm/words';
import type { DocumentAnalysis, Located } from './analysis';
import type { Span, SymbolDefinition, SymbolKind, SymbolOccurrence } from './fileIndex';

export interface FileSpan extends Span {
  readonly file: string;
}

export interface RenameEdit extends FileSpan {
  readonly newText: string;
}

export interface OutlineSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  /** The name's own span. */
  readonly selection: Span;
  /** 1-based first and last line the symbol covers (a label: up to the next label). */
  readonly startLine: number;
  readonly endLine: number;
  readonly children: readonly OutlineSymbol[];
}

const at = (l: Located<SymbolOccurrence>): FileSpan => ({ file: l.file, line: l.item.line, column: l.item.column, endColumn: l.item.endColumn });

export function definitionAt(analysis: DocumentAnalysis, file: string, line: number, column: number): FileSpan[] {
  const o = analysis.occurrenceAt(file, line, column);
  return o ? analysis.definitions(o.name).map(at) : [];
}

export function referencesAt(analysis: DocumentAnalysis, file: string, line: number, column: number, includeDeclaration: boolean): FileSpan[] {
  const o = analysis.occurrenceAt(file, line, column);
  if (!o) return [];
  return analysis.occurrences(o.name).filter((l) => includeDeclaration || !l.item.definition).map(at);
}

/** The span that would be renamed at a position (the name under it), or undefined. */
export function renameTarget(analysis: DocumentAnalysis, file: string, line: number, column: number): SymbolOccurrence | undefined {
  const o = analysis.occurrenceAt(file, line, column);
  return o && analysis.definitions(o.name).length > 0 ? o : undefined;
}

export type RenameResult = { readonly edits: readonly RenameEdit[] } | { readonly error: string };

/**
 * Edits that rename the symbol under a position everywhere it occurs. A local label keeps its
 * dot form: `.loop` renamed to `again` (or `.again`) becomes `.again` where it was written
 * short and `parent.again` where written in full.
 */
export function renameAt(analysis: DocumentAnalysis, file: string, line: number, column: number, newName: string): RenameResult {
  const o = renameTarget(analysis, file, line, column);
  if (!o) return { error: 'no label, constant or macro defined in this file or its includes here' };
  const def = analysis.definitions(o.name)[0]!.item;
  const parent = def.local ? o.name.slice(0, o.name.lastIndexOf('.')) : '';
  const shortNew = def.local ? (newName.startsWith('.') ? newName : `.${newName}`) : newName;
  const bare = shortNew.replace(/^\./, '');
  const w = word(bare);
  if (!/^[A-Za-z_?$@][\w.?$#@~]*$/.test(bare) || (!def.local && shortNew.startsWith('.')) || w.keyword || w.register || w.size) {
    return { error: `'${newName}' is not a valid ${def.local ? 'local ' : ''}name` };
  }
  const newFull = def.local ? parent + shortNew : shortNew;
  if (analysis.definitions(newFull).length > 0) return { error: `'${newFull}' is already defined` };
  const edits: RenameEdit[] = [];
  for (const l of analysis.occurrences(o.name)) {
    const written = analysis.source(l.file)!.lines[l.item.line - 1]!.slice(l.item.column - 1, l.item.endColumn - 1);
    edits.push({ ...at(l), newText: def.local && written.startsWith('.') ? shortNew : newFull });
  }
  return { edits };
}

/** The outline of one file: top-level labels, constants and macros, local labels under their label. */
export function outline(analysis: DocumentAnalysis, file: string): OutlineSymbol[] {
  const src = analysis.source(file);
  if (!src) return [];
  const defs = src.index.definitions;
  const top: { def: SymbolDefinition; children: SymbolDefinition[] }[] = [];
  for (const d of defs) {
    const parent = top[top.length - 1];
    if (d.local && parent && d.name.startsWith(parent.def.name + '.')) parent.children.push(d);
    else top.push({ def: d, children: [] });
  }
  const last = src.index.lineCount;
  const endOf = (i: number, list: readonly SymbolDefinition[], limit: number): number => {
    // A label covers the lines up to the next label of its level; a constant or macro its line.
    if (list[i]!.kind !== 'label') return list[i]!.line;
    for (let j = i + 1; j < list.length; j++) if (list[j]!.kind === 'label') return Math.max(list[i]!.line, list[j]!.line - 1);
    return limit;
  };
  const tops = top.map((t) => t.def);
  return top.map((t, i) => {
    const endLine = endOf(i, tops, last);
    return {
      name: t.def.name, kind: t.def.kind, selection: spanOf(t.def), startLine: t.def.line, endLine,
      children: t.children.map((c, j) => ({
        name: c.name.slice(t.def.name.length), kind: c.kind, selection: spanOf(c), startLine: c.line,
        endLine: Math.min(endLine, endOf(j, t.children, endLine)), children: [],
      })),
    };
  });
}

function spanOf(d: Span): Span {
  return { line: d.line, column: d.column, endColumn: d.endColumn };
}
