// Turns each preprocessed line into a statement (label, instruction, data, directive) once;
// the passes then only evaluate and encode. Syntax errors become diagnostics, never exceptions.

import type { Form, InstructionDef } from '../isa';
import { Cursor, E, parseExpr, SyntaxError2, type Expr } from './expression';
import { decodeUtf8, ID_CHAR, T, isBlank, isIdChar, isIdStart, lex, type Token } from './lexer';
import { parseOperand, type Operand } from './operands';
import type { InsnStmt } from './encoder';
import type { SectionAttrs } from './sections';
import type { SourceLine } from './preprocess';
import type { AsmDiagnostic, FileRefused, SourceFiles } from './types';
import { DIRECTIVES, Prefix, word, type Word } from './words';

export const enum S { Empty, Insn, Data, Res, Equ, Org, Section, Align, Times, Incbin }

export interface DataItem {
  /** A string operand (bytes as char codes), or undefined for an expression. */
  readonly str: string | undefined;
  readonly expr: Expr | undefined;
  readonly start: number;
  readonly end: number;
}

export interface Label { readonly name: string; readonly start: number; readonly end: number }

/** One parsed line. A class with every field set in the constructor, so all statements share one
 * shape and the passes' property reads stay monomorphic. It holds only what every statement
 * needs: an assembly keeps one per line (100,000 for a large file) until the end, and every byte
 * of it is copied by the garbage collector, so what only directives use lives in `x`. It does not
 * know its line (the assembler keeps each statement's line index beside it), so the lines of a
 * repeated instruction without a label share one Stmt. */
export class Stmt {
  // Fields are declared and set in the constructor, in this order, rather than initialised where
  // declared: V8 runs field initialisers as a separate function, a call per statement until the
  // constructor is optimised (the first lint of a large file makes 20,000 statements cold).
  declare readonly kind: S;
  declare readonly label: Label | undefined;
  /** Column (0-based) where the statement proper starts, for the source map. */
  declare readonly col: number;
  declare readonly end: number;
  declare insn: InsnStmt | undefined;
  /** The assembler's symbol-table entry for `label` (set by its first definition; valid only in
   * the assembly that set it, as a statement may be reused by the next one). */
  declare sym: unknown;
  /** The fields of directives (data, times, equ, section...); undefined for Insn and Empty. */
  declare readonly x: StmtExtra | undefined;

  constructor(kind: S, label: Label | undefined, col: number, end: number) {
    this.kind = kind;
    this.label = label;
    this.col = col;
    this.end = end;
    this.insn = undefined;
    this.sym = undefined;
    this.x = kind === S.Insn || kind === S.Empty ? undefined : new StmtExtra();
  }
}

/** What directive statements carry beside Stmt's common fields. */
export class StmtExtra {
  /** Element width in bytes for data and reservations. */
  width: number | undefined = undefined;
  items: readonly DataItem[] | undefined = undefined;
  expr: Expr | undefined = undefined;
  inner: Stmt | undefined = undefined;
  sectionName: string | undefined = undefined;
  attrs: SectionAttrs | undefined = undefined;
  alignB: boolean | undefined = undefined;
  data: Uint8Array | undefined = undefined;
  /** Bytes of a position-independent data statement, filled by its first clean encoding: where
   * they start in the assembler's constant-bytes arena and how many (-1: not cached). Instructions
   * keep theirs in InsnStmt, which identical lines share. */
  cacheAt = -1;
  cacheLen = 0;
  /** Columns of `expr` in the line (0-based, end exclusive), for messages about the count. */
  exprStart = 0;
  exprEnd = 0;
  /** The counts a chain of TIMES replaced (`times 2 times 3 nop`: the 2), checked but not used. */
  replacedCounts: { readonly expr: Expr; readonly start: number; readonly end: number }[] | undefined = undefined;
  /** The assembly (its number) in which this TIMES count was not known when first met: NASM
   * rejects it even once defined (0: none). */
  forwardIn = 0;
}

