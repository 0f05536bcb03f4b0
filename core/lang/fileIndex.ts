// One file's names, as plain data: label and equ definitions, every use of a symbol, the
// %include lines and the foldable regions. Built from the text alone (no assembly), so it is
// there even while the file does not assemble, and it is cached per text by the caller.

import { lineShape, operandRole } from './lineShape';
import { scanLine, type Token } from './scan';
import { splitLines } from './text';

export type SymbolKind = 'label' | 'equ' | 'macro';

/** A place in a file: 1-based line and column, endColumn just past the name (as LintDiagnostic). */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

export interface SymbolOccurrence extends Span {
  /** The full name: `.loop` under `start:` is `start.loop`, as the assembler names it. */
  readonly name: string;
  readonly definition: boolean;
}

export interface SymbolDefinition extends SymbolOccurrence {
  readonly kind: SymbolKind;
  /** A `.local` label, written with its dot. */
  readonly local: boolean;
  /** The label a `.local` label is under ('' for other symbols and for a `.local` before any label). */
  readonly parent: string;
  /** `.local` names after it are under this label: a label whose name has no leading dot (not `..@x`). */
  readonly opensScope: boolean;
}

export interface IncludeDirective extends Span {
  /** The name as written between the quotes. */
  readonly name: string;
}

export interface FoldRegion {
  /** 1-based first and last line. */
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: 'region' | 'comment';
}

export interface FileIndex {
  readonly lineCount: number;
  readonly definitions: readonly SymbolDefinition[];
  readonly occurrences: readonly SymbolOccurrence[];
  readonly includes: readonly IncludeDirective[];
  readonly folds: readonly FoldRegion[];
}

const MACRO_DEFINERS: ReadonlySet<string> = new Set(['%define', '%idefine', '%xdefine', '%xidefine', '%assign', '%iassign']);

export function indexFile(text: string): FileIndex {
  const lines = splitLines(text);
  const definitions: SymbolDefinition[] = [];
  const occurrences: SymbolOccurrence[] = [];
  const includes: IncludeDirective[] = [];
  const folds: FoldRegion[] = [];
  const conditionals: number[] = [];
  let scope = '';
  let labelStart = 0;
  let commentStart = 0;
  let lastCode = 0;
  const closeLabel = (before: number): void => {
    if (labelStart > 0 && lastCode > labelStart && lastCode < before) folds.push({ startLine: labelStart, endLine: lastCode, kind: 'region' });
  };
  const closeComment = (lineNo: number): void => {
    if (commentStart > 0 && lineNo - 1 > commentStart) folds.push({ startLine: commentStart, endLine: lineNo - 1, kind: 'comment' });
    commentStart = 0;
  };
  for (let k = 0; k < lines.length; k++) {
    const text = lines[k]!;
    const lineNo = k + 1;
    const tokens = scanLine(text);
    if (tokens.length === 1 && tokens[0]!.kind === 'comment') {
      if (commentStart === 0) commentStart = lineNo;
      continue;
    }
    closeComment(lineNo);
    if (tokens.length === 0) continue;
    const shape = lineShape(text, tokens);
    if (shape.preprocessor >= 0) {
      preprocessorLine(text, tokens, lineNo, { definitions, occurrences, includes, folds, conditionals });
      lastCode = lineNo;
      continue;
    }
    const at = (t: Token, name: string, definition: boolean): SymbolOccurrence =>
      ({ name, definition, line: lineNo, column: t.start + 1, endColumn: t.end + 1 });
    if (shape.label >= 0) {
      const t = tokens[shape.label]!;
      const written = text.slice(t.start, t.end);
      const local = isLocal(written);
      const name = local ? scope + written : written;
      // As the assembler's defineLabel (core/asm/parser.ts): no dotted name opens a scope, `..@x` included.
      const opensScope = !shape.equ && written.charCodeAt(0) !== 46;
      const def: SymbolDefinition = { ...at(t, name, true), kind: shape.equ ? 'equ' : 'label', local, parent: local ? scope : '', opensScope };
      if (opensScope) {
        closeLabel(lineNo);
        scope = written;
        labelStart = lineNo;
      }
      definitions.push(def);
      occurrences.push(def);
    }
    for (const r of shape.refs) {
      const t = tokens[r]!;
      const written = text.slice(t.start, t.end);
      occurrences.push(at(t, isLocal(written) ? scope + written : written, false));
    }
    if (shape.label >= 0 || shape.ops.length > 0) lastCode = lineNo;
  }
  closeComment(lines.length + 1);
  closeLabel(Number.MAX_SAFE_INTEGER);
  return { lineCount: lines.length, definitions, occurrences, includes, folds };
}

