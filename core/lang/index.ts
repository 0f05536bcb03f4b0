// core/lang: the editor features behind language-server/, as plain data (no protocol imports):
// one DocumentAnalysis per text, and functions from it to hovers, completions, navigation,
// outline, folding, semantic tokens and quick fixes. Lines and columns are 1-based, as in core/lint.

export { DocumentAnalysis, type AnalysisOptions, type Located, type SourceFile } from './analysis';
export { indexFile, type FileIndex, type FoldRegion, type IncludeDirective, type Span, type SymbolDefinition, type SymbolKind, type SymbolOccurrence } from './fileIndex';
export { hoverAt, instructionHover, type HoverText } from './hover';
export { completionsAt, type CompletionEntry, type CompletionKind } from './completion';
export { definitionAt, outline, referencesAt, renameAt, renameTarget, type FileSpan, type OutlineSymbol, type RenameEdit, type RenameResult } from './navigation';
export { semanticTokens, MODIFIER_BIT, TOKEN_MODIFIERS, TOKEN_TYPES, type SemanticToken } from './semanticTokens';
export { quickFixes, type Finding, type QuickFix, type TextReplacement } from './codeActions';
export { pvSequenceFor, SHARED_INFO_POINTER, type PvSequence } from './pvSequences';
export { registerRole, type RegisterRole } from './registerRoles';
export { tableSampleLines, tableSampleProgram } from './samples';