const DATA_WIDTH: Record<string, number> = { db: 1, dw: 2, dd: 4, dq: 8 };
const RES_WIDTH: Record<string, number> = { resb: 1, resw: 2, resd: 4, resq: 8, rest: 10, reso: 16 };
/** A mnemonic's assemblable forms with a given operand count, and whether one is relative. */
interface FormsByCount { readonly forms: Form[]; relative: boolean }
const formCache = new Map<InstructionDef, FormsByCount[]>();
function formsFor(def: InstructionDef, count: number): FormsByCount {
  let byCount = formCache.get(def);
  if (!byCount) {
    byCount = [0, 1, 2, 3, 4].map(() => ({ forms: [], relative: false }));
    for (const f of def.forms) {
      if (f.decodeOnly || f.operands.length > 4) continue;
      const slot = byCount[f.operands.length]!;
      slot.forms.push(f);
      if (f.operands.some((k) => k.startsWith('rel'))) slot.relative = true;
    }
    formCache.set(def, byCount);
  }
  return byCount[count] ?? NO_FORMS;
}
const NO_FORMS: FormsByCount = { forms: [], relative: false };

export class LineParser {
  /** Last non-local label: the scope of `.local` names. */
  scope = '';
  /** Labels that set `scope` so far, and files read (incbin): a line cache must know both. */
  scopeSets = 0;
  fileReads = 0;
  readonly diagnostics: AsmDiagnostic[] = [];
  /** One cursor for every line (the lexer reuses its tokens too). */
  private readonly c = new Cursor([]);
  /**
   * Instructions of labelled lines and of TIMES and align, by their line's text up to the comment:
   * a line repeated verbatim shares one parsed instruction and, through it, one constant encoding
   * (label-less instruction lines are shared through `repeats`). Lines naming `.local` labels are
   * left out, as their meaning depends on the scope.
   */
  private readonly seen = new Map<string, ParsedInsn>();
  /** End of the current line's key in `seen` (its text before the comment), or -1 when it must not be shared. */
  private keyEnd = -1;
  /** The text `keyEnd` refers to (the line, or its primitive-directive form). */
  private keyText = '';
  /**
   * Instruction lines without label or `.local` name, by their text before the comment (see
   * repeatKeyEnd): a repeat is recognised before lexing (most lines of a large program are such
   * repeats, and lexing was the larger part of parsing them), whatever its comment says. Only
   * lines that parsed without a diagnostic go here.
   */
  private readonly repeats = new Map<string, Stmt>();

  constructor(private readonly files: SourceFiles | undefined) {}

