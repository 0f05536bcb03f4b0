// Turns each preprocessed line into a statement (label, instruction, data, directive) once;
// the passes then only evaluate and encode. Syntax errors become diagnostics, never exceptions.

import { lookupMnemonic, REGISTERS, type Form, type InstructionDef } from '../isa';
import { Cursor, E, parseExpr, SyntaxError2, type Expr } from './expression';
import { T, lex, type Token } from './lexer';
import { parseOperand, type Operand } from './operands';
import type { InsnStmt } from './encoder';
import type { SectionAttrs } from './sections';
import type { SourceLine } from './preprocess';
import type { AsmDiagnostic, SourceFiles } from './types';

export const enum S { Empty, Insn, Data, Res, Equ, Org, Section, Align, Times, Incbin }

export interface DataItem {
  /** A string operand (bytes as char codes), or undefined for an expression. */
  readonly str: string | undefined;
  readonly expr: Expr | undefined;
  readonly start: number;
  readonly end: number;
}

export interface Label { readonly name: string; readonly start: number; readonly end: number }

export interface Stmt {
  readonly kind: S;
  readonly src: SourceLine;
  readonly label: Label | undefined;
  /** Column (0-based) where the statement proper starts, for the source map. */
  readonly col: number;
  readonly end: number;
  readonly insn?: InsnStmt;
  /** Element width in bytes for data and reservations. */
  readonly width?: number;
  readonly items?: readonly DataItem[];
  readonly expr?: Expr;
  readonly inner?: Stmt;
  readonly sectionName?: string;
  readonly attrs?: SectionAttrs;
  readonly alignB?: boolean;
  readonly data?: Uint8Array;
  /** Bytes of a position-independent statement, filled by its first clean encoding. */
  cache?: Uint8Array;
  readonly cacheable?: boolean;
}

const DATA_WIDTH: Record<string, number> = { db: 1, dw: 2, dd: 4, dq: 8 };
const RES_WIDTH: Record<string, number> = { resb: 1, resw: 2, resd: 4, resq: 8, rest: 10, reso: 16 };
const PREFIXES: Record<string, number> = { lock: 1, rep: 2, repe: 2, repz: 2, repne: 3, repnz: 3, o16: 4, o32: 5, a16: 6, a32: 7 };
const DIRECTIVES = new Set(['db', 'dw', 'dd', 'dq', 'dt', 'do', 'dy', 'dz', 'resb', 'resw', 'resd', 'resq', 'rest', 'reso', 'resy', 'resz',
  'times', 'equ', 'org', 'section', 'segment', 'bits', 'use16', 'use32', 'use64', 'global', 'extern', 'common', 'static', 'cpu',
  'align', 'alignb', 'incbin', 'absolute', 'default', 'float', 'warning', 'sectalign', 'required']);

const formCache = new Map<InstructionDef, Form[][]>();
function formsFor(def: InstructionDef, count: number): Form[] {
  let byCount = formCache.get(def);
  if (!byCount) {
    byCount = [[], [], [], [], []];
    for (const f of def.forms) if (!f.decodeOnly && f.operands.length <= 4) byCount[f.operands.length]!.push(f);
    formCache.set(def, byCount);
  }
  return byCount[count] ?? [];
}

function isKeyword(lower: string): boolean {
  return DIRECTIVES.has(lower) || lower in PREFIXES || lookupMnemonic(lower) !== undefined ||
    (REGISTERS.get(lower)?.cls === 'sreg');
}

export class LineParser {
  /** Last non-local label: the scope of `.local` names. */
  scope = '';
  readonly diagnostics: AsmDiagnostic[] = [];

  constructor(private readonly files: SourceFiles | undefined) {}

