// NASM's preprocessor, the part RingLab supports: `\` line continuation, %define/%idefine (with
// and without parameters), %undef, %assign, %include (through SourceFiles), and the conditional
// family %if/%ifdef/%ifndef/%elif/%else/%endif. Produces logical lines that keep their origin.
// A line ends at \n, \r\n or a lone \r, as in NASM and LSP (splitSourceLines), and at ^Z as in
// NASM, keeping the editor's line numbers (splitAtCtrlZ).

import { Cursor, Evaluator, parseExpr, SyntaxError2, type EvalEnv } from './expression';
import { isIdChar, lex } from './lexer';
import type { AsmDiagnostic, SourceFiles } from './types';

export interface SourceLine {
  readonly text: string;
  readonly file: string;
  readonly line: number;
}

/**
 * The logical lines as three parallel arrays rather than one object per line: a large file has
 * 100,000 lines, and objects that live until the end of the assembly are copied by every
 * scavenge (index k of each array is the k-th line).
 */
export class SourceLines {
  texts: string[] = [];
  files: string[] = [];
  lines: number[] = [];
  get length(): number { return this.texts.length; }
  push(text: string, file: string, line: number): void { this.texts.push(text); this.files.push(file); this.lines.push(line); }

  /** Takes a whole file's lines as they are, into empty lines: its array itself, no copy line by line. */
  adopt(texts: string[], file: string): void {
    const n = texts.length;
    this.texts = texts;
    // A native fill and a plain loop: map calls a function per line (three times as long).
    this.files = new Array<string>(n).fill(file);
    const lines = new Array<number>(n);
    for (let i = 0; i < n; i++) lines[i] = i + 1;
    this.lines = lines;
  }
}

/** Every line end: \r\n first, so that it is one. */
const LINE_END = /\r\n?|\n/;

/**
 * Whether a \r at or after `from` (the first \r of the text, or -1) is not followed by \n: a lone
 * \r, which ends a line as \n does. One indexOf per \r, so a \r\n text pays one quick scan.
 */
function hasLoneCR(text: string, from: number): boolean {
  for (let i = from; i >= 0; i = text.indexOf('\r', i + 2)) if (text.charCodeAt(i + 1) !== 10 /* \n */) return true;
  return false;
}

/**
 * A source text's lines, without their line ends, as NASM 2.16 reads them: a line ends at \n, at
 * \r\n or at a lone \r, wherever it is (in a string or a comment too). These are LSP's line ends
 * too, so the assembler's line numbers are the editor's. Every split of a source into lines
 * (the preprocessor's, the editor features') goes through this rule.
 */
export function splitSourceLines(text: string): string[] {
  const cr = text.indexOf('\r');
  if (cr < 0) return text.split('\n');
  if (hasLoneCR(text, cr)) return text.split(LINE_END);
  return dropCR(text.split('\n'));
}

/** Drops the \r that ends a line (of a split on \n), in place. */
function dropCR(lines: string[]): string[] {
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    if (l.charCodeAt(l.length - 1) === 13 /* \r */) lines[k] = l.slice(0, -1);
  }
  return lines;
}

/**
 * Where the line that starts at `from` ends (its \r or \n, or the text's length), for a caller
 * that walks a text line by line without splitting it; the next line starts after lineEndLength.
 */
export function lineEndAt(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  const end = nl < 0 ? text.length : nl;
  // Not indexOf('\r'): in a text without one it would read to the end for every line.
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === 13 /* \r */) return i;
  return end;
}

/** The length of the line end at `at` (2 for \r\n, 1 for \r or \n, 0 at the end of the text). */
export function lineEndLength(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c === 13 ? (text.charCodeAt(at + 1) === 10 ? 2 : 1) : c === 10 ? 1 : 0;
}

/**
 * NASM also ends a line at ^Z (0x1A, MS-DOS's end-of-file mark), wherever it is; an editor does
 * not, so the line numbers stay the editor's: a line with a ^Z becomes several lines of the same
 * number, each after the first led by spaces to keep its columns (the ^Z among them). In place;
 * the line number of each line.
 */
function splitAtCtrlZ(lines: string[]): number[] {
  const out: string[] = [];
  const numbers: number[] = [];
  for (let k = 0; k < lines.length; k++) {
    const parts = lines[k]!.split('\x1a');
    let at = 0;
    for (const part of parts) {
      out.push(' '.repeat(at) + part);
      numbers.push(k + 1);
      at += part.length + 1;
    }
  }
  lines.splice(0, lines.length, ...out);
  return numbers;
}

