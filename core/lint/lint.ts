// The analysis: assemble, keep the assembler's diagnostics as they are (RL1xx), then decode every
// emitted instruction back to its Form and flag it by the table's privilege class. Deciding from
// the decoded form, never from the spelling, means aliases, `times`, macros and %include are all
// covered, and the list of flagged instructions is the table's, not a copy of it.

import { assemble } from '../asm';
import { codeBytes, codeSpans } from '../asm/codeSpans';
import { lineEndAt, lineEndLength } from '../asm/preprocess';
import { mixBits } from '../asm/mixBits';
import type { AsmDiagnostic, AsmResult } from '../asm/types';
import { decode, Decoded } from '../disasm';
import { FORMS } from '../isa';
import type { Mode } from '../run/modes';
import { codeEnd, ignoredCodes, modeDirective } from './directives';
import { isControlRegisterMove, pvReplacement } from './hypercalls';
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
  const firstLine = firstLineOf(source);
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
  const lines = new LineSource(source, file, options);
  for (const d of result.diagnostics) {
    // An assembler warning that the line's ringlab-ignore names is silenced, as a finding is. An
    // error is not: the file does not assemble, whatever the comment says.
    if (d.severity === 'warning' && ignoredCodes(lines.line(d.file, d.line))?.has(d.code) === true) continue;
    diagnostics.push({ ...d });
  }
  // After errors, the instructions that assembled still have findings (from the bytes of the last
  // pass), so that they do not vanish while a line is being typed; see privilegeFindings.
  if (mode !== 'native') diagnostics.push(...privilegeFindings(result, lines, mode));
  return { mode, diagnostics, asm: result };
}

/** The text before the first line end (the assembler's: \n, \r\n or \r). */
function firstLineOf(source: string): string {
  return source.slice(0, lineEndAt(source, 0));
}

/** The lint entry point of the brief: the diagnostics only. */
export function lint(source: string, options: LintOptions = {}): LintDiagnostic[] {
  return [...lintSource(source, options).diagnostics];
}

