// The pass driver: runs the parsed statements until every label keeps its value (NASM's
// optimizing passes: forward references start optimistic, sizes settle), then lays out the
// sections, resolves section-relative values and builds the result.

import { registerCodeSpans, registerDraftBytes, type CodeSpans } from './codeSpans';
import { E, Evaluator, type EvalEnv, type Expr } from './expression';
import { encodeInsn, type EncodeContext } from './encoder';
import { ByteWriter, patch } from './output';
import { AsmCache, nextAssembly, nopStatement, parseLinesCached } from './lineCache';
import { LineParser, S, type Stmt } from './parser';
import { Preprocessor, type SourceLines } from './preprocess';
import { layout, Section } from './sections';
import { MAX_FILE_BYTES, type AsmDiagnostic, type AsmOptions, type AsmResult, type AsmSymbol, type SourceMapEntry } from './types';

/** NASM needed 95 passes for a 100k-line file with 10k span-dependent jumps; stay well above. */
const MAX_PASSES = 1000;
/** Bound on bytes from TIMES/RESB/incbin so a typo cannot exhaust memory (a host reads no more of a file). */
const MAX_OUTPUT = MAX_FILE_BYTES;

interface Sym {
  readonly name: string;
  readonly isEqu: boolean;
  sec: number;
  n: number;
  r: number;
  unknown: boolean;
  pass: number;
  readonly stmt: Stmt;
  /** Index of its line in the preprocessor's SourceLines. */
  readonly at: number;
  /** Exact value of an equ whose number is past 2^53. */
  big: bigint | undefined;
  /** The assembly it belongs to: a cached statement or node may still point at an older one. */
  readonly gen: number;
}

class Pass implements EvalEnv, EncodeContext {
  readonly ev = new Evaluator();
  section = 0;
  offset = 0;
  here = 0;
  final = true;
  out!: ByteWriter;
  diags: AsmDiagnostic[] = [];
  /** Messages reported this pass, kept or not (a statement's bytes are cached only if it had none). */
  reports = 0;
  /**
   * This pass's messages will be thrown away: pass 1 of a program with a label is never the
   * last (defining a symbol is a change), and its forward references would each build a message.
   */
  quiet = false;
  stmt!: Stmt;
  /** Line index (in `lines`) of the statement being assembled. */
  at = 0;
  unknownUsed = false;
  /** A symbol not defined yet this pass was read (unknown, or last pass's value) since cleared. */
  readAhead = false;
  changed = false;
  number = 0;
  /** Bytes of position-independent statements, encoded once (the cacheAt/cacheLen of InsnStmt and
   * StmtExtra point here): the line cache's when there is one, as its statements outlive the assembly. */
  readonly constants: ByteWriter;
  /** `align`'s filler, whose cached bytes live in `constants`. */
  readonly nop: Stmt;
  /** This assembly's number: symbol entries and TIMES flags stamped with another are stale. */
  readonly gen: number;

  constructor(readonly symbols: Map<string, Sym>, readonly lines: SourceLines, cache: AsmCache | undefined, gen: number) {
    this.ev.env = this;
    this.constants = cache?.constants ?? new ByteWriter();
    this.nop = cache?.nop ?? nopStatement();
    this.gen = gen;
  }

  symbol(node: Extract<Expr, { k: E.Sym }>, ev: Evaluator): number | undefined {
    // The table entry is cached on the parsed node: later passes skip the map lookup.
    let s = node.sym as Sym | undefined;
    if (s === undefined || s.gen !== this.gen) {
      s = this.symbols.get(node.name);
      if (s !== undefined) node.sym = s;
    }
    if (s === undefined || s.unknown) { this.unknownUsed = true; this.readAhead = true; return undefined; }
    if (s.pass !== this.number) this.readAhead = true;
    if (s.isEqu) {
      ev.s = s.sec; ev.r = s.r;
      if (s.big !== undefined) ev.inexact = true;
      return s.n;
    }
    ev.s = s.sec; ev.r = -1;
    // A label not reached yet this pass keeps last pass's value, exactly as in NASM: estimating it
    // better would settle in fewer passes but can settle on different jump sizes than NASM.
    return s.n;
  }

