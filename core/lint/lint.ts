// The analysis: assemble, keep the assembler's diagnostics as they are (RL1xx), then decode every
// emitted instruction back to its Form and flag it by the table's privilege class. Deciding from
// the decoded form, never from the spelling, means aliases, `times`, macros and %include are all
// covered, and the list of flagged instructions is the table's, not a copy of it.

import { assemble } from '../asm';
import type { AsmResult, SourceMapEntry } from '../asm/types';
import { decode, Decoded } from '../disasm';
import { FORMS, type Form } from '../isa';
import type { Mode } from '../run/modes';
import { codeEnd, ignoredCodes, modeDirective } from './directives';
import { PV_HYPERCALLS } from './hypercalls';
import { CODES_BY_CLASS, messageFor, severityOf } from './policy';
import { DEFAULT_LINT_MODE, type LintDiagnostic, type LintOptions } from './types';

export interface LintResult {
  /** The mode the file was checked for (the directive's, else the option's, else the default). */
  readonly mode: Mode;
  readonly diagnostics: readonly LintDiagnostic[];
  /** The assembly the findings came from (symbols and source map for hovers and navigation). */
  readonly asm: AsmResult;
}

/** Lints one source text; never throws (the assembler reports its own failures as RL100). */
export function lintSource(source: string, options: LintOptions = {}): LintResult {
  const file = options.file ?? '<input>';
  const diagnostics: LintDiagnostic[] = [];
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  const directive = modeDirective(firstLine);
  let mode = options.mode ?? DEFAULT_LINT_MODE;
  if (directive?.mode) mode = directive.mode;
  else if (directive) {
    // Not in DESIGN's table: a typo in the directive would otherwise silently lint for the wrong mode.
    diagnostics.push({
      code: 'RL200', severity: 'warning', file, line: 1, column: directive.column, endColumn: directive.endColumn,
      message: `unknown mode '${directive.name}' in the mode directive; linting for ${mode}`,
    });
  }
  const result = assemble(source, { file, ...(options.files ? { files: options.files } : {}) });
  for (const d of result.diagnostics) diagnostics.push({ ...d });
  // Without an output there are no bytes to decode: the RL1xx errors come first anyway.
  if (result.ok && mode !== 'native') diagnostics.push(...privilegeFindings(result, source, file, mode, options));
  return { mode, diagnostics, asm: result };
}

/** The lint entry point of the brief: the diagnostics only. */
export function lint(source: string, options: LintOptions = {}): LintDiagnostic[] {
  return [...lintSource(source, options).diagnostics];
}

function privilegeFindings(result: AsmResult, source: string, file: string, mode: Mode, options: LintOptions): LintDiagnostic[] {
  const lines = new LineSource(source, file, options);
  const out: LintDiagnostic[] = [];
  const seen = new Set<string>();
  const d = new Decoded();
  for (const entry of result.sourceMap) {
    if (!entry.isCode) continue;
    for (const form of formsOf(result, entry, d)) {
      for (const code of CODES_BY_CLASS[form.privilege]) {
        // `times 4 cli` is one source line: one diagnostic per code and line is enough.
        const key = `${entry.file}\0${entry.line}\0${code}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const text = lines.line(entry.file, entry.line);
        const ignored = ignoredCodes(text);
        if (ignored && (ignored.size === 0 || ignored.has(code))) continue;
        const severity = severityOf(code, mode);
        if (!severity) continue;
        const endColumn = codeEnd(text, entry.column);
        const instruction = text.slice(entry.column - 1, endColumn - 1) || form.mnemonic;
        const message = messageFor(code, form.privilege, instruction, mode, PV_HYPERCALLS[hypercallKey(form, d)]);
        out.push({ code, severity, message, file: entry.file, line: entry.line, column: entry.column, endColumn });
      }
    }
  }
  return out;
}

/** The forms of the instructions an entry emitted (several for `times`); `d` keeps the last. */
function formsOf(result: AsmResult, entry: SourceMapEntry, d: Decoded): Form[] {
  const forms: Form[] = [];
  // Sections are laid out in the flat output at their address minus the origin (no vstart).
  let offset = entry.addr - result.origin;
  const end = Math.min(offset + entry.length, result.bytes.length);
  while (offset >= 0 && offset < end) {
    const length = decode(result.bytes, offset, result.origin + offset, d, end);
    const form = d.formId >= 0 ? FORMS[d.formId] : undefined;
    if (form) forms.push(form);
    offset += Math.max(1, length);
  }
  return forms;
}

/** `mov cr3` for a CR3 write (the only MOV with a hypercall), else the mnemonic. */
function hypercallKey(form: Form, d: Decoded): string {
  if (form.mnemonic === 'mov' && form.operands[0] === 'creg') return `mov cr${d.reg}`;
  return form.mnemonic;
}

/** Lines of the main text and of included files (read once each), for ranges and directives. */
class LineSource {
  private readonly cache = new Map<string, readonly string[]>();
  constructor(source: string, file: string, private readonly options: LintOptions) {
    this.cache.set(file, source.split(/\r?\n/));
  }

  line(file: string, line: number): string {
    let lines = this.cache.get(file);
    if (!lines) {
      lines = (this.options.files?.read(file) ?? '').split(/\r?\n/);
      this.cache.set(file, lines);
    }
    return lines[line - 1] ?? '';
  }
}
