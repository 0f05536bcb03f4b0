// Assembler diagnostics as compilers print them: `FILE:LINE:COL: error: message [RL1xx]`.

import type { AsmDiagnostic } from '../core/asm/types';

export function formatDiagnostic(d: AsmDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Writes every diagnostic to stderr; returns how many were errors. */
export function reportDiagnostics(diagnostics: readonly AsmDiagnostic[]): number {
  let errors = 0;
  for (const d of diagnostics) {
    process.stderr.write(formatDiagnostic(d) + '\n');
    if (d.severity === 'error') errors++;
  }
  return errors;
}