  exactSymbol(node: Extract<Expr, { k: E.Sym }>): bigint | undefined {
    return (node.sym as Sym | undefined)?.big;
  }

  report(message: string, code: string, severity: 'error' | 'warning', start: number, end: number): void {
    this.reports++;
    if (this.quiet) return;
    const at = this.at;
    this.diags.push({ code, severity, message, file: this.lines.files[at]!, line: this.lines.lines[at]!, column: start + 1, endColumn: Math.max(end, start + 1) + 1 });
  }
}

export function assembleSource(source: string, options: AsmOptions = {}): AsmResult {
  const file = options.file ?? '<input>';
  const pre = new Preprocessor(options.files, options.defines);
  pre.run(source, file);
  const parser = new LineParser(options.files);
  const lines = pre.lines;
  const gen = nextAssembly();
  const cache = options.cache;
  const { stmts, stmtAt } = cache ? parseLinesCached(parser, lines, cache, gen) : parseLines(parser, lines);
  const staticDiags = [...pre.diagnostics, ...parser.diagnostics];

  const symbols = new Map<string, Sym>();
  const prog = new Program(stmts, stmtAt);
  const { sections, stmtSec, stmtOff, stmtLen } = prog;
  const p = new Pass(symbols, lines, cache, gen);
  let converged = false;
  const anyLabel = stmts.some((st) => st.label !== undefined);
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    runPass(p, prog, pass, anyLabel);
    if (!p.changed && (!p.unknownUsed || pass > 1)) { converged = true; break; }
  }
  const origin = prog.origin;
  const diagnostics: AsmDiagnostic[] = [...staticDiags, ...p.diags];
  if (!converged) {
    diagnostics.push({ code: 'RL109', severity: 'error', message: `label values did not settle after ${MAX_PASSES} passes`, file, line: 1, column: 1, endColumn: 2 });
  }

  const ordered = layout(sections, origin);
  // Resolve section-relative values now that every section has its address.
  for (const s of sections) {
    if (s.nobits) continue;
    for (const f of s.w.fixups) {
      const delta = (f.add >= 0 ? sections[f.add]!.labelBase : 0) - (f.sub >= 0 ? sections[f.sub]!.labelBase : 0);
      patch(s.w.buf, f.pos, f.bytes, delta);
    }
  }
  let fileEnd = origin;
  for (const s of ordered) if (!s.nobits && s.size > 0) fileEnd = Math.max(fileEnd, s.loadAddr + s.size);
  const ok = !diagnostics.some((d) => d.severity === 'error');
  const bytes = ok ? flatImage(ordered, origin, fileEnd) : new Uint8Array(0);

  // The source map and symbol list are built when first read: the CLI writing a binary needs
  // neither, and for a large file they are a good part of the memory the assembly allocates.
  let sourceMap: SourceMapEntry[] | undefined;
  let symOut: AsmSymbol[] | undefined;
  const result: AsmResult = {
    ok, bytes, origin, diagnostics,
    get sourceMap() { return (sourceMap ??= buildSourceMap(stmts, stmtAt, lines, sections, stmtSec, stmtOff, stmtLen)); },
    get symbols() { return (symOut ??= buildSymbols(symbols, lines, sections)); },
    sections: ordered.map((s) => ({ name: s.name, start: s.labelBase, size: s.size, nobits: s.nobits })),
  };
  registerCodeSpans(result, () => buildCodeSpans(prog, lines));
  // Built only if asked (the linter does): the sections' buffers are kept by the spans' builder anyway.
  if (!ok) registerDraftBytes(result, () => draftImage(ordered, origin, fileEnd));
  LATEST.workingSet = [pre, parser, prog, p];
  return result;
}

/** The flat binary: each progbits section at its load address minus the origin. */
function flatImage(ordered: readonly Section[], origin: number, fileEnd: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(0, fileEnd - origin));
  for (const s of ordered) if (!s.nobits && s.size > 0) bytes.set(s.w.buf.subarray(0, s.size), s.loadAddr - origin);
  return bytes;
}