interface Macro {
  /** The parameters' names ('' for an empty place, which takes an argument but names none), or undefined without a list. */
  readonly params: readonly string[] | undefined;
  readonly body: string;
  readonly caseless: boolean;
  /** The last parameter was written `name+`: it takes the remaining arguments, commas and all. */
  readonly greedy?: boolean;
}

/** Where a conditional level is: before its %else, after it, or past a branch NASM ignores. */
const enum AfterElse { No, Yes, Ignored }

/**
 * A %else or %elif after the level's %else: NASM warns (once; not when the whole %if is in a
 * dead branch, whose levels never warn) and ignores the content up to %endif. The level's new
 * activity.
 */
function ignoredAfterElse(top: [boolean, boolean, boolean, AfterElse], directive: string, diag: (m: string, code?: string, severity?: 'error' | 'warning') => void): boolean {
  if (top[3] === AfterElse.Yes && top[2]) diag(`\`${directive}' after \`%else', ignoring content`, 'RL100', 'warning');
  top[3] = AfterElse.Ignored;
  top[0] = false;
  return false;
}

/** The directives `run` handles (completion offers them); keep in step with its switches. */
export const PREPROCESSOR_DIRECTIVES: readonly string[] = [
  'define', 'idefine', 'xdefine', 'xidefine', 'undef', 'assign', 'iassign', 'include',
  'if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'else', 'endif', 'error', 'warning', 'line', 'pragma',
];

const MAX_INCLUDE_DEPTH = 32;
const MAX_EXPANSIONS = 64;

export class Preprocessor {
  readonly lines = new SourceLines();
  readonly diagnostics: AsmDiagnostic[] = [];
  private readonly macros = new Map<string, Macro>();
  private readonly caseless = new Map<string, Macro>();
  private readonly includeStack: string[] = [];
  /** The line being read, for the expansion's warnings. */
  private file = '';
  private lineNo = 0;
  /** Lines (file, line and macro) already warned of a call with the wrong argument count. */
  private readonly countWarned = new Set<string>();

  constructor(private readonly files: SourceFiles | undefined, defines: Readonly<Record<string, string>> | undefined) {
    for (const [k, v] of Object.entries(defines ?? {})) this.macros.set(k, { params: undefined, body: v, caseless: false });
  }