  private diag(src: SourceLine, message: string, code: string, start: number, end: number, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ code, severity, message, file: src.file, line: src.line, column: start + 1, endColumn: Math.max(end, start + 1) + 1 });
  }

  parse(src: SourceLine): Stmt | undefined {
    let text = src.text;
    // `[bits 32]`, `[org 0x7c00]`: NASM's primitive-directive brackets.
    let first = 0;
    while (first < text.length && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first++;
    if (text.charCodeAt(first) === 91 /* [ */) {
      const close = text.lastIndexOf(']');
      const open = text.indexOf('[');
      const inner = text.slice(open + 1, close < 0 ? text.length : close);
      const word = /^\s*([a-zA-Z]+)/.exec(inner)?.[1]?.toLowerCase();
      if (word && DIRECTIVES.has(word) && word !== 'db') text = ' '.repeat(open + 1) + inner;
    }
    const toks = lex(text);
    if (toks.length === 1) return undefined;
    const c = new Cursor(toks, () => this.scope);
    let label: Label | undefined;
    try {
      const first = c.peek;
      if (first.t === T.Id) {
        const lower = first.text.toLowerCase();
        const second = toks[1]!;
        const colon = second.t === T.Op && second.text === ':';
        if (colon || (!isKeyword(lower) || first.value === 1) && (second.t === T.End || (second.t === T.Id && isKeyword(second.text.toLowerCase())))) {
          if (!colon && second.t === T.End) this.diag(src, 'label alone on a line without a colon might be in error', 'RL100', first.start, first.end, 'warning');
          const isEqu = second.t === T.Id && second.text.toLowerCase() === 'equ';
          label = this.defineLabel(first.text, first.start, first.end, !isEqu);
          c.next();
          if (colon) c.next();
        }
      }
      if (c.peek.t === T.End) return shape({ kind: S.Empty, src, label, col: label ? label.start : 0, end: label ? label.end : 0 });
      return shape(this.statement(c, src, label));
    } catch (err) {
      if (!(err instanceof SyntaxError2)) throw err;
      this.diag(src, err.message, err.code, err.start, err.end);
      return label ? shape({ kind: S.Empty, src, label, col: label.start, end: label.end }) : undefined;
    }
  }

  private defineLabel(name: string, start: number, end: number, setsScope: boolean): Label {
    const full = name.charCodeAt(0) === 46 && name.charCodeAt(1) !== 46 ? this.scope + name : name;
    if (setsScope && name.charCodeAt(0) !== 46) this.scope = name;
    return { name: full, start, end };
  }

  private statement(c: Cursor, src: SourceLine, label: Label | undefined): Stmt {
    const t = c.peek;
    const col = t.start;
    if (t.t !== T.Id) c.fail(t.t === T.Bad ? t.quote : 'instruction, directive or label expected');
    const lower = t.text.toLowerCase();
    const base = { src, label, col };
    if (DIRECTIVES.has(lower)) {
      c.next();
      return this.directive(lower, c, src, label, t);
    }
    const insn = this.instruction(c);
    const end = c.toks[c.i - 1]!.end;
    const cacheable = insn.ops.every((o) => constantOperand(o)) && !insn.forms.some((f) => f.operands.some((k) => k.startsWith('rel')));
    return { kind: S.Insn, ...base, end, insn, cacheable };
  }

  private instruction(c: Cursor): InsnStmt {
    let rep = 0, lock = false, segPrefix = -1, o16 = false, a16 = false;
    let t = c.next();
    for (;;) {
      const w = t.text.toLowerCase();
      const p = PREFIXES[w];
      const sreg = REGISTERS.get(w);
      if (p === undefined && !(sreg && sreg.cls === 'sreg')) break;
      if (p === 1) lock = true;
      else if (p === 2) rep = 0xf3;
      else if (p === 3) rep = 0xf2;
      else if (p === 4) o16 = true;
      else if (p === 6) a16 = true;
      else if (sreg) segPrefix = sreg.num;
      const nt = c.peek.t as T;
      if (nt !== T.Id) {
        if (nt === T.End) return prefixOnly(lock, rep, segPrefix, o16, a16);
        c.fail('instruction expected after prefix');
      }
      t = c.next();
    }
    const def = lookupMnemonic(t.text);
    if (!def) c.fail(`unknown instruction '${t.text}'`, t, 'RL101');
    const ops: Operand[] = [];
    if (c.peek.t !== T.End) {
      for (;;) {
        ops.push(parseOperand(c));
        if (c.isOp(',')) { c.next(); continue; }
        if ((c.peek.t as T) !== T.End) c.fail(`comma, or end of line expected`);
        break;
      }
    }
    if (ops.length > 3) c.fail('too many operands', c.toks[0]!, 'RL102');
    return { def: def!, forms: formsFor(def!, ops.length), ops, rep, lock, segPrefix, o16, a16 };
  }

  private directive(w: string, c: Cursor, src: SourceLine, label: Label | undefined, t: Token): Stmt {
    const base = { src, label, col: t.start, end: src.text.length };
    const width = DATA_WIDTH[w];
    if (width !== undefined) return { kind: S.Data, ...base, width, items: this.dataItems(c, w) };
    const resWidth = RES_WIDTH[w];
    if (resWidth !== undefined) { const expr = parseExpr(c); this.expectEnd(c); return { kind: S.Res, ...base, width: resWidth, expr }; }
    switch (w) {
      case 'times': {
        const expr = parseExpr(c);
        if (c.peek.t === T.End) c.fail('TIMES needs an instruction or data after its count');
        const inner = this.statement(c, src, undefined);
        return { kind: S.Times, ...base, expr, inner };
      }
      case 'equ': {
        if (!label) c.fail('label or instruction expected at start of line', t);
        const expr = parseExpr(c); this.expectEnd(c);
        return { kind: S.Equ, ...base, expr };
      }
      case 'org': { const expr = parseExpr(c); this.expectEnd(c); return { kind: S.Org, ...base, expr }; }
      case 'align': case 'alignb': {
        const expr = parseExpr(c);
        let inner: Stmt | undefined;
        if (c.isOp(',')) { c.next(); inner = this.statement(c, src, undefined); } else this.expectEnd(c);
        return { kind: S.Align, ...base, expr, alignB: w === 'alignb', ...(inner ? { inner } : {}) };
      }
      case 'section': case 'segment': return this.section(c, src, label, t);
      case 'bits': {
        const v = c.next();
        if (v.t !== T.Num) c.fail('bits expects 16, 32 or 64', v);
        if (v.value !== 32) c.fail(`bits ${v.value} is not supported: RingLab assembles 32-bit code`, v, 'RL110');
        return { kind: S.Empty, ...base };
      }
      case 'use32': return { kind: S.Empty, ...base };
      case 'use16': case 'use64': c.fail(`${w} is not supported: RingLab assembles 32-bit code`, t, 'RL110');
      // falls through (fail throws)
      case 'global': case 'static': case 'cpu': case 'default': case 'float': case 'warning': case 'required':
        c.i = c.toks.length - 1;
        return { kind: S.Empty, ...base };
      case 'sectalign': {
        const expr = parseExpr(c);
        return { kind: S.Align, ...base, expr, alignB: true, inner: undefined, attrs: { align: 0 } };
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
    return { kind: S.Section, src, label, col: t.start, end: src.text.length, sectionName: nameTok.text, attrs };
  }

  private incbin(c: Cursor, src: SourceLine, label: Label | undefined, t: Token): Stmt {
    const f = c.next();
    if (f.t !== T.Str) c.fail('incbin expects a file name in quotes', f);
    let skip = 0;
    let len = Infinity;
    if (c.isOp(',')) { c.next(); const v = c.next(); if (v.t !== T.Num) c.fail('number expected', v); skip = v.value; }
    if (c.isOp(',')) { c.next(); const v = c.next(); if (v.t !== T.Num) c.fail('number expected', v); len = v.value; }
    if (!this.files) c.fail(`cannot read '${f.text}': no file access`, f, 'RL106');
    const text = this.files!.read(this.files!.resolve(src.file, f.text));
    if (text === undefined) c.fail(`unable to open file '${f.text}'`, f, 'RL106');
    const all = Uint8Array.from(text!, (ch) => ch.charCodeAt(0) & 0xff);
    const data = all.subarray(skip, Math.min(all.length, skip + len));
    return { kind: S.Incbin, src, label, col: t.start, end: src.text.length, data };
  }

  private dataItems(c: Cursor, w: string): DataItem[] {
    const items: DataItem[] = [];
    for (;;) {
      const t = c.peek;
      const after = c.toks[c.i + 1]!;
      if (t.t === T.Str && (after.t === T.End || (after.t === T.Op && after.text === ','))) {
        c.next();
        items.push({ str: t.text, expr: undefined, start: t.start, end: t.end });
      } else if (t.t === T.Op && t.text === '?' && (after.t === T.End || (after.t === T.Op && after.text === ','))) {
        c.next();
        items.push({ str: undefined, expr: { k: E.Num, v: 0 }, start: t.start, end: t.end });
      } else {
        const expr = parseExpr(c);
        items.push({ str: undefined, expr, start: t.start, end: c.toks[c.i - 1]!.end });
      }
      if (c.isOp(',')) { c.next(); continue; }
      if (c.peek.t !== T.End) c.fail(`comma expected after ${w} operand`);
      return items;
    }
  }

  private expectEnd(c: Cursor): void {
    if (c.peek.t !== T.End) c.fail('end of line expected');
  }
}

function prefixOnly(lock: boolean, rep: number, seg: number, o16: boolean, a16: boolean): never {
  void lock; void rep; void seg; void o16; void a16;
  throw new SyntaxError2('a prefix needs an instruction on the same line', 0, 1, 'RL110');
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

/** One object shape for every statement keeps the passes' property reads monomorphic. */
function shape(s: Stmt): Stmt {
  return {
    kind: s.kind, src: s.src, label: s.label, col: s.col, end: s.end, insn: s.insn, width: s.width, items: s.items,
    expr: s.expr, inner: s.inner ? shape(s.inner) : undefined, sectionName: s.sectionName, attrs: s.attrs, alignB: s.alignB,
    data: s.data, cache: undefined, cacheable: s.cacheable ?? false,
  };
}