/**
 * flatImage of an assembly with errors, for the linter: never throws (a section placed before the
 * origin is left out, and an image past MAX_OUTPUT bytes is not made).
 */
function draftImage(ordered: readonly Section[], origin: number, fileEnd: number): Uint8Array {
  const size = fileEnd - origin;
  if (!(size > 0 && size <= MAX_OUTPUT)) return new Uint8Array(0);
  const bytes = new Uint8Array(size);
  for (const s of ordered) {
    const at = s.loadAddr - origin;
    if (!s.nobits && s.size > 0 && at >= 0 && at + s.size <= size) bytes.set(s.w.buf.subarray(0, s.size), at);
  }
  return bytes;
}

/**
 * The latest assembly's working objects, kept until the next assembly. V8 compiles hot code for
 * the hidden classes (maps) of the objects it has seen, and frees a map that no live object has at
 * the next full GC, throwing away every optimised function that expects it. A pass, the parser and
 * its cursor die when their assembly ends: a full GC while the language server sat idle (V8's
 * memory reducer runs them) sent its next lint back to cold code, 467 ms instead of about 170 for
 * 50,000 lines. Keeping the latest one of each keeps its map. The cost: an assembly's working
 * state lives until the next one; while its result is kept (an open document's), that is almost
 * nothing more, and for a 50,000-line result dropped (its document closed) it is 7 MB.
 */
const LATEST: { workingSet: readonly object[] } = { workingSet: [] };

/**
 * Parses every line. Its own function (as is each pass) so that V8 optimises these loops alone:
 * on-stack replacement of one large assembleSource recompiled it several times per run.
 */
function parseLines(parser: LineParser, lines: SourceLines): { stmts: Stmt[]; stmtAt: number[] } {
  const stmts: Stmt[] = [];
  /** Line index of each statement (repeated lines share a Stmt, so it cannot hold its line). */
  const stmtAt: number[] = [];
  const { texts, files, lines: lineNos } = lines;
  for (let i = 0; i < texts.length; i++) {
    const st = parser.parse(texts[i]!, files[i]!, lineNos[i]!);
    if (st) { stmts.push(st); stmtAt.push(i); }
  }
  return { stmts, stmtAt };
}

/** The statements and what the passes record about each (section, offset, length). */
class Program {
  readonly sections: Section[] = [new Section('.text', 0, {})];
  readonly byName = new Map<string, Section>([['.text', this.sections[0]!]]);
  readonly stmtSec: Int32Array;
  readonly stmtOff: Float64Array;
  readonly stmtLen: Float64Array;
  /**
   * Statements whose bytes are constant (cached, no label, progbits): later passes copy them
   * from the constant arena by index, without reading the statement (-1: not such a statement).
   */
  readonly constAt: Int32Array;
  /**
   * What buildCodeSpans needs of each statement, noted by the pass that last assembled it (a
   * constant statement's is then final), so that it reads no statement: its column, and NOT_CODE,
   * -1 for code whose bytes have no key, or the key (see codeKey).
   */
  readonly stmtCol: Int32Array;
  readonly stmtCode: Int32Array;
  /**
   * An instruction or data statement that, in the pass that last ran it, read only symbols defined
   * before it in that pass and reported nothing: while no symbol has changed, a statement at the same
   * place makes the same bytes, so the next pass keeps them (1) instead of encoding it again. Its
   * fixups are stmtFixFrom to stmtFixTo in its section's list of that pass.
   */
  readonly stmtSettled: Uint8Array;
  readonly stmtFixFrom: Int32Array;
  readonly stmtFixTo: Int32Array;
  origin = 0;

  constructor(readonly stmts: readonly Stmt[], readonly stmtAt: readonly number[]) {
    const n = stmts.length;
    this.stmtSec = new Int32Array(n);
    this.stmtOff = new Float64Array(n);
    this.stmtLen = new Float64Array(n);
    this.constAt = new Int32Array(n).fill(-1);
    this.stmtCol = new Int32Array(n);
    this.stmtCode = new Int32Array(n);
    this.stmtSettled = new Uint8Array(n);
    this.stmtFixFrom = new Int32Array(n);
    this.stmtFixTo = new Int32Array(n);
  }
}

