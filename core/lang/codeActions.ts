// Quick fixes as plain data: under pv, replace a privileged instruction by its PV ABI sequence
// (pvSequences.ts); for any RL2xx finding, silence its code on the line with `; ringlab-ignore`.

import * as path from 'node:path';
import type { DocumentAnalysis } from './analysis';
import { pvSequenceFor, SHARED_INFO_POINTER } from './pvSequences';

/** A replacement of [line:column, endLine:endColumn) (1-based, end exclusive) in `file`. */
export interface TextReplacement {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  /** The diagnostic code it answers. */
  readonly code: string;
  readonly edits: readonly TextReplacement[];
  readonly preferred: boolean;
}

/** The finding a fix is asked for: a code and the span of its diagnostic. */
export interface Finding {
  /** The file it is in, when not the document's own: one the document includes. */
  readonly file?: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

const COMMENT_COLUMN = 40;

export function quickFixes(analysis: DocumentAnalysis, finding: Finding): QuickFix[] {
  const file = finding.file ?? analysis.file;
  const src = analysis.source(file);
  const text = src?.lines[finding.line - 1];
  if (!src || text === undefined || !/^RL2\d\d$/.test(finding.code) || finding.code === 'RL200') return [];
  const fixes: QuickFix[] = [];
  if (analysis.mode === 'paravirtual' && finding.code === 'RL201') {
    const seq = pvSequenceFor(text.slice(finding.column - 1, finding.endColumn - 1));
    if (seq) {
      const before = text.slice(0, finding.column - 1);
      const indent = /^\s*$/.test(before) ? before : ' '.repeat(before.length);
      const body = seq.lines.map(([insn, comment], i) => {
        const lead = i === 0 ? '' : indent;
        return comment ? `${lead}${insn.padEnd(Math.max(insn.length + 1, COMMENT_COLUMN - indent.length))}; ${comment}` : lead + insn;
      }).join('\n');
      const edits: TextReplacement[] = [{ file, line: finding.line, column: finding.column, endLine: finding.line, endColumn: finding.endColumn, newText: body }];
      if (seq.needsSharedInfo && analysis.definitions(SHARED_INFO_POINTER).length === 0) edits.push(sharedInfoVariable(file, src.lines));
      fixes.push({ title: seq.title, code: finding.code, edits, preferred: true });
    }
  }
  // A finding of an included file is silenced on its own line there, where the lint reads it.
  const where = file === analysis.file ? 'this line' : `line ${finding.line} of ${path.basename(file)}`;
  fixes.push({ title: `Silence ${finding.code} on ${where}`, code: finding.code, edits: [silence(file, finding, text)], preferred: false });
  return fixes;
}

/** Adds the code to the line's `ringlab-ignore` comment, or starts one. */
function silence(file: string, finding: Finding, text: string): TextReplacement {
  const end = text.trimEnd().length + 1;
  const existing = /;.*\bringlab-ignore\b[^;]*$/i.test(text);
  const newText = existing ? ` ${finding.code}` : text.includes(';') ? ` ; ringlab-ignore ${finding.code}` : `  ; ringlab-ignore ${finding.code}`;
  return { file, line: finding.line, column: end, endLine: finding.line, endColumn: end, newText };
}

/** The variable the CLI/STI sequences read, appended at the end of the file. */
function sharedInfoVariable(file: string, lines: readonly string[]): TextReplacement {
  const line = lines.length;
  const column = lines[line - 1]!.length + 1;
  const lead = lines[line - 1]!.length > 0 ? '\n' : '';
  const newText = `${lead}\n; shared_info's address for the PV sequences: store it at entry with\n` +
    `;   mov eax, [esi+16]   ; start_info +16\n;   mov [${SHARED_INFO_POINTER}], eax\n${SHARED_INFO_POINTER}: dd 0\n`;
  return { file, line, column, endLine: line, endColumn: column, newText };
}