  run(text: string, file: string): void {
    this.includeStack.push(file);
    // A line ends at \n, \r\n or a lone \r: the lines come without their ends.
    const raw = splitSourceLines(text);
    // Each line's number, when a ^Z made some source lines into several (else line k is k + 1).
    const numbers = text.indexOf('\x1a') < 0 ? undefined : splitAtCtrlZ(raw);
    if (numbers === undefined && this.macros.size + this.caseless.size === 0 && text.indexOf('%') < 0 && text.indexOf('\\') < 0) {
      // No directive, macro or continuation anywhere: every line is a logical line as it is.
      if (this.lines.length === 0) this.lines.adopt(raw, file);
      else for (let idx = 0; idx < raw.length; idx++) this.lines.push(raw[idx]!, file, idx + 1);
      this.includeStack.pop();
      return;
    }
    // Conditional stack: each level is [active, anyBranchTaken, parentActive, after %else].
    const cond: Array<[boolean, boolean, boolean, AfterElse]> = [];
    let active = true;
    for (let idx = 0; idx < raw.length; idx++) {
      let line = raw[idx]!;
      const lineNo = numbers === undefined ? idx + 1 : numbers[idx]!;
      this.file = file; this.lineNo = lineNo;
      // Character codes rather than endsWith: this loop visits every line of every assembly.
      while (line.charCodeAt(line.length - 1) === 92 /* \ */ && idx + 1 < raw.length) line = line.slice(0, -1) + raw[++idx]!;
      const first = firstNonSpace(line);
      if (first >= 0 && line.charCodeAt(first) === 37 /* % */) {
        const m = /^%([a-zA-Z]+)\b\s*(.*)$/.exec(line.slice(first));
        const name = m ? m[1]!.toLowerCase() : '';
        const rest = m ? stripComment(m[2]!) : '';
        const col = first + 1;
        const diag = (message: string, code = 'RL100', severity: 'error' | 'warning' = 'error'): void => {
          this.diagnostics.push({ code, severity, message, file, line: lineNo, column: col, endColumn: line.length + 1 });
        };
        switch (name) {
          case 'if': case 'ifdef': case 'ifndef': {
            // A condition that cannot be evaluated takes no branch of its %if, not even %else (NASM).
            const v: boolean | undefined = active ? this.condition(name, rest, diag) : false;
            cond.push([v === true, v !== false, active, AfterElse.No]);
            active = active && v === true;
            continue;
          }
          case 'elif': case 'elifdef': case 'elifndef': {
            const top = cond[cond.length - 1];
            if (!top) { diag(`%${name} without %if`); continue; }
            if (top[3] !== AfterElse.No) { active = ignoredAfterElse(top, `%${name}`, diag); continue; }
            const v: boolean | undefined = top[2] && !top[1] ? this.condition(name.replace('el', ''), rest, diag) : false;
            top[0] = v === true; top[1] = top[1] || v !== false;
            active = top[2] && v === true;
            continue;
          }
          case 'else': {
            const top = cond[cond.length - 1];
            if (!top) { diag('%else without %if'); continue; }
            if (top[3] !== AfterElse.No) { active = ignoredAfterElse(top, '%else', diag); continue; }
            top[0] = !top[1]; top[1] = true; top[3] = AfterElse.Yes;
            active = top[2] && top[0];
            continue;
          }
          case 'endif': {
            const top = cond.pop();
            if (!top) { diag('%endif without %if'); continue; }
            active = top[2];
            continue;
          }
        }
        if (!active) continue;
        switch (name) {
          case 'define': case 'idefine': case 'xdefine': case 'xidefine': this.define(rest, name.includes('i'), name.startsWith('x'), diag); continue;
          case 'undef': {
            const k = rest.trim();
            if (k === '') { diag('%undef expects a macro name'); continue; }
            this.macros.delete(k); this.caseless.delete(k.toLowerCase());
            continue;
          }
          case 'assign': case 'iassign': {
            const mm = /^([A-Za-z_.?$@\u0080-\uffff][\w.?$#@~\u0080-\uffff]*)\s+(.*)$/.exec(rest.trim());
            if (!mm) { diag('%assign expects a name and an expression'); continue; }
            const v = this.evaluate(this.expand(mm[2]!), diag);
            if (v !== undefined) this.setMacro(mm[1]!, { params: undefined, body: String(v), caseless: name === 'iassign' });
            continue;
          }
          case 'include': this.include(rest, file, diag); continue;
          case 'macro': case 'imacro': case 'rep': {
            diag(`%${name} is not supported`, 'RL110');
            // Skip the block so its body is not assembled as ordinary lines.
            const endName = name === 'rep' ? '%endrep' : '%endmacro';
            while (idx + 1 < raw.length && !raw[idx + 1]!.trim().toLowerCase().startsWith(endName)) idx++;
            idx++;
            continue;
          }
          case 'error': diag(rest.trim() || '%error'); continue;
          case 'warning': diag(rest.trim() || '%warning', 'RL100', 'warning'); continue;
          case 'line': if (rest.trim() === '') diag('%line expects a line number'); continue;
          case 'pragma': continue;
          default: diag(name ? `unknown preprocessor directive '%${name}'` : 'malformed preprocessor directive', name ? 'RL110' : 'RL100'); continue;
        }
      }
      if (!active) continue;
      this.lines.push(this.macros.size + this.caseless.size > 0 ? this.expand(line) : line, file, lineNo);
    }
    if (cond.length > 0) {
      this.diagnostics.push({ code: 'RL100', severity: 'error', message: 'expected %endif before the end of the file', file, line: numbers?.[raw.length - 1] ?? raw.length, column: 1, endColumn: 2 });
    }
    this.includeStack.pop();
  }

  private setMacro(name: string, m: Macro): void {
    if (m.caseless) this.caseless.set(name.toLowerCase(), m); else this.macros.set(name, m);
  }

  private define(rest: string, caseless: boolean, expandNow: boolean, diag: (m: string, code?: string) => void): void {
    const mm = /^([A-Za-z_.?$@\u0080-\uffff][\w.?$#@~\u0080-\uffff]*)(.*)$/.exec(rest.trim());
    if (!mm) { diag('%define expects a macro name'); return; }
    let after = mm[2]!;
    let params: string[] | undefined;
    let greedy = false;
    // A `(` right after the name opens a parameter list (after a blank, it starts the body).
    if (after.charCodeAt(0) === 40 /* ( */) {
      const list = parameterList(after);
      if ('errors' in list) { for (const e of list.errors) diag(e, list.code); return; }
      ({ params, greedy } = list);
      after = after.slice(list.end);
    }
    const body = after.trimStart();
    this.setMacro(mm[1]!, { params, body: expandNow ? this.expand(body) : body, caseless, greedy });
  }

  private include(rest: string, from: string, diag: (m: string, code?: string) => void): void {
    const mm = /^["'<](.*)["'>]$/.exec(rest.trim());
    if (!mm) { diag('%include expects a file name in quotes', 'RL106'); return; }
    if (!this.files) { diag(`cannot include '${mm[1]}': no file access`, 'RL106'); return; }
    const path = this.files.resolve(from, mm[1]!);
    if (this.includeStack.includes(path)) { diag(`recursive %include of '${mm[1]}'`, 'RL106'); return; }
    if (this.includeStack.length >= MAX_INCLUDE_DEPTH) { diag('%include nested too deeply', 'RL106'); return; }
    const text = this.files.read(path);
    if (text === undefined) { diag(`unable to open include file '${mm[1]}'`, 'RL106'); return; }
    this.run(text, path);
  }

  /** The value of a %if/%ifdef/%ifndef condition, or undefined when it cannot be evaluated (after a report). */
  private condition(kind: string, rest: string, diag: (m: string, code?: string) => void): boolean | undefined {
    if (kind === 'ifdef' || kind === 'ifndef') {
      const name = rest.trim();
      const defined = this.macros.has(name) || this.caseless.has(name.toLowerCase());
      return kind === 'ifdef' ? defined : !defined;
    }
    const text = this.expand(rest.replace(/\bdefined\s*\(\s*([^)\s]+)\s*\)/g, (_m, n: string) => (this.macros.has(n) ? '1' : '0')));
    const v = this.evaluate(text, diag);
    return v === undefined ? undefined : v !== 0;
  }

  private evaluate(text: string, diag: (m: string, code?: string) => void): number | undefined {
    try {
      const toks = lex(text);
      // Nothing to evaluate (`%if` as typed, before its condition): NASM's message.
      if (toks.length === 1) { diag('expression syntax error'); return undefined; }
      const c = new Cursor(toks);
      const e = parseExpr(c);
      const ev = new Evaluator();
      const env: EvalEnv = { symbol: () => undefined, section: -1, here: 0 };
      ev.env = env;
      const v = ev.eval(e);
      if (ev.error) { diag(ev.error, 'RL107'); return undefined; }
      if (ev.u) { diag('non-constant value in preprocessor expression', 'RL107'); return undefined; }
      return v;
    } catch (err) {
      if (err instanceof SyntaxError2) { diag(err.message, err.code); return undefined; }
      throw err;
    }
  }

  /** Replaces macro names outside strings and comments, rescanning the result (bounded). */
  expand(line: string): string {
    for (let round = 0; round < MAX_EXPANSIONS; round++) {
      const r = this.expandOnce(line);
      if (r === line) return line;
      line = r;
    }
    return line;
  }

  /** NASM's warning for a call of a macro with parameters with another number of arguments (it is left as it is). */
  private wrongCount(name: string, args: number, start: number, end: number): void {
    const key = `${this.file}\u0000${this.lineNo}\u0000${name}\u0000${args}`;
    if (this.countWarned.has(key)) return;
    this.countWarned.add(key);
    this.diagnostics.push({
      code: 'RL100', severity: 'warning', message: `single-line macro \`${name}' exists, but not taking ${args} parameter${args === 1 ? '' : 's'}`,
      file: this.file, line: this.lineNo, column: start + 1, endColumn: end + 1,
    });
  }

  private expandOnce(line: string): string {
    let out = '';
    let i = 0;
    const n = line.length;
    let changed = false;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === 59) { out += line.slice(i); break; }
      if (c === 39 || c === 34 || c === 96) {
        const close = line.indexOf(line[i]!, i + 1);
        const end = close < 0 ? n : close + 1;
        out += line.slice(i, end); i = end; continue;
      }
      if (isIdChar(c) && !(c >= 48 && c <= 57)) {
        let j = i + 1;
        while (j < n && isIdChar(line.charCodeAt(j))) j++;
        const name = line.slice(i, j);
        const m = this.macros.get(name) ?? this.caseless.get(name.toLowerCase());
        if (m) {
          if (m.params === undefined) { out += m.body; i = j; changed = true; continue; }
          const args = parseArgs(line, j);
          const count = m.params.length;
          if (args && count > 0 && args.values.length !== count && !(m.greedy === true && args.values.length > count)) this.wrongCount(name, args.values.length, i, j);
          if (args && (args.values.length === count || (m.greedy === true && args.values.length > count))) {
            const values = m.greedy === true ? [...args.values.slice(0, count - 1), args.values.slice(count - 1).join(',')] : args.values;
            let body = m.body;
            m.params.forEach((p, k) => { if (p !== '') body = body.replace(new RegExp(`(?<![\\w.$?@#~])${escapeRe(p)}(?![\\w.$?@#~])`, 'g'), values[k]!.trim()); });
            out += body; i = args.end; changed = true; continue;
          }
        }
        out += name; i = j; continue;
      }
      if (c >= 48 && c <= 57) {
        let j = i + 1;
        while (j < n && isIdChar(line.charCodeAt(j))) j++;
        out += line.slice(i, j); i = j; continue;
      }
      out += line[i]; i++;
    }
    return changed ? out : line;
  }
}

/**
 * A %define's parameter list, `text` starting at its `(`, read as NASM 2.16 reads it: places
 * separated by commas, each a name or empty (`f(a,)` takes two arguments), the last one may be
 * `name+` (greedy); the list and where it ends (after its `)`), or NASM's errors. NASM's `=`, `&`
 * and `!` parameter marks are not supported (RL110).
 */
function parameterList(text: string): { params: string[]; greedy: boolean; end: number } | { errors: string[]; code: string } {
  const params: string[] = [];
  const errors: string[] = [];
  const item = /[^\s,()]+/y;
  let i = 1;
  /** The current place's name ('' while it has none); whether that name ends in `+`; whether any place was named. */
  let place = '';
  let greedy = false;
  let named = false;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) {
      // NASM's words: before any name, a name was wanted; after one, the `)`.
      errors.push(named ? "`)' expected to terminate macro template" : 'parameter identifier expected');
      return { errors, code: 'RL100' };
    }
    const c = text[i]!;
    if (c === ')') {
      if (errors.length > 0) return { errors, code: 'RL100' };
      // `()` has no place; `(a)`, `(a,)` and `(,)` have one per comma and one more.
      if (place !== '' || params.length > 0) params.push(place);
      return { params, greedy, end: i + 1 };
    }
    if (c === ',') {
      if (greedy) errors.push('greedy parameter must be last');
      params.push(place); place = ''; i++;
      continue;
    }
    item.lastIndex = i;
    const tok = item.exec(text)?.[0] ?? c;
    i += tok.length;
    const m = /^([=&!]*)([A-Za-z_.?$@\u0080-\uffff][\w.?$#@~\u0080-\uffff]*)(\+?)$/.exec(tok);
    if (m === null || place !== '') { errors.push(`garbage \`${tok}' in macro parameter list`); continue; }
    if (m[1] !== '') return { errors: [`the parameter mark '${m[1]}' of NASM 2.16 is not supported`], code: 'RL110' };
    place = m[2]!; named = true; greedy = m[3] === '+';
  }
}

function parseArgs(line: string, i: number): { values: string[]; end: number } | undefined {
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  if (line[i] !== '(') return undefined;
  const values: string[] = [];
  let depth = 0;
  let cur = '';
  for (let j = i + 1; j < line.length; j++) {
    const ch = line[j]!;
    if (ch === '(') depth++;
    if (ch === ')' && depth-- === 0) { values.push(cur); return { values: values.length === 1 && values[0]!.trim() === '' ? [] : values, end: j + 1 }; }
    if (ch === ',' && depth === 0) { values.push(cur); cur = ''; continue; }
    cur += ch;
  }
  return undefined;
}

function escapeRe(s: string): string { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c !== 32 && c !== 9) return i; }
  return -1;
}

function stripComment(s: string): string {
  let q = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (q) { if (ch === q) q = ''; continue; }
    if (ch === '"' || ch === "'" || ch === '`') q = ch;
    else if (ch === ';') return s.slice(0, i);
  }
  return s;
}