function runPass(p: Pass, prog: Program, pass: number, anyLabel: boolean): void {
  const { stmts, stmtAt, sections, byName, stmtSec, stmtOff, stmtLen, constAt, stmtCol, stmtCode, stmtSettled, stmtFixFrom, stmtFixTo } = prog;
  p.number = pass;
  p.diags = [];
  p.reports = 0;
  p.quiet = pass === 1 && anyLabel;
  p.unknownUsed = false;
  p.changed = false;
  for (const s of sections) s.reset();
  let cur = sections[0]!;
  p.section = 0;
  p.out = cur.w;
  for (let k = 0; k < stmts.length; k++) {
    const at = constAt[k]!;
    if (at >= 0 && !cur.nobits) {
      const w = cur.w;
      const before = w.length;
      const len = stmtLen[k]!; // the constant bytes' length, stored when the statement was first cached
      w.range(p.constants.buf, at, at + len);
      stmtSec[k] = cur.index; stmtOff[k] = before;
      continue;
    }
    const st = stmts[k]!;
    p.stmt = st;
    p.at = stmtAt[k]!;
    if (st.kind === S.Section) {
      const name = st.x!.sectionName!;
      let sec = byName.get(name);
      if (!sec) { sec = new Section(name, sections.length, st.x!.attrs!); sections.push(sec); byName.set(name, sec); } else if (pass === 1) sec.applyAttrs(st.x!.attrs!);
      cur = sec;
      p.section = sec.index;
      p.out = sec.w;
      if (st.label) defineLabel(p, st, cur);
      stmtSec[k] = cur.index; stmtOff[k] = cur.offset; stmtLen[k] = 0;
      stmtCode[k] = NOT_CODE;
      continue;
    }
    const before = cur.offset;
    p.offset = before;
    p.here = before;
    if (st.label && st.kind !== S.Equ) defineLabel(p, st, cur);
    if (st.kind === S.Org) {
      p.ev.reset();
      const v = p.ev.eval(st.x!.expr!);
      if (p.ev.error || !p.ev.simple || p.ev.u) p.report(p.ev.error ?? 'org needs a constant', 'RL107', 'error', st.col, st.end);
      else prog.origin = v;
    } else if (st.kind === S.Equ) {
      defineEqu(p, st);
    } else if (stmtSettled[k] === 1 && !p.changed && stmtSec[k] === cur.index && stmtOff[k] === before) {
      // Its bytes, length, column and code key are last pass's.
      const w = cur.w;
      const fixFrom = w.fixups.length;
      w.keep(stmtLen[k]!, stmtFixFrom[k]!, stmtFixTo[k]!);
      stmtFixFrom[k] = fixFrom; stmtFixTo[k] = w.fixups.length;
      continue;
    } else {
      p.readAhead = false;
      const reports = p.reports;
      const fixFrom = cur.w.fixups.length;
      run(p, st, cur, 1);
      if (st.label === undefined && !cur.nobits) constAt[k] = constantAt(st);
      stmtSettled[k] = (st.kind === S.Insn || st.kind === S.Data) && !cur.nobits && !p.readAhead && p.reports === reports ? 1 : 0;
      stmtFixFrom[k] = fixFrom; stmtFixTo[k] = cur.w.fixups.length;
    }
    stmtSec[k] = cur.index; stmtOff[k] = before; stmtLen[k] = cur.offset - before;
    stmtCol[k] = st.col; stmtCode[k] = codeKey(st, stmtLen[k]!);
  }
}