  private diag(src: SourceLine, message: string, code: string, start: number, end: number, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ code, severity, message, file: src.file, line: src.line, column: start + 1, endColumn: Math.max(end, start + 1) + 1 });
  }

  /** The line being parsed: one object reused for every line (the statements do not keep it). */
  private readonly src = { text: '', file: '', line: 0 };

  /** The statement of one line; a repeated label-less instruction line returns the same Stmt. */
  parse(text: string, file: string, line: number): Stmt | undefined {
    const rawEnd = repeatKeyEnd(text);
    const lineKey = rawEnd < 0 ? text : trimmedPrefix(text, rawEnd);
    // Blanks and a comment only: the lexer would give no token, so no statement.
    if (lineKey.length === 0) return undefined;
    // `name:` alone (a fifth of a typical file) needs no tokens either.
    if (lineKey.charCodeAt(lineKey.length - 1) === 58 /* : */) {
      const st = this.labelOnly(lineKey);
      if (st !== undefined) return st;
    }
    const repeat = this.repeats.get(lineKey);
    if (repeat !== undefined) return repeat;
    this.lineKey = lineKey;
    this.lineKeyEnd = rawEnd;
    const src = this.src;
    src.text = text; src.file = file; src.line = line;
    const st = this.parseText(src);
    if (st !== undefined && st.kind === S.Insn && st.label === undefined && this.keyEnd >= 0 && this.keyIsLine &&
        this.diagnostics.length === this.diagsBefore) {
      this.repeats.set(this.sharedKey(), st);
    }
    return st;
  }

  /**
   * The statement of one line by the full path (lexer, then parser) without the shortcuts `parse`
   * takes for repeated, blank and label-only lines: the tests hold the shortcuts to it.
   */
  parseFull(text: string, file: string, line: number): Stmt | undefined {
    this.lineKey = '';
    this.lineKeyEnd = -1;
    const src = this.src;
    src.text = text; src.file = file; src.line = line;
    return this.parseText(src);
  }

  /** The current line's repeat key: most lines' key in `seen` and `repeats` is this very string. */
  private lineKey = '';
  /** Where lineKey ended before its trailing blanks were dropped (see repeatKeyEnd). */
  private lineKeyEnd = -1;
  /** `keyText` is the line as given (not rewritten from `[directive]` form). */
  private keyIsLine = true;

  /**
   * The line's text before its comment, without the blanks before it: its key in `seen` and
   * `repeats`. Two lines with the same key have the same tokens, so the same statement.
   */
  private sharedKey(): string {
    // The lexer stopped where repeatKeyEnd did: the same prefix, trimmed alike.
    if (this.keyIsLine && this.keyEnd === this.lineKeyEnd) return this.lineKey;
    const end = trimmedEnd(this.keyText, this.keyEnd);
    // Both are prefixes of the line: of equal length, they are equal (and the hash is computed).
    if (this.keyIsLine && this.lineKey.length === end) return this.lineKey;
    return this.keyText.slice(0, end);
  }

  private diagsBefore = 0;

  private parseText(src: SourceLine): Stmt | undefined {
    this.diagsBefore = this.diagnostics.length;
    let text = src.text;
    let toks = lex(text);
    if (toks.length === 1) return undefined;
    // `[bits 32]`, `[org 0x7c00]`: NASM's primitive-directive brackets, a `[` after spaces and tabs
    // only (known from the first token: no scan of the indentation on every line).
    const t0 = toks[0]!;
    if (t0.t === T.Op && t0.text === '[' && onlySpacesBefore(text, t0.start)) {
      const inner = primitiveDirective(text);
      if (inner !== text) { text = inner; toks = lex(text); }
    }
    const c = this.c;
    c.reset(toks, this.scope);
    // Only the end of the key: instruction statements slice it, other lines never need it.
    this.keyEnd = shareableKeyEnd(toks);
    this.keyText = text;
    this.keyIsLine = text === src.text;
    let label: Label | undefined;
    try {
      const first = c.peek;
      if (first.t === T.Id) {
        const second = toks[1]!;
        const colon = second.t === T.Op && second.text === ':';
        if (colon || (!word(first.text).keyword || first.value === 1) && (second.t === T.End || (second.t === T.Id && word(second.text).keyword))) {
          if (!colon && second.t === T.End) this.diag(src, 'label alone on a line without a colon might be in error', 'RL100', first.start, first.end, 'warning');
          const isEqu = second.t === T.Id && word(second.text).lower === 'equ';
          label = this.defineLabel(first.text, first.start, first.end, !isEqu);
          c.scope = this.scope;
          c.next();
          if (colon) c.next();
        }
      }
      if (c.peek.t === T.End) return new Stmt(S.Empty, label, label ? label.start : 0, label ? label.end : 0);
      return this.statement(c, src, label, false);
    } catch (err) {
      if (!(err instanceof SyntaxError2)) throw err;
      this.diag(src, err.message, err.code, err.start, err.end);
      return label ? new Stmt(S.Empty, label, label.start, label.end) : undefined;
    }
  }

  /**
   * The statement of a line that is a label and its colon, blanks around them, or undefined for
   * any other line: exactly what parseText makes of it (an identifier then `:` is a label whatever
   * the word, and such a line has no diagnostic), without lexing. `key` is the line's repeat key.
   */
  private labelOnly(key: string): Stmt | undefined {
    const n = key.length;
    let i = 0;
    while (i < n && isBlank(key.charCodeAt(i))) i++;
    const start = i;
    const c = key.charCodeAt(i);
    // The lexer's identifier start (`$name` and `?` alone are not handled here).
    if (!isIdStart(c) || (c === 63 /* ? */ && !(i + 1 < n && isIdChar(key.charCodeAt(i + 1))))) return undefined;
    i++;
    for (; i < n; i++) {
      const d = key.charCodeAt(i);
      if (d < 128 && ID_CHAR[d] === 0) break;
    }
    const end = i;
    while (i < n && isBlank(key.charCodeAt(i))) i++;
    if (i !== n - 1) return undefined; // something between the name and the final colon
    const label = this.defineLabel(key.slice(start, end), start, end, true);
    return new Stmt(S.Empty, label, start, end);
  }

  private defineLabel(name: string, start: number, end: number, setsScope: boolean): Label {
    const full = name.charCodeAt(0) === 46 && name.charCodeAt(1) !== 46 ? this.scope + name : name;
    if (setsScope && name.charCodeAt(0) !== 46) { this.scope = name; this.scopeSets++; }
    return { name: full, start, end };
  }

  /** The statement at the cursor: the line's own, or (`inner`) the one a TIMES or align carries. */
  private statement(c: Cursor, src: SourceLine, label: Label | undefined, inner: boolean): Stmt {
    const t = c.peek;
    const col = t.start;
    if (t.t !== T.Id) c.fail(t.t === T.Bad ? t.quote : 'instruction, directive or label expected');
    const w = word(t.text);
    if (w.directive) {
      c.next();
      return this.directive(w.lower, c, src, label, t);
    }
    if (label === undefined && !inner) {
      // A label-less instruction line is parsed once: `repeats` finds its repeats before lexing
      // (it parses without a diagnostic, or throws), so an entry in `seen` would never be read.
      const insn = this.instruction(c, w);
      const st = new Stmt(S.Insn, undefined, col, c.toks[c.i - 1]!.end);
      st.insn = insn;
      return st;
    }
    const key = this.keyEnd < 0 ? undefined : this.sharedKey();
    let parsed = key === undefined ? undefined : this.seen.get(key);
    if (parsed === undefined) {
      const insn = this.instruction(c, w);
      parsed = { insn, end: c.toks[c.i - 1]!.end, bare: undefined };
      if (key !== undefined) this.seen.set(key, parsed);
    } else c.i = c.toks.length - 1;
    // Same text before the comment, so the same column: label-less lines share one statement.
    if (label === undefined && parsed.bare !== undefined && parsed.bare.col === col) return parsed.bare;
    const st = new Stmt(S.Insn, label, col, parsed.end);
    st.insn = parsed.insn;
    if (label === undefined && key !== undefined) parsed.bare = st;
    return st;
  }

  /** The instruction at the cursor, whose first word is `w`. */
  private instruction(c: Cursor, w: Word): InsnStmt {
    let rep = 0, lock = false, segPrefix = -1, o16 = false, a16 = false;
    let t = c.next();
    for (;;) {
      const p = w.prefix;
      const sreg = w.register !== undefined && w.register.cls === 'sreg' ? w.register : undefined;
      if (p === Prefix.None && sreg === undefined) break;
      if (p === Prefix.Lock) lock = true;
      else if (p === Prefix.Rep) rep = 0xf3;
      else if (p === Prefix.Repne) rep = 0xf2;
      else if (p === Prefix.O16) o16 = true;
      else if (p === Prefix.A16) a16 = true;
      else if (sreg) segPrefix = sreg.num;
      const nt = c.peek.t as T;
      if (nt !== T.Id) {
        if (nt === T.End) return prefixOnly(lock, rep, segPrefix, o16, a16);
        c.fail('instruction expected after prefix');
      }
      t = c.next();
      w = word(t.text);
    }
    const def = w.mnemonic;
    if (!def) c.fail(`unknown instruction '${t.text}'`, t, 'RL101');
    // Operands go to a scratch list first: the statement keeps an array of exactly their number
    // (a literal grown by push would keep room for 17 for as long as the assembly lives).
    const scratch = OPERANDS;
    scratch.clear();
    if (c.peek.t !== T.End) {
      for (;;) {
        scratch.add(parseOperand(c));
        if (c.isOp(',')) { c.next(); continue; }
        if ((c.peek.t as T) !== T.End) c.fail(`comma, or end of line expected`);
        break;
      }
    }
    if (scratch.count > 3) c.fail('too many operands', c.toks[0]!, 'RL102');
    const ops = scratch.take();
    const byCount = formsFor(def!, ops.length);
    const cacheable = !byCount.relative && allConstant(ops);
    return { def: def!, forms: byCount.forms, ops, rep, lock, segPrefix, o16, a16, cacheAt: -1, cacheLen: 0, cacheable, branch: undefined };
  }

  private directive(w: string, c: Cursor, src: SourceLine, label: Label | undefined, t: Token): Stmt {
    const at = (kind: S): Stmt => new Stmt(kind, label, t.start, src.text.length);
    const width = DATA_WIDTH[w];
    if (width !== undefined) {
      const st = at(S.Data);
      st.x!.width = width;
      st.x!.items = this.dataItems(c, w);
      return st;
    }
    const resWidth = RES_WIDTH[w];
    if (resWidth !== undefined) {
      const st = at(S.Res);
      st.x!.width = resWidth;
      st.x!.expr = parseExpr(c);
      this.expectEnd(c);
      return st;
    }
    switch (w) {
      case 'times': {
        const st = at(S.Times);
        const x = st.x!;
        // A TIMES after the count replaces it (NASM repeats `times 2 times 3 nop` three times, and
        // still checks the 2): read in a loop, so that a chain of any length costs no stack.
        for (;;) {
          x.exprStart = c.peek.start;
          x.expr = parseExpr(c);
          x.exprEnd = c.toks[c.i - 1]!.end;
          if (c.peek.t === T.End) c.fail('TIMES needs an instruction or data after its count');
          if (c.peek.t !== T.Id || word(c.peek.text).lower !== 'times') break;
          (x.replacedCounts ??= []).push({ expr: x.expr, start: x.exprStart, end: x.exprEnd });
          c.next();
        }
        x.inner = this.statement(c, src, undefined, true);
        return st;
      }
      case 'equ': case 'org': {
        if (w === 'equ' && !label) c.fail('label or instruction expected at start of line', t);
        const st = at(w === 'equ' ? S.Equ : S.Org);
        st.x!.expr = parseExpr(c);
        this.expectEnd(c);
        return st;
      }
      case 'align': case 'alignb': {
        const st = at(S.Align);
        st.x!.expr = parseExpr(c);
        st.x!.alignB = w === 'alignb';
        if (c.isOp(',')) { c.next(); st.x!.inner = this.statement(c, src, undefined, true); } else this.expectEnd(c);
        return st;
      }
      case 'section': case 'segment': return this.section(c, src, label, t);
      case 'bits': {
        const v = c.next();
        if (v.t !== T.Num) c.fail('bits expects 16, 32 or 64', v);
        if (v.value !== 32) c.fail(`bits ${v.value} is not supported: RingLab assembles 32-bit code`, v, 'RL110');
        return at(S.Empty);
      }
      case 'use32': return at(S.Empty);
      case 'use16': case 'use64': c.fail(`${w} is not supported: RingLab assembles 32-bit code`, t, 'RL110');
      // falls through (fail throws)
      case 'global': case 'static': case 'cpu': case 'default': case 'float': case 'warning': case 'required':
        c.i = c.toks.length - 1;
        return at(S.Empty);
      case 'sectalign': {
        const st = at(S.Align);
        st.x!.expr = parseExpr(c);
        st.x!.alignB = true;
        st.x!.attrs = { align: 0 };
        return st;
      }
      case 'incbin': return this.incbin(c, src, label, t);
      default:
        return c.fail(`'${w}' is not supported in flat binaries`, t, 'RL110');
    }
  }

  private section(c: Cursor, src: SourceLine, label: Label | undefined, t: Token): Stmt {
    const nameTok = c.next();
    if (nameTok.t !== T.Id) c.fail('section name expected', nameTok);
    const attrs: SectionAttrs = {};
    while (c.peek.t !== T.End) {
      const a = c.next();
      const key = a.text.toLowerCase();
      if (a.t !== T.Id) c.fail('section attribute expected', a);
      if (key === 'progbits') { attrs.nobits = false; continue; }
      if (key === 'nobits') { attrs.nobits = true; continue; }
      if (!c.isOp('=')) continue; // code, data, exec, alloc... carry no layout meaning in bin
      c.next();
      if (key === 'follows' || key === 'vfollows') {
        const n = c.next();
        if (key === 'follows') attrs.follows = n.text;
        continue;
      }
      const v = c.next();
      if (v.t !== T.Num) c.fail(`number expected for ${key}=`, v);
      if (key === 'align') {
        if (v.value & (v.value - 1)) c.fail('section alignment must be a power of two', v);
        attrs.align = v.value;
      } else if (key === 'vstart') attrs.vstart = v.value;
      else if (key === 'start') attrs.start = v.value;
    }
    const st = new Stmt(S.Section, label, t.start, src.text.length);
    st.x!.sectionName = nameTok.text;
    st.x!.attrs = attrs;
    return st;
  }

  private incbin(c: Cursor, src: SourceLine, label: Label | undefined, t: Token): Stmt {
    const f = c.next();
    if (f.t !== T.Str) c.fail('incbin expects a file name in quotes', f);
    // NASM's optional byte offset and length are constant expressions (`incbin "f", 2*512`);
    // what follows a complete one is ignored, as NASM does, but not a fourth parameter.
    const skip = c.isOp(',') ? (c.next(), incbinArgument(c, 'offset')) : 0;
    const len = c.isOp(',') ? (c.next(), incbinArgument(c, 'length')) : Infinity;
    if (c.isOp(',')) c.fail('incbin takes at most three parameters');
    this.fileReads++;
    // The token holds the name's UTF-8 bytes; the host wants the name.
    const name = decodeUtf8(f.text);
    if (!this.files) c.fail(`cannot read '${name}': no file access`, f, 'RL106');
    const got = readBytes(this.files!, this.files!.resolve(src.file, name), skip, len);
    if (got === undefined) c.fail(`unable to open file '${name}'`, f, 'RL106');
    if (!(got instanceof Uint8Array)) c.fail(`unable to read '${name}': ${got!.refused}`, f, 'RL106');
    const st = new Stmt(S.Incbin, label, t.start, src.text.length);
    st.x!.data = got as Uint8Array;
    return st;
  }

  private dataItems(c: Cursor, w: string): DataItem[] {
    const items = DATA_ITEMS;
    items.clear();
    this.dataItemList(c, w, items);
    return items.take();
  }

  private dataItemList(c: Cursor, w: string, items: Scratch<DataItem>): void {
    for (;;) {
      const t = c.peek;
      const after = c.toks[c.i + 1]!;
      if (t.t === T.Str && (after.t === T.End || (after.t === T.Op && after.text === ','))) {
        c.next();
        items.add({ str: t.text, expr: undefined, start: t.start, end: t.end });
      } else if (t.t === T.Op && t.text === '?' && (after.t === T.End || (after.t === T.Op && after.text === ','))) {
        c.next();
        items.add({ str: undefined, expr: { k: E.Num, v: 0 }, start: t.start, end: t.end });
      } else {
        const expr = parseExpr(c);
        items.add({ str: undefined, expr, start: t.start, end: c.toks[c.i - 1]!.end });
        // A string that is not a whole operand is a character constant ('it' of 'it''s'); NASM
        // then ignores the rest of the line, commas and all (checked against NASM 2.16).
        if (t.t === T.Str && !c.isOp(',')) { c.i = c.toks.length - 1; return; }
      }
      if (c.isOp(',')) { c.next(); continue; }
      if (c.peek.t !== T.End) c.fail(`comma expected after ${w} operand`);
      return;
    }
  }

  private expectEnd(c: Cursor): void {
    if (c.peek.t !== T.End) c.fail('end of line expected');
  }
}

