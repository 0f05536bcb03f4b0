// A document's diagnostics: its own findings as they are, and the errors and warnings of the
// files it %includes shown on the %include line (with the real place as related information),
// since a client shows diagnostics only for the URI they are published under.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import * as path from 'node:path';
import type { DocumentAnalysis } from '../core/lang';
import { rangeOf, toDiagnostic } from './convert';
import type { WorkspaceFiles } from './workspaceFiles';

export function documentDiagnostics(analysis: DocumentAnalysis, files: WorkspaceFiles): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of analysis.lint.diagnostics) {
    if (d.file === analysis.file) {
      out.push(toDiagnostic(d));
      continue;
    }
    if (d.severity === 'info') continue;
    const site = analysis.includeSiteOf(d.file);
    if (!site) continue;
    const own = toDiagnostic(d);
    out.push({
      ...own,
      range: rangeOf(site),
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      message: `${path.basename(d.file)}:${d.line}:${d.column}: ${d.message}`,
      relatedInformation: [{ location: { uri: files.uriOf(d.file), range: own.range }, message: d.message }],
    });
  }
  return out;
}
