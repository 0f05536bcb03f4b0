// The analysis: assemble, keep the assembler's diagnostics as they are (RL1xx), then decode every
// emitted instruction back to its Form and flag it by the table's privilege class. Deciding from
// the decoded form, never from the spelling, means aliases, `times`, macros and %include are all
// covered, and the list of flagged instructions is the table's, not a copy of it.

import { assemble } from '../asm';
import type { AsmResult } from '../asm/types';
import { decode, Decoded } from '../disasm';
import { FORMS, type Form } from '../isa';
import type { Mode } from '../run/modes';
import { codeEnd, ignoredCodes, modeDirective } from './directives';
import { PV_HYPERCALLS } from './hypercalls';
import { CODES_BY_CLASS, exemptByAbi, messageTail, severityOf, type LintCode } from './policy';
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
  const result = assemble(source, { file, ...(options.files ? { files: options.files } : {}), ...(options.cache ? { cache: options.cache } : {}) });
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
  // `times 4 cli` is one source line: one diagnostic per code and line is enough (line * 4 + code).
  const seen = new Map<string, Set<number>>();
  const messages = new Map<string, string>();
  const d = new Decoded();
  const { bytes, origin } = result;
  for (const entry of result.sourceMap) {
    if (!entry.isCode) continue;
    // Sections are laid out in the flat output at their address minus the origin (no vstart).
    let offset = entry.addr - origin;
    const end = Math.min(offset + entry.length, bytes.length);
    while (offset >= 0 && offset < end) {
      const length = decode(bytes, offset, origin + offset, d, end);
      offset += Math.max(1, length);
      const form = d.formId >= 0 ? FORMS[d.formId] : undefined;
      if (!form) continue;
      const codes = CODES_BY_CLASS[form.privilege];
      if (codes.length > 0 && exemptByAbi(mode, form, d.imm)) continue;
      for (let c = 0; c < codes.length; c++) {
        const code = codes[c]!;
        let lineSet = seen.get(entry.file);
        if (!lineSet) seen.set(entry.file, (lineSet = new Set()));
        const key = entry.line * 4 + CODE_INDEX[code];
        if (lineSet.has(key)) continue;
        lineSet.add(key);
        const text = lines.line(entry.file, entry.line);
        const ignored = ignoredCodes(text);
        if (ignored && (ignored.size === 0 || ignored.has(code))) continue;
        const severity = severityOf(code, mode);
        if (!severity) continue;
        const endColumn = codeEnd(text, entry.column);
        const instruction = text.slice(entry.column - 1, endColumn - 1) || form.mnemonic;
        const hypercall = PV_HYPERCALLS[hypercallKey(form, d)];
        // The text after the instruction depends only on these four: build it once each.
        const mkey = `${code}${form.privilege}${hypercall ?? ''}`;
        let rest = messages.get(mkey);
        if (rest === undefined) messages.set(mkey, (rest = messageTail(code, form.privilege, mode, hypercall)));
        out.push({ code, severity, message: `'${instruction}'${rest}`, file: entry.file, line: entry.line, column: entry.column, endColumn });
      }
    }
  }
  return out;
}

const CODE_INDEX: Readonly<Record<LintCode, number>> = { RL201: 1, RL202: 2, RL203: 3 };

/** `mov cr3` for a CR3 write (the only MOV with a hypercall), else the mnemonic. */
function hypercallKey(form: Form, d: Decoded): string {
  if (form.mnemonic === 'mov' && form.operands[0] === 'creg') return `mov cr${d.reg}`;
  return form.mnemonic;
}

/** Lines of the main text and of included files (read once each), for ranges and directives. */
class LineSource {
  private readonly cache = new Map<string, readonly string[]>();
  constructor(source: string, file: string, private readonly options: LintOptions) {
    this.cache.set(file, source.split('\n'));
  }

  line(file: string, line: number): string {
    let lines = this.cache.get(file);
    if (!lines) {
      lines = (this.options.files?.read(file) ?? '').split('\n');
      this.cache.set(file, lines);
    }
    const text = lines[line - 1] ?? '';
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
