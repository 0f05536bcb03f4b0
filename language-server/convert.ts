// core's plain data to LSP types: 1-based lines and columns to 0-based positions, severities,
// symbol and completion kinds. No decisions here, only translation.

import {
  CompletionItemKind, DiagnosticSeverity, SymbolKind,
  type CompletionItem, type Diagnostic, type DocumentSymbol, type Range, type TextEdit,
} from 'vscode-languageserver';
import type { CompletionEntry, CompletionKind, OutlineSymbol, Span, SymbolKind as CoreSymbolKind, TextReplacement } from '../core/lang';
import type { LintDiagnostic, LintSeverity } from '../core/lint';

export const SOURCE = 'ringlab';

export function rangeOf(s: Span): Range {
  return { start: { line: s.line - 1, character: s.column - 1 }, end: { line: s.line - 1, character: s.endColumn - 1 } };
}

const SEVERITY: Readonly<Record<LintSeverity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information,
};

export function toDiagnostic(d: LintDiagnostic): Diagnostic {
  return { range: rangeOf(d), severity: SEVERITY[d.severity], code: d.code, source: SOURCE, message: d.message };
}

export function toTextEdit(r: TextReplacement): TextEdit {
  return {
    range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } },
    newText: r.newText,
  };
}

const COMPLETION_KIND: Readonly<Record<CompletionKind, CompletionItemKind>> = {
  mnemonic: CompletionItemKind.Keyword, register: CompletionItemKind.Variable, label: CompletionItemKind.Function,
  constant: CompletionItemKind.Constant, macro: CompletionItemKind.Constant, directive: CompletionItemKind.Keyword,
  keyword: CompletionItemKind.Keyword, hypercall: CompletionItemKind.Value,
};

export function toCompletionItem(e: CompletionEntry): CompletionItem {
  return {
    label: e.label, kind: COMPLETION_KIND[e.kind], detail: e.detail,
    sortText: `${e.sortGroup}${e.label}`,
    ...(e.insertText !== undefined ? { insertText: e.insertText, filterText: e.insertText } : {}),
  };
}

const OUTLINE_KIND: Readonly<Record<CoreSymbolKind, SymbolKind>> = {
  label: SymbolKind.Function, equ: SymbolKind.Constant, macro: SymbolKind.Constant,
};

export function toDocumentSymbol(s: OutlineSymbol, lines: readonly string[]): DocumentSymbol {
  return {
    name: s.name, kind: OUTLINE_KIND[s.kind],
    range: { start: { line: s.startLine - 1, character: 0 }, end: { line: s.endLine - 1, character: lines[s.endLine - 1]?.length ?? 0 } },
    selectionRange: rangeOf(s.selection),
    children: s.children.map((c) => toDocumentSymbol(c, lines)),
  };
}
