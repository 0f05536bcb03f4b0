// The linter's output: one shape for the assembler's RL1xx errors and the RL2xx findings, so the
// CLI and (later) the language server map a single list to text, JSON or LSP diagnostics.

import type { AsmCache } from '../asm';
import type { SourceFiles } from '../asm/types';
import type { Mode } from '../run/modes';

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintDiagnostic {
  readonly code: string;
  readonly severity: LintSeverity;
  readonly message: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based column of the first character. */
  readonly column: number;
  /** 1-based column just past the flagged text (editor ranges are half-open). */
  readonly endColumn: number;
}

export interface LintOptions {
  /** Name used in diagnostics for the main text. */
  readonly file?: string;
  /** Host access for %include (the assembler's SourceFiles). */
  readonly files?: SourceFiles;
  /** Target mode; a first-line `; ringlab: mode=M` in the source wins over it. */
  readonly mode?: Mode;
  /** The assembler's line cache for this document (an editor re-lints it on every change). */
  readonly cache?: AsmCache;
}

/** What `ringlab lint` and the language server assume when nothing names a mode. */
export const DEFAULT_LINT_MODE: Mode = 'trap-and-emulate';