function buildSourceMap(stmts: readonly Stmt[], stmtAt: readonly number[], lines: SourceLines, sections: readonly Section[], stmtSec: Int32Array, stmtOff: Float64Array, stmtLen: Float64Array): SourceMapEntry[] {
  const sourceMap: SourceMapEntry[] = [];
  for (let k = 0; k < stmts.length; k++) {
    const st = stmts[k]!;
    const kind = st.kind;
    if (kind === S.Empty || kind === S.Equ || kind === S.Org || kind === S.Section) continue;
    const inner = kind === S.Times ? st.x!.inner! : st;
    sourceMap.push({
      addr: sections[stmtSec[k]!]!.labelBase + stmtOff[k]!, length: stmtLen[k]!, file: lines.files[stmtAt[k]!]!, line: lines.lines[stmtAt[k]!]!,
      column: st.col + 1, isCode: inner.kind === S.Insn,
    });
  }
  return sourceMap;
}

/** The code entries of buildSourceMap, as arrays, from what the passes noted of each statement. */
function buildCodeSpans(prog: Program, lines: SourceLines): CodeSpans {
  const { stmtAt, sections, stmtSec, stmtOff, stmtLen, stmtCol, stmtCode } = prog;
  // Room for every statement (the code ones are most): one pass, the count known at the end.
  const n = stmtAt.length;
  const addr = new Float64Array(n), length = new Float64Array(n), line = new Int32Array(n), column = new Int32Array(n), bytesKey = new Int32Array(n);
  const file: string[] = [];
  let j = 0;
  for (let k = 0; k < n; k++) {
    const key = stmtCode[k]!;
    if (key === NOT_CODE) continue;
    const at = stmtAt[k]!;
    addr[j] = sections[stmtSec[k]!]!.labelBase + stmtOff[k]!;
    length[j] = stmtLen[k]!;
    file.push(lines.files[at]!);
    line[j] = lines.lines[at]!;
    column[j] = stmtCol[k]! + 1;
    bytesKey[j] = key;
    j++;
  }
  return { count: j, addr, length, file, line, column, bytesKey };
}

/** stmtCode of a statement that is not code. */
const NOT_CODE = -2;

/**
 * NOT_CODE, or for code the key of its bytes: where its constant encoding starts in the arena, when
 * the pass copied exactly those bytes (a TIMES line's are several copies: -1, no key).
 */
function codeKey(st: Stmt, len: number): number {
  if (!isCode(st)) return NOT_CODE;
  const insn = st.insn;
  return st.kind === S.Insn && insn !== undefined && insn.cacheAt >= 0 && insn.cacheLen === len ? insn.cacheAt : -1;
}

/** A statement the source map marks isCode: an instruction, or TIMES of one. */
function isCode(st: Stmt): boolean {
  return st.kind === S.Insn || (st.kind === S.Times && st.x!.inner!.kind === S.Insn);
}

function buildSymbols(symbols: ReadonlyMap<string, Sym>, lines: SourceLines, sections: readonly Section[]): AsmSymbol[] {
  const symOut: AsmSymbol[] = [];
  for (const s of symbols.values()) {
    const file = lines.files[s.at]!, line = lines.lines[s.at]!;
    const label = s.stmt.label!;
    const value = s.isEqu ? s.n + (s.sec >= 0 ? sections[s.sec]!.labelBase : 0) - (s.r >= 0 ? sections[s.r]!.labelBase : 0) : sections[s.sec]!.labelBase + s.n;
    symOut.push({
      name: s.name, value, kind: s.isEqu ? 'equ' : 'label', file, line, column: label.start + 1,
      ...(s.isEqu ? {} : { section: sections[s.sec]!.name }),
    });
  }
  return symOut;
}

function defineLabel(p: Pass, st: Stmt, cur: Section): void {
  const l = st.label!;
  const off = cur.offset;
  // The entry is cached on the statement: later passes skip the map look-up.
  const cached = st.sym as Sym | undefined;
  const old = cached !== undefined && cached.gen === p.gen ? cached : p.symbols.get(l.name);
  if (old) {
    if (old.pass === p.number) {
      if (old.at !== p.at) p.report(`label '${l.name}' redefined`, 'RL104', 'error', l.start, l.end);
      return;
    }
    if (old.n !== off || old.sec !== cur.index || old.isEqu) p.changed = true;
    old.n = off; old.sec = cur.index; old.pass = p.number; old.unknown = false;
    return;
  }
  p.changed = true;
  const sym: Sym = { name: l.name, isEqu: false, sec: cur.index, n: off, r: -1, unknown: false, pass: p.number, stmt: st, at: p.at, big: undefined, gen: p.gen };
  p.symbols.set(l.name, sym);
  st.sym = sym;
}