function isLocal(name: string): boolean {
  return name.charCodeAt(0) === 46 && name.charCodeAt(1) !== 46;
}

interface Sink {
  definitions: SymbolDefinition[];
  occurrences: SymbolOccurrence[];
  includes: IncludeDirective[];
  folds: FoldRegion[];
  conditionals: number[];
}

function preprocessorLine(text: string, tokens: readonly Token[], lineNo: number, sink: Sink): void {
  const directive = text.slice(tokens[0]!.start, tokens[0]!.end).toLowerCase();
  const second = tokens[1];
  if (directive === '%include' && second?.kind === 'string') {
    sink.includes.push({ name: text.slice(second.start + 1, second.end - 1), line: lineNo, column: second.start + 1, endColumn: second.end + 1 });
  } else if (MACRO_DEFINERS.has(directive) && second?.kind === 'identifier') {
    const def: SymbolDefinition = {
      name: text.slice(second.start, second.end), definition: true, kind: 'macro', local: false, parent: '', opensScope: false,
      line: lineNo, column: second.start + 1, endColumn: second.end + 1,
    };
    sink.definitions.push(def);
    sink.occurrences.push(def);
    // The body uses names too (`%define LIMIT BASE+4`), except the parameters of `%define f(a, b)`.
    const params = new Set<string>();
    let body = 2;
    if (tokens[2]?.start === second.end && text.charCodeAt(second.end) === 40 /* ( */) {
      for (; body < tokens.length && text.charCodeAt(tokens[body]!.start) !== 41 /* ) */; body++) {
        const t = tokens[body]!;
        if (t.kind === 'identifier') params.add(text.slice(t.start, t.end));
      }
      body++;
    }
    preprocessorUses(text, tokens, body, params, lineNo, sink);
  } else {
    if (directive.startsWith('%if')) sink.conditionals.push(lineNo);
    else if (directive === '%endif') {
      const start = sink.conditionals.pop();
      if (start !== undefined && lineNo > start) sink.folds.push({ startLine: start, endLine: lineNo, kind: 'region' });
    }
    if (usesNames(directive)) preprocessorUses(text, tokens, 1, new Set(), lineNo, sink);
  }
}

/** Directives whose operands may be %define'd names: the conditionals (not those on contexts or environment variables), %undef, %rep. */
function usesNames(directive: string): boolean {
  return /^%(el)?if/.test(directive) ? !/(ctx|env)$/.test(directive) : directive === '%undef' || directive === '%rep';
}

/** Uses of names in a preprocessor line from token `from` on (`%if DEBUG`, `%undef DEBUG`). */
function preprocessorUses(text: string, tokens: readonly Token[], from: number, skip: ReadonlySet<string>, lineNo: number, sink: Sink): void {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = text.slice(t.start, t.end);
    if (t.kind !== 'identifier' || skip.has(name) || operandRole(name) !== 'symbol') continue;
    // `%%x`, `%$x` are macro-local and context names; a `.local` resolves where the line expands, not here.
    const prev = tokens[i - 1]!;
    if (name.charCodeAt(0) === 46 || (prev.end === t.start && text.charCodeAt(prev.start) === 37 /* % */)) continue;
    sink.occurrences.push({ name, definition: false, line: lineNo, column: t.start + 1, endColumn: t.end + 1 });
  }
}