function privilegeFindings(result: AsmResult, lines: LineSource, mode: Mode): LintDiagnostic[] {
  LATEST.lines = lines;
  const out: LintDiagnostic[] = [];
  // `times 4 cli` is one source line: one diagnostic per code and line is enough. Each file's
  // lines hold a bit per code given (1 << CODE_INDEX).
  const seen = new Map<string, Uint8Array>();
  let seenFile = '';
  let seenLines: Uint8Array = new Uint8Array(0);
  /** By form, control register and code: the message after the instruction, and whole messages by instruction. */
  const messages = new Map<number, { readonly rest: string; readonly full: Map<string, string> }>();
  /** Each code's severity under this mode, by CODE_INDEX. */
  const severities = [undefined, severityOf('RL201', mode), severityOf('RL202', mode), severityOf('RL203', mode)];
  const spans = codeSpans(result);
  /** Whether a decoded instruction gets a finding under this mode (before ignore comments). */
  const flagged = (formId: number, imm: number): boolean => {
    const form = formId >= 0 ? FORMS[formId] : undefined;
    return form !== undefined && CODES_BY_CLASS[form.privilege].length > 0 && !exemptByAbi(mode, form, imm);
  };
  /** Reports a flagged instruction of span k. */
  const flag = (k: number, formId: number, reg: number): void => {
    const form = FORMS[formId]!;
    const codes = CODES_BY_CLASS[form.privilege];
    const entryFile = spans.file[k]!, entryLine = spans.line[k]!, entryColumn = spans.column[k]!;
    if (entryFile !== seenFile || entryLine >= seenLines.length) {
      let marks = seen.get(entryFile);
      if (marks === undefined || entryLine >= marks.length) {
        const grown = new Uint8Array(Math.max(1024, 2 * entryLine));
        if (marks !== undefined) grown.set(marks);
        seen.set(entryFile, (marks = grown));
      }
      seenFile = entryFile; seenLines = marks;
    }
    for (let c = 0; c < codes.length; c++) {
      const code = codes[c]!;
      const codeIndex = CODE_INDEX[code];
      const bit = 1 << codeIndex;
      if ((seenLines[entryLine]! & bit) !== 0) continue;
      seenLines[entryLine] = seenLines[entryLine]! | bit;
      const text = lines.line(entryFile, entryLine);
      const ignored = ignoredCodes(text);
      if (ignored && (ignored.size === 0 || ignored.has(code))) continue;
      const severity = severities[codeIndex];
      if (!severity) continue;
      const endColumn = codeEnd(text, entryColumn);
      const instruction = text.slice(entryColumn - 1, endColumn - 1) || form.mnemonic;
      // The text after the instruction depends on the code, the class and the hypercall, which
      // the form (and a MOV to a control register's number) decides: built once per such key.
      const mkey = ((formId * 8 + (isControlRegisterMove(form) ? reg & 7 : 0)) * 4) + codeIndex;
      let byInstruction = messages.get(mkey);
      if (byInstruction === undefined) {
        const hypercall = pvReplacement(form, reg);
        messages.set(mkey, (byInstruction = { rest: messageTail(code, form.privilege, mode, hypercall), full: new Map() }));
      }
      // One string per distinct message: a file repeats its instructions, and every copy of a
      // message would be flattened again when the diagnostics are serialised.
      let message = byInstruction.full.get(instruction);
      if (message === undefined) byInstruction.full.set(instruction, (message = `'${instruction}'${byInstruction.rest}`));
      out.push({ code, severity, message, file: entryFile, line: entryLine, column: entryColumn, endColumn });
    }
  };
  const d = DECODED;
  const { origin } = result;
  const bytes = codeBytes(result);
  // A line with an error of its own may hold guessed bytes (0 for an undefined label): no finding.
  const errorLines = result.ok ? undefined : linesWithErrors(result.diagnostics);
  // Spans with the same bytes key decode alike (most lines of a program repeat an instruction):
  // the formId and reg of their flagged instructions, two numbers each, found once per key.
  const byKey = FLAGGED_BY_KEY;
  byKey.clear();
  for (let k = 0; k < spans.count; k++) {
    if (errorLines !== undefined && errorLines.get(spans.file[k]!)?.has(spans.line[k]!) === true) continue;
    // Sections are laid out in the flat output at their address minus the origin (no vstart).
    const start = spans.addr[k]! - origin;
    const end = Math.min(start + spans.length[k]!, bytes.length);
    const key = spans.bytesKey[k]!;
    if (key < 0) {
      for (let offset = start; offset >= 0 && offset < end;) {
        offset += Math.max(1, decode(bytes, offset, origin + offset, d, end));
        if (flagged(d.formId, d.imm)) flag(k, d.formId, d.reg);
      }
      continue;
    }
    let slot = byKey.slot(key);
    if (slot < 0) {
      const from = byKey.fields.length;
      for (let offset = start; offset >= 0 && offset < end;) {
        offset += Math.max(1, decode(bytes, offset, origin + offset, d, end));
        if (flagged(d.formId, d.imm)) byKey.fields.push(d.formId, d.reg);
      }
      slot = byKey.add(slot, key, from);
    }
    const fields = byKey.fields;
    for (let i = byKey.from[slot]!, to = byKey.to[slot]!; i < to; i += 2) flag(k, fields[i]!, fields[i + 1]!);
  }
  return out;
}

/** The lines (by file) that have an error diagnostic. */
function linesWithErrors(diagnostics: readonly AsmDiagnostic[]): Map<string, Set<number>> {
  const lines = new Map<string, Set<number>>();
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    let set = lines.get(d.file);
    if (set === undefined) lines.set(d.file, (set = new Set()));
    set.add(d.line);
  }
  return lines;
}