function defineEqu(p: Pass, st: Stmt): void {
  const l = st.label!;
  const ev = p.ev;
  ev.reset();
  const v = ev.eval(st.x!.expr!);
  if (ev.error) p.report(ev.error, ev.errorCode, 'error', st.col, st.end);
  if (ev.u) reportUndefined(p, st);
  const big = ev.inexact && !ev.error && !ev.u ? ev.evalExact(st.x!.expr!) : undefined;
  const old = p.symbols.get(l.name);
  if (old) {
    if (old.pass === p.number) { p.report(`symbol '${l.name}' redefined`, 'RL104', 'error', l.start, l.end); return; }
    if (old.n !== v || old.sec !== ev.s || old.r !== ev.r || old.unknown !== ev.u || old.big !== big) p.changed = true;
    old.n = v; old.sec = ev.s; old.r = ev.r; old.unknown = ev.u; old.pass = p.number; old.big = big;
    return;
  }
  p.changed = true;
  p.symbols.set(l.name, { name: l.name, isEqu: true, sec: ev.s, n: v, r: ev.r, unknown: ev.u, pass: p.number, stmt: st, at: p.at, big, gen: p.gen });
}

function reportUndefined(p: Pass, st: Stmt): void {
  if (p.quiet) { p.report('', 'RL103', 'error', 0, 0); return; }
  const s = p.ev.undefinedSym;
  if (s) p.report(`symbol '${s.name}' not defined`, 'RL103', 'error', s.start, s.end);
  else p.report('expression is not defined', 'RL103', 'error', st.col, st.end);
}

/** Evaluates a count that must be a plain number (TIMES, RESB, ALIGN); undefined after a report. */
function count(p: Pass, st: Stmt, what: string, expr: Expr = st.x!.expr!): number | undefined {
  const ev = p.ev;
  ev.reset();
  const v = ev.eval(expr);
  if (ev.error) { p.report(ev.error, ev.errorCode, 'error', st.col, st.end); return undefined; }
  if (ev.u) { reportUndefined(p, st); return 0; }
  if (!ev.simple) { p.report(`non-constant argument supplied to ${what}`, 'RL107', 'error', st.col, st.end); return undefined; }
  return v;
}

function timesCountUnknown(p: Pass, expr: Expr): boolean {
  const ev = p.ev;
  ev.reset();
  ev.eval(expr);
  return ev.u && ev.error === undefined && unknownWeight(p, expr) !== 0;
}

/**
 * A TIMES count checked as NASM checks it (known in its first pass, constant, not negative, not
 * too large), or undefined after a report.
 */
function timesCount(p: Pass, st: Stmt, reps: number, expr: Expr, start: number, end: number): number | undefined {
  const x = st.x!;
  // NASM needs the count in its first pass: a forward reference stays an error for good.
  if (p.number === 1 && timesCountUnknown(p, expr)) x.forwardIn = p.gen;
  if (x.forwardIn === p.gen) {
    p.report('non-constant argument supplied to TIMES', 'RL107', 'error', start, end);
    return undefined;
  }
  const n = count(p, st, 'TIMES', expr);
  if (n === undefined) return undefined;
  if (n < 0) { p.report(`TIMES value ${n} is negative`, 'RL105', 'error', st.col, st.end); return undefined; }
  if (n * reps > MAX_OUTPUT) { p.report(`TIMES value ${n} is too large`, 'RL105', 'error', st.col, st.end); return undefined; }
  return n;
}

/**
 * NASM keeps not-yet-defined symbols as one "unknown" term of its expression vectors, so they
 * cancel in `end - start` (a count NASM accepts in pass 1) but not in `N` or `x - $`. This is that
 * term's coefficient; NaN once an operator other than +/- touches it (no longer a plain number).
 */