/** An incbin offset or length: a constant, not negative (NASM fails on a negative one). */
function incbinArgument(c: Cursor, what: string): number {
  const start = c.peek.start;
  const e = parseExpr(c);
  const end = Math.max(c.toks[c.i - 1]!.end, start + 1);
  // NASM also takes symbols defined above; here the file is read before any symbol has a value.
  if (e.k !== E.Num) throw new SyntaxError2(`incbin ${what} must be a constant number here`, start, end, 'RL110');
  if (!(e.v >= 0)) throw new SyntaxError2(`incbin ${what} ${e.v} is negative`, start, end, 'RL105');
  return e.v;
}

/** Bytes [offset, offset + length) of a file, through the host's byte read or, lacking one, its text as UTF-8. */
function readBytes(files: SourceFiles, path: string, offset: number, length: number): Uint8Array | FileRefused | undefined {
  if (files.readBytes) return files.readBytes(path, offset, length);
  const text = files.read(path);
  if (text === undefined) return undefined;
  const all = new TextEncoder().encode(text);
  const from = Math.min(offset, all.length);
  return all.subarray(from, Math.min(all.length, from + length));
}

interface ParsedInsn { readonly insn: InsnStmt; readonly end: number; bare: Stmt | undefined }

/** The chars before `end` are all spaces or tabs. */
function onlySpacesBefore(text: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** `[bits 32]` read as ` bits 32` (the text up to `]`, columns kept), or the line itself when the
 * brackets hold no directive (a memory operand, or `[db ...]`). */
function primitiveDirective(text: string): string {
  const close = text.lastIndexOf(']');
  const open = text.indexOf('[');
  const inner = text.slice(open + 1, close < 0 ? text.length : close);
  const name = /^\s*([a-zA-Z]+)/.exec(inner)?.[1]?.toLowerCase();
  return name && DIRECTIVES.has(name) && name !== 'db' ? ' '.repeat(open + 1) + inner : text;
}

/** Where the line's text before its comment ends, or -1 when a `.local` name makes it scope-dependent. */
function shareableKeyEnd(toks: readonly Token[]): number {
  const n = toks.length - 1;
  for (let k = 0; k < n; k++) {
    const t = toks[k]!;
    if (t.t === T.Id && t.text.charCodeAt(0) === 46) return -1;
  }
  return toks[n]!.start;
}

/**
 * A line's key in `repeats` is its text before a `;` comment, without the blanks before it (what
 * the lexer skips): this returns where that text ends before the blanks are dropped (the `;` or
 * the line's end). A line with a quote before its first `;` is keyed by its whole text (the `;`
 * may be quoted), so it only finds a line of the same text: -1.
 */
function repeatKeyEnd(text: string): number {
  const semi = text.indexOf(';');
  if (semi < 0) return text.length;
  const q1 = text.indexOf("'"), q2 = text.indexOf('"'), q3 = text.indexOf('`');
  if ((q1 >= 0 && q1 < semi) || (q2 >= 0 && q2 < semi) || (q3 >= 0 && q3 < semi)) return -1;
  return semi;
}

/** Runs of 0 to 80 spaces, to check a trimmed tail with one native comparison. */
const SPACE_RUNS: readonly string[] = Array.from({ length: 81 }, (_, k) => ' '.repeat(k));

/**
 * text[0, end) without the blanks the lexer skips at its end. Comments are often aligned after
 * dozens of spaces: native trimEnd drops them at once (a loop per character is slow until
 * optimised, and every line of a cold first lint goes through here), then one comparison checks
 * it dropped only spaces; anything else (tabs, or a Unicode space the lexer does not skip) is
 * redone by the lexer's own rule.
 */
function trimmedPrefix(text: string, end: number): string {
  if (end === 0) return '';
  if (!isBlank(text.charCodeAt(end - 1))) return end === text.length ? text : text.slice(0, end);
  const key = text.slice(0, end).trimEnd();
  const dropped = end - key.length;
  if (dropped < SPACE_RUNS.length && text.startsWith(SPACE_RUNS[dropped]!, key.length)) return key;
  const e = trimmedEnd(text, end);
  return e === key.length ? key : text.slice(0, e);
}

/** `end` moved back over the blanks the lexer skips. */
function trimmedEnd(text: string, end: number): number {
  while (end > 0 && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * A list filled while a line is parsed and copied into an array of exactly its length for the
 * statement to keep: a literal grown by push keeps room for 17 as long as the assembly lives.
 * The scratch array is never emptied (that drops its storage): a count says how much is used.
 */
class Scratch<T> {
  private readonly items: T[] = [];
  count = 0;
  clear(): void { this.count = 0; }
  add(x: T): void { this.items[this.count++] = x; }
  take(): T[] {
    const a = this.items;
    switch (this.count) {
      case 0: return [];
      case 1: return [a[0]!];
      case 2: return [a[0]!, a[1]!];
      case 3: return [a[0]!, a[1]!, a[2]!];
      default: return a.slice(0, this.count);
    }
  }
}

/** A line's operands and data items (a line is parsed to the end before the next). */
const OPERANDS = new Scratch<Operand>();
const DATA_ITEMS = new Scratch<DataItem>();

function prefixOnly(lock: boolean, rep: number, seg: number, o16: boolean, a16: boolean): never {
  void lock; void rep; void seg; void o16; void a16;
  throw new SyntaxError2('a prefix needs an instruction on the same line', 0, 1, 'RL110');
}

function allConstant(ops: readonly Operand[]): boolean {
  for (let i = 0; i < ops.length; i++) if (!constantOperand(ops[i]!)) return false;
  return true;
}

function constantOperand(o: Operand): boolean {
  return (o.expr === undefined || isConst(o.expr)) && (o.segExpr === undefined || isConst(o.segExpr));
}

function isConst(e: Expr): boolean {
  switch (e.k) {
    case E.Num: case E.Reg: return true;
    case E.Sym: case E.Here: case E.Base: return false;
    case E.Neg: case E.Not: case E.LNot: return isConst(e.a);
    case E.Bin: return isConst(e.a) && isConst(e.b);
    case E.Cond: return isConst(e.c) && isConst(e.a) && isConst(e.b);
  }
}