/**
 * The flagged instructions of each bytes key: `fields` from[slot] to to[slot] hold their formId
 * and reg, two numbers each. Open addressing on typed arrays: a Map of arrays cost a look-up and
 * an array per key. One table serves every lint (cleared at its start).
 */
class FlaggedByKey {
  private keys = new Int32Array(1024).fill(-1);
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  readonly fields: number[] = [];
  private count = 0;

  clear(): void {
    this.keys.fill(-1);
    this.fields.length = 0;
    this.count = 0;
  }

  /** The slot holding `key` (>= 0), or where it would go, as -1 - slot. */
  slot(key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    // Keys are arena offsets, often close together.
    for (let i = mixBits(key) & mask; ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === key) return i;
      if (k < 0) return -1 - i;
    }
  }

  /** Stores `key` at the free slot -1 - `free`, its fields from `from` to the end of `fields`; returns its slot. */
  add(free: number, key: number, from: number): number {
    let i = -1 - free;
    this.keys[i] = key; this.from[i] = from; this.to[i] = this.fields.length;
    if (2 * ++this.count > this.keys.length) i = this.grow(key);
    return i;
  }

  /** Doubles the table; returns the new slot of `key`. */
  private grow(key: number): number {
    const { keys, from, to } = this;
    const size = keys.length * 2;
    this.keys = new Int32Array(size).fill(-1); this.from = new Int32Array(size); this.to = new Int32Array(size);
    for (let j = 0; j < keys.length; j++) {
      if (keys[j]! < 0) continue;
      const i = -1 - this.slot(keys[j]!);
      this.keys[i] = keys[j]!; this.from[i] = from[j]!; this.to[i] = to[j]!;
    }
    return this.slot(key);
  }
}

/**
 * The decoder's record and the table of flagged instructions by key, reused by every lint (nothing
 * else holds them), and the latest lint's lines, kept until the next lint: objects that outlive the
 * lint keep their hidden classes, and the code optimised for them, through a full GC (see LATEST
 * in core/asm/assembler.ts).
 */
const DECODED = new Decoded();
const FLAGGED_BY_KEY = new FlaggedByKey();
const LATEST: { lines: LineSource | undefined } = { lines: undefined };

const CODE_INDEX: Readonly<Record<LintCode, number>> = { RL201: 1, RL202: 2, RL203: 3 };

/**
 * Lines of the main text and of included files (read once each), for ranges and directives: only
 * the lines with a finding are cut out of the text, found from the last one looked up (findings
 * come in line order, mostly).
 */
class LineSource {
  private readonly texts = new Map<string, string>();
  private file = '';
  private text = '';
  /** A line of `text` (1-based) and the offset of its first character. */
  private atLine = 1;
  private atOffset = 0;

  constructor(source: string, file: string, private readonly options: LintOptions) {
    this.texts.set(file, source);
  }

  line(file: string, line: number): string {
    if (file !== this.file) {
      let text = this.texts.get(file);
      if (text === undefined) {
        text = this.options.files?.read(file) ?? '';
        this.texts.set(file, text);
      }
      this.file = file; this.text = text; this.atLine = 1; this.atOffset = 0;
      this.plain = text.indexOf('\r') < 0;
    }
    const text = this.text;
    if (!(line >= 1)) return '';
    if (line < this.atLine) { this.atLine = 1; this.atOffset = 0; }
    while (this.atLine < line) {
      const end = this.endOf(this.atOffset);
      if (end >= text.length) return '';
      this.atOffset = end + lineEndLength(text, end);
      this.atLine++;
    }
    return text.slice(this.atOffset, this.endOf(this.atOffset));
  }

  /** `text` has no \r: its lines end at \n, found natively (the lint walks every line). */
  private plain = true;

  private endOf(from: number): number {
    if (!this.plain) return lineEndAt(this.text, from);
    const nl = this.text.indexOf('\n', from);
    return nl < 0 ? this.text.length : nl;
  }
}