function unknownWeight(p: Pass, e: Expr): number {
  switch (e.k) {
    case E.Sym: { const s = p.symbols.get(e.name); return s === undefined || s.unknown ? 1 : 0; }
    case E.Neg: return -unknownWeight(p, e.a);
    case E.Not: case E.LNot: return unknownWeight(p, e.a) === 0 ? 0 : NaN;
    case E.Bin: {
      const a = unknownWeight(p, e.a), b = unknownWeight(p, e.b);
      if (e.op === '+') return a + b;
      if (e.op === '-') return a - b;
      return a === 0 && b === 0 ? 0 : NaN;
    }
    case E.Cond: return unknownWeight(p, e.c) === 0 && unknownWeight(p, e.a) === 0 && unknownWeight(p, e.b) === 0 ? 0 : NaN;
    default: return 0;
  }
}

function run(p: Pass, st: Stmt, cur: Section, reps: number): void {
  switch (st.kind) {
    case S.Insn: {
      for (let r = 0; r < reps; r++) {
        p.offset = cur.offset;
        if (cur.nobits) { bssWarning(p, st); return; }
        const insn = st.insn!;
        if (insn.cacheAt >= 0) { replay(p, insn); continue; }
        const len0 = p.out.length;
        const nd = p.reports;
        if (!encodeInsn(insn, p)) continue;
        if (insn.cacheable && p.reports === nd) remember(p, insn, len0);
      }
      return;
    }
    case S.Data: {
      if (cur.nobits) { bssWarning(p, st); return; }
      const x = st.x!;
      if (x.cacheAt >= 0) { for (let r = 0; r < reps; r++) replay(p, x); return; }
      const len0 = p.out.length;
      const nd = p.reports;
      p.offset = cur.offset;
      const cacheable = emitData(p, st);
      if (cacheable && p.reports === nd) {
        remember(p, x, len0);
        for (let r = 1; r < reps; r++) replay(p, x);
        return;
      }
      for (let r = 1; r < reps; r++) { p.offset = cur.offset; emitData(p, st); }
      return;
    }
    case S.Res: {
      const n = count(p, st, 'RESB');
      if (n === undefined) return;
      if (n < 0) { p.report(`RESB value ${n} is negative`, 'RL105', 'error', st.col, st.end); return; }
      reserve(p, st, cur, n * st.x!.width! * reps, true);
      return;
    }
    case S.Times: {
      const x = st.x!;
      // `times 2 times 3 nop`: NASM checks every count of the chain and repeats by the last.
      if (x.replacedCounts !== undefined) {
        for (const k of x.replacedCounts) if (timesCount(p, st, reps, k.expr, k.start, k.end) === undefined) return;
      }
      const n = timesCount(p, st, reps, x.expr!, x.exprStart, x.exprEnd);
      if (n === undefined) return;
      run(p, x.inner!, cur, n * reps);
      return;
    }
    case S.Align: {
      const n = count(p, st, 'ALIGN');
      if (n === undefined) return;
      if (n <= 0 || (n & (n - 1)) !== 0) { p.report('alignment must be a power of two', 'RL105', 'error', st.col, st.end); return; }
      cur.align = Math.max(cur.align, n); // NASM's align macro also raises the section alignment
      if (st.x!.attrs) return; // sectalign only
      for (let r = 0; r < reps; r++) {
        const pad = (n - (cur.offset % n)) % n;
        if (st.x!.inner) run(p, st.x!.inner, cur, pad);
        else if (st.x!.alignB) reserve(p, st, cur, pad, false);
        else { p.stmt = st; run(p, p.nop, cur, pad); }
        p.stmt = st;
      }
      return;
    }
    case S.Incbin: {
      if (cur.nobits) { bssWarning(p, st); return; }
      const data = st.x!.data!;
      // The file is at most MAX_FILE_BYTES, but TIMES may repeat it.
      if (data.length * reps > MAX_OUTPUT) { p.report(`incbin output too large (${data.length * reps} bytes)`, 'RL105', 'error', st.col, st.end); return; }
      for (let r = 0; r < reps; r++) p.out.bytes(data);
      return;
    }
    default:
      return;
  }
}

