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

/** Where the name under a position is defined; on a `%include` line's name, the top of the file it brings in. */
export function definitionAt(analysis: DocumentAnalysis, file: string, line: number, column: number): FileSpan[] {
  const o = analysis.occurrenceAt(file, line, column);
  if (o) return analysis.definitions(o.name).map(at);
  const included = analysis.includedFileAt(file, line, column);
  return included !== undefined ? [{ file: included, line: 1, column: 1, endColumn: 1 }] : [];
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
 * short and `parent.again` where written in full. A label's name is also the prefix of the names
 * under it written in full (`start.loop`), which change with it.
 */
export function renameAt(analysis: DocumentAnalysis, file: string, line: number, column: number, newName: string): RenameResult {
  const o = renameTarget(analysis, file, line, column);
  if (!o) return { error: 'no label, constant or macro defined in this file or its includes here' };
  const def = analysis.definitions(o.name)[0]!.item;
  const shortNew = def.local ? (newName.startsWith('.') ? newName : `.${newName}`) : newName;
  if (!(def.local ? LOCAL_NAME.test(shortNew) : isGlobalName(shortNew))) {
    return { error: `'${newName}' is not a valid ${def.local ? 'local ' : ''}name` };
  }
  const newFull = def.local ? def.parent + shortNew : shortNew;
  const prefix = o.name + '.';
  const under = (name: string): boolean => def.kind === 'label' && name.startsWith(prefix);
  const renamed = (name: string): string => newFull + name.slice(o.name.length);
  for (const { item } of analysis.allDefinitions()) {
    if (item.name !== o.name && !under(item.name)) continue;
    if (analysis.definitions(renamed(item.name)).length > 0) return { error: `'${renamed(item.name)}' is already defined` };
  }
  const edits: RenameEdit[] = [];
  for (const l of analysis.occurrencesWhere((x) => x.name === o.name || under(x.name))) {
    const written = analysis.source(l.file)!.lines[l.item.line - 1]!.slice(l.item.column - 1, l.item.endColumn - 1);
    // A name under the label written short (`.loop`) follows its scope label: nothing to edit.
    if (l.item.name === o.name) edits.push({ ...at(l), newText: def.local && written.startsWith('.') ? shortNew : newFull });
    else if (written === l.item.name) edits.push({ ...at(l), newText: renamed(written) });
  }
  return { edits };
}

/** A local label is its dot and any identifier characters, as NASM reads them: `.loop`, `.eax`, `.5`, not `..x`. */
const LOCAL_NAME = /^\.(?!\.)[\w.?$#@~]+$/;

/** Any other name must also not read as a keyword, register or size word. */
function isGlobalName(name: string): boolean {
  const w = word(name);
  return /^[A-Za-z_?$@][\w.?$#@~]*$/.test(name) && !w.keyword && !w.register && !w.size;
}

/** The outline of one file: top-level labels, constants and macros, local labels under their label. */
export function outline(analysis: DocumentAnalysis, file: string): OutlineSymbol[] {
  const src = analysis.source(file);
  if (!src) return [];
  const top: { def: SymbolDefinition; children: SymbolDefinition[] }[] = [];
  let scope: (typeof top)[number] | undefined;
  for (const d of src.index.definitions) {
    // A local label goes under the label that opened its scope, even past a constant or a `..@` label.
    if (d.local && scope && scope.def.name === d.parent) {
      scope.children.push(d);
      continue;
    }
    top.push({ def: d, children: [] });
    if (d.opensScope) scope = top[top.length - 1];
  }
  const last = src.index.lineCount;
  // A label covers the lines up to the next label that ends it; a constant or macro its line.
  const endOf = (i: number, list: readonly SymbolDefinition[], limit: number, ends: (d: SymbolDefinition) => boolean): number => {
    if (list[i]!.kind !== 'label') return list[i]!.line;
    for (let j = i + 1; j < list.length; j++) if (ends(list[j]!)) return Math.max(list[i]!.line, list[j]!.line - 1);
    return limit;
  };
  const tops = top.map((t) => t.def);
  return top.map((t, i) => {
    const endLine = endOf(i, tops, last, (d) => d.opensScope);
    return {
      name: t.def.name, kind: t.def.kind, selection: spanOf(t.def), startLine: t.def.line, endLine,
      children: t.children.map((c, j) => ({
        name: c.name.slice(t.def.name.length), kind: c.kind, selection: spanOf(c), startLine: c.line,
        endLine: Math.min(endLine, endOf(j, t.children, endLine, (d) => d.kind === 'label')), children: [],
      })),
    };
  });
}

function spanOf(d: Span): Span {
  return { line: d.line, column: d.column, endColumn: d.endColumn };
}