/** Where a statement's constant bytes start in the arena, or -1 (not cached, or not constant). */
function constantAt(st: Stmt): number {
  if (st.kind === S.Insn) return st.insn!.cacheAt;
  if (st.kind === S.Data) return st.x!.cacheAt;
  return -1;
}

/** Keeps the bytes just written from `len0` as the statement's constant encoding. */
function remember(p: Pass, st: { cacheAt: number; cacheLen: number }, len0: number): void {
  st.cacheAt = p.constants.length;
  st.cacheLen = p.out.length - len0;
  p.constants.range(p.out.buf, len0, p.out.length);
}

function replay(p: Pass, st: { readonly cacheAt: number; readonly cacheLen: number }): void {
  p.out.range(p.constants.buf, st.cacheAt, st.cacheAt + st.cacheLen);
}

function reserve(p: Pass, st: Stmt, cur: Section, bytes: number, warn: boolean): void {
  if (bytes > MAX_OUTPUT) { p.report('reservation too large', 'RL105', 'error', st.col, st.end); return; }
  if (cur.nobits) { cur.reserved += bytes; return; }
  if (warn && bytes > 0) p.report(`uninitialized space declared in ${cur.name} section: zeroing`, 'RL100', 'warning', st.col, st.end);
  p.out.fill(0, bytes);
}

function bssWarning(p: Pass, st: Stmt): void {
  p.report('attempt to initialize memory in a nobits section: ignored', 'RL100', 'warning', st.col, st.end);
}

/** Writes one db/dw/dd/dq line; returns whether its bytes are position-independent. */
function emitData(p: Pass, st: Stmt): boolean {
  const w = st.x!.width!;
  const out = p.out;
  const ev = p.ev;
  let constant = true;
  const items = st.x!.items!;
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (item.str !== undefined) {
      const s = item.str;
      for (let i = 0; i < s.length; i++) out.byte(s.charCodeAt(i) & 0xff);
      const pad = (w - (s.length % w)) % w;
      if (pad) out.fill(0, pad);
      if (s.length === 0 && w > 0) out.fill(0, 0);
      continue;
    }
    ev.reset();
    const v = ev.eval(item.expr!);
    if (ev.error) { p.report(ev.error, ev.errorCode, 'error', item.start, item.end); out.fill(0, w); continue; }
    if (ev.u) { constant = false; reportUndefinedItem(p, item.start, item.end); out.fill(0, w); continue; }
    if (!ev.simple) constant = false;
    else if (w < 8) {
      const lim = 2 ** (8 * w);
      if (v < -lim / 2 || v >= lim) p.report(`${w === 1 ? 'byte' : w === 2 ? 'word' : 'dword'} data exceeds bounds`, 'RL105', 'warning', item.start, item.end);
    }
    const pos = out.length;
    // Past 2^53 a double is inexact: write the exact 64-bit value's bits.
    if (ev.inexact && ev.simple) out.exact(ev.evalExact(item.expr!), w);
    else out.int(v, w);
    out.fix(pos, w, ev.s, ev.r);
  }
  if (!constant) return false;
  for (let k = 0; k < items.length; k++) { const e = items[k]!.expr; if (e !== undefined && usesPosition(e)) return false; }
  return true;
}

function reportUndefinedItem(p: Pass, start: number, end: number): void {
  if (p.quiet) { p.report('', 'RL103', 'error', 0, 0); return; }
  const s = p.ev.undefinedSym;
  if (s) p.report(`symbol '${s.name}' not defined`, 'RL103', 'error', s.start, s.end);
  else p.report('expression is not defined', 'RL103', 'error', start, end);
}

function usesPosition(e: Expr): boolean {
  switch (e.k) {
    case 2 /* Here */: case 3 /* Base */: case 1 /* Sym */: return true;
    case 5: case 6: case 7: return usesPosition(e.a);
    case 8: return usesPosition(e.a) || usesPosition(e.b);
    case 9: return usesPosition(e.c) || usesPosition(e.a) || usesPosition(e.b);
    default: return false;
  }
}
