// NASM expressions: parsed once into a tree, evaluated every pass against the symbol table.
// Values are NASM's "vectors" reduced to what a flat binary needs: a number plus at most one
// section base added and one subtracted (labels are section-relative until layout).

import type { Register } from '../isa';
import { T, type Token } from './lexer';
import { word } from './words';

export const enum E { Num, Sym, Here, Base, Reg, Neg, Not, LNot, Bin, Cond }

export type Expr =
  | { readonly k: E.Num; readonly v: number; readonly summed?: boolean; readonly big?: bigint }
  | { readonly k: E.Sym; readonly name: string; readonly start: number; readonly end: number; sym?: unknown }
  | { readonly k: E.Here }
  | { readonly k: E.Base }
  | { readonly k: E.Reg; readonly reg: Register }
  | { readonly k: E.Neg | E.Not | E.LNot; readonly a: Expr }
  | { readonly k: E.Bin; readonly op: string; readonly a: Expr; readonly b: Expr }
  | { readonly k: E.Cond; readonly c: Expr; readonly a: Expr; readonly b: Expr };

/** A parse failure at token columns [start, end). */
export class SyntaxError2 {
  constructor(readonly message: string, readonly start: number, readonly end: number, readonly code = 'RL100') {}
}

/** Token cursor shared by the expression, operand and statement parsers. */
export class Cursor {
  i = 0;
  /** Tokens of the current line; `scope` qualifies its `.local` names. */
  constructor(public toks: readonly Token[], public scope = '') {}
  reset(toks: readonly Token[], scope: string): void { this.toks = toks; this.scope = scope; this.i = 0; }
  get peek(): Token { return this.toks[this.i]!; }
  next(): Token { const t = this.toks[this.i]!; if (t.t !== T.End) this.i++; return t; }
  isOp(s: string): boolean { const t = this.toks[this.i]!; return t.t === T.Op && t.text === s; }
  fail(message: string, t: Token = this.peek, code = 'RL100'): never {
    throw new SyntaxError2(message, t.start, Math.max(t.end, t.start + 1), code);
  }
}

const BIN_LEVELS: readonly (readonly string[])[] = [
  ['||'], ['^^'], ['&&'],
  ['=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>'],
  ['|'], ['^'], ['&'], ['<<', '>>', '<<<', '>>>'], ['+', '-'], ['*', '/', '%', '//', '%%'],
];
/** Binary operator -> its level in BIN_LEVELS (one look-up instead of a scan per level). */
const LEVEL_OF: ReadonlyMap<string, number> = new Map(BIN_LEVELS.flatMap((ops, level) => ops.map((op): [string, number] => [op, level])));

/**
 * NASM's --limit-eval (default 8192): an expression in which more operands, unary operators and
 * parentheses are parsed than this is NASM's "expression too long" (its evaluator counts each
 * call of expr6, the rule that reads them; `(` counts once, its operand again).
 */
export const MAX_EXPR_TERMS = 8192;

/**
 * The deepest tree parseExpr builds. The parser itself keeps its pending operators in arrays, so
 * nesting costs it no stack, and constant subtrees fold into one number as they are built (NASM's
 * 8,191 parentheses around `1` are one node); but a tree that still holds a symbol, `$` or a
 * register is walked by recursion (Evaluator.eval and evalExact, modrm's Linear.vec and hasReg,
 * the parser's isConst, the assembler's unknownWeight), about 400 bytes of stack per level.
 * Every Expr comes from parseExpr, so this bounds them all: 512 levels took about 210 KiB over
 * the assembler's own use in the worst walker (`node --stack-size`, cold code), a fraction of the
 * smallest stack Node gives a thread (984 KiB, its main thread; a worker's is 4 MiB by default)
 * whatever the caller already uses; the tests run it on a worker with 0.5 MiB. A real expression
 * is a few levels deep: 512 levels that do not fold (a sum of 512 symbols, say) are past anything
 * but generated text, and are reported (RL110) instead of crashing.
 */
export const MAX_EXPR_DEPTH = 512;

// The parser's pending operators, as numbers: a binary operator is its level in BIN_LEVELS (0-9,
// its text in OP_TEXT); the other entries are below 0. The arrays are reused by every call
// (parseExpr never calls itself, and a line is parsed to its end before the next one).
const PAREN = -1;
const QUESTION = -2;
/** After `? a :`: the `? :` whose third operand is being parsed. */
const COLON = -3;
const NEG = -4;
const NOT = -5;
const LNOT = -6;
const OPS: number[] = [];
const OP_TEXT: string[] = [];
/** The token of each pending operator (where a too deep tree is reported). */
const OP_TOKEN: Token[] = [];
/** Operands waiting for their operator: a binary operator's left one, `?`'s condition and `:`'s middle one. */
const VALS: Expr[] = [];
/** Tree depth of each operand in VALS (a leaf or a folded constant is 1). */
const DEPTHS: number[] = [];

/**
 * Parses a full expression (with `? :`). Identifiers that name registers become Reg nodes.
 * The grammar is NASM's (precedence climbing over BIN_LEVELS, unary operators binding tighter,
 * `c ? a : b` the loosest and right-associative), read with explicit stacks rather than by
 * recursion, so that no nesting NASM accepts overflows the call stack. The tree is the one
 * recursive descent builds, folded node by node in the same order.
 */
export function parseExpr(c: Cursor): Expr {
  let ops = 0;
  let vals = 0;
  let terms = 0;
  for (;;) {
    // An operand: prefix operators and `(`, then a number, string, symbol, register, `$` or `$$`.
    let e: Expr;
    for (;;) {
      if (++terms > MAX_EXPR_TERMS) c.fail(`expression too long (more than ${MAX_EXPR_TERMS} operands, unary operators and parentheses: NASM's limit)`);
      const t = c.next();
      let op = 0;
      switch (t.t) {
        case T.Num: e = t.big !== undefined ? { k: E.Num, v: t.value, big: t.big } : { k: E.Num, v: t.value }; break;
        case T.Str: e = { k: E.Num, v: charConstant(t.text) }; break;
        case T.Here: e = { k: E.Here }; break;
        case T.Base: e = { k: E.Base }; break;
        case T.Bad: c.i--; return c.fail(t.quote);
        case T.Id: e = identifier(c, t); break;
        case T.Op:
          if (t.text === '(') op = PAREN;
          else if (t.text === '-') op = NEG;
          else if (t.text === '+') continue;
          else if (t.text === '~') op = NOT;
          else if (t.text === '!') op = LNOT;
          else { c.i--; return c.fail(`expression syntax error: unexpected '${t.text}'`); }
          OPS[ops] = op; OP_TOKEN[ops] = t; ops++;
          continue;
        default:
          // next() does not move past the end: step back only over a token it consumed. At the end,
          // the message points at the token before it (the operator or comma that wanted an
          // operand), or at the end itself on a line with no token at all.
          if (t.t !== T.End) { c.i--; return c.fail('expression syntax error'); }
          return c.fail('expression expected', c.i > 0 ? c.toks[c.i - 1]! : t);
      }
      break;
    }
    let depth = 1;
    // After an operand: its prefix operators (innermost first), binary operators, `?`, and the
    // `)` and `:` that close what is pending.
    for (;;) {
      while (ops > 0 && OPS[ops - 1]! <= NEG) {
        ops--;
        const k = OPS[ops]!;
        e = fold({ k: k === NEG ? E.Neg : k === NOT ? E.Not : E.LNot, a: e });
        depth = e.k === E.Num ? 1 : deeper(c, depth, ops);
      }
      const t = c.toks[c.i]!;
      let level: number | undefined;
      // The usual end of an operand, without a map look-up.
      if (t.t === T.Op && t.text !== ',' && t.text !== ']') level = LEVEL_OF.get(t.text);
      // Left-associative: the pending operators as tight or tighter take their operands first.
      const min = level ?? 0;
      while (ops > 0 && OPS[ops - 1]! >= min) {
        ops--; vals--;
        const a = VALS[vals]!;
        e = fold({ k: E.Bin, op: OP_TEXT[ops]!, a, b: e });
        depth = e.k === E.Num ? 1 : deeper(c, Math.max(depth, DEPTHS[vals]!), ops);
      }
      if (level !== undefined) {
        c.next();
        OPS[ops] = level; OP_TEXT[ops] = t.text; OP_TOKEN[ops] = t; ops++;
        VALS[vals] = e; DEPTHS[vals] = depth; vals++;
        break;
      }
      if (t.t === T.Op && t.text === '?') {
        c.next();
        OPS[ops] = QUESTION; OP_TOKEN[ops] = t; ops++;
        VALS[vals] = e; DEPTHS[vals] = depth; vals++;
        break;
      }
      if (ops === 0) return e;
      const top = OPS[ops - 1]!;
      if (top === PAREN) {
        if (!c.isOp(')')) c.fail("expecting `)'");
        c.next();
        ops--;
        continue;
      }
      if (top === QUESTION) {
        if (!c.isOp(':')) c.fail("`?' without matching `:'");
        c.next();
        OPS[ops - 1] = COLON;
        VALS[vals] = e; DEPTHS[vals] = depth; vals++;
        break;
      }
      // COLON: `c ? a : b` is complete, and so is the expression it ends (nothing binds looser).
      ops--; vals -= 2;
      e = fold({ k: E.Cond, c: VALS[vals]!, a: VALS[vals + 1]!, b: e });
      depth = e.k === E.Num ? 1 : deeper(c, Math.max(depth, DEPTHS[vals]!, DEPTHS[vals + 1]!), ops);
    }
  }
}

/** The depth of a new node over children at most `depth` deep, its operator OP_TOKEN[at]; fails past MAX_EXPR_DEPTH. */
function deeper(c: Cursor, depth: number, at: number): number {
  if (depth >= MAX_EXPR_DEPTH) c.fail(`expression too deeply nested (more than ${MAX_EXPR_DEPTH} levels around a symbol, \`$' or a register)`, OP_TOKEN[at], 'RL110');
  return depth + 1;
}

/** An identifier operand: a register, or a symbol (`seg`, `wrt` and the float and string functions are not supported). */
function identifier(c: Cursor, t: Token): Expr {
  if (t.value !== 1) {
    const w = word(t.text);
    const lower = w.lower;
    const reg = w.register;
    if (reg) return { k: E.Reg, reg };
    if (lower === 'seg' || lower === 'wrt') { c.i--; c.fail(`'${lower}' is not supported in flat binaries`, t, 'RL110'); }
    if (lower === '__float32__' || lower === '__float64__' || lower.startsWith('__utf') || lower.startsWith('__ilog2')) {
      c.i--; c.fail(`'${t.text}' is not supported`, t, 'RL110');
    }
  }
  return { k: E.Sym, name: qualify(t.text, c.scope), start: t.start, end: t.end };
}

/** `.local` names live under the last non-local label; `..@` names and globals stand alone. */
export function qualify(name: string, scope: string): string {
  if (name.charCodeAt(0) === 46 && name.charCodeAt(1) !== 46) return scope + name;
  return name;
}

/** 'ab' as a number: the first character in the lowest byte. */
export function charConstant(s: string): number {
  let v = 0;
  for (let i = Math.min(s.length, 8) - 1; i >= 0; i--) v = v * 256 + (s.charCodeAt(i) & 0xff);
  return v;
}

/** Constant folding keeps the per-pass evaluation of literal-only operands free. */
function fold(e: Expr): Expr {
  const ev = FOLDER;
  if (!isConstant(e)) return e;
  ev.reset();
  const v = ev.eval(e);
  if (ev.error !== undefined) return e; // let the real evaluation report it, with its position
  if (ev.inexact) return { k: E.Num, v, big: ev.evalExact(e) };
  // NASM's base/index hints notice when two constant terms were summed; keep that fact.
  const summed = (e.k === E.Bin && (e.op === '+' || e.op === '-') && v !== 0) ||
    (e.k === E.Bin && ((e.a.k === E.Num && e.a.summed === true) || (e.b.k === E.Num && e.b.summed === true)));
  return summed ? { k: E.Num, v, summed } : { k: E.Num, v };
}

function isConstant(e: Expr): boolean {
  switch (e.k) {
    case E.Num: return true;
    case E.Neg: case E.Not: case E.LNot: return e.a.k === E.Num;
    case E.Bin: return e.a.k === E.Num && e.b.k === E.Num;
    case E.Cond: return e.c.k === E.Num && e.a.k === E.Num && e.b.k === E.Num;
    default: return false;
  }
}

/** What the evaluator needs from the assembler: symbols and the current position. */
export interface EvalEnv {
  /** Sets ev.s/ev.r for the symbol and returns its offset; undefined when not (yet) defined. */
  symbol(node: Extract<Expr, { k: E.Sym }>, ev: Evaluator): number | undefined;
  readonly section: number;
  /** The exact value of a symbol whose number is inexact (an equ past 2^53), if it has one. */
  exactSymbol?(node: Extract<Expr, { k: E.Sym }>): bigint | undefined;
  /** `$`: the offset of the start of the current line (of a whole TIMES line, as in NASM). */
  readonly here: number;
}

const NO_ENV: EvalEnv = { symbol: () => undefined, section: -1, here: 0 };
const TWO64 = 2n ** 64n;

/**
 * Evaluates an expression: the return value is the offset; `s` is the section whose base is added
 * (-1: none), `r` the section whose base is subtracted, `u` marks a value not known this pass.
 */
export class Evaluator {
  s = -1;
  r = -1;
  u = false;
  /**
   * The number returned is not the exact 64-bit value (it left the safe-integer range): whoever
   * writes bytes asks evalExact. Values stay numbers on the common path; BigInt only here.
   */
  inexact = false;
  error: string | undefined;
  errorCode = 'RL107';
  /** First undefined symbol seen (for the final pass's message). */
  undefinedSym: { name: string; start: number; end: number } | undefined;
  env: EvalEnv = NO_ENV;

  reset(): void { this.s = -1; this.r = -1; this.u = false; this.inexact = false; this.error = undefined; this.undefinedSym = undefined; }

  /** Notes a result outside the safe-integer range (see `inexact`). */
  private exact(v: number): number {
    if (!(v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER)) this.inexact = true;
    return v;
  }

  /** The exact signed 64-bit value of `e` (for an expression eval() found inexact and error-free). */
  evalExact(e: Expr): bigint {
    switch (e.k) {
      case E.Num: return e.big !== undefined ? BigInt.asIntN(64, e.big) : BigInt(e.v);
      case E.Sym: {
        const v = this.eval(e);
        return this.env.exactSymbol?.(e) ?? BigInt(v);
      }
      case E.Here: case E.Base: case E.Reg: return BigInt(this.eval(e));
      case E.Neg: return BigInt.asIntN(64, -this.evalExact(e.a));
      case E.Not: return BigInt.asIntN(64, ~this.evalExact(e.a));
      case E.LNot: return this.evalExact(e.a) === 0n ? 1n : 0n;
      case E.Cond: return this.evalExact(e.c) !== 0n ? this.evalExact(e.a) : this.evalExact(e.b);
      case E.Bin: {
        const a = this.evalExact(e.a);
        const b = this.evalExact(e.b);
        switch (e.op) {
          case '+': return BigInt.asIntN(64, a + b);
          case '-': return BigInt.asIntN(64, a - b);
          case '*': return BigInt.asIntN(64, a * b);
          case '=': case '==': return a === b ? 1n : 0n;
          case '!=': case '<>': return a !== b ? 1n : 0n;
          case '<': return a < b ? 1n : 0n;
          case '<=': return a <= b ? 1n : 0n;
          case '>': return a > b ? 1n : 0n;
          case '>=': return a >= b ? 1n : 0n;
          case '<=>': return a < b ? -1n : a > b ? 1n : 0n;
          case '||': return a !== 0n || b !== 0n ? 1n : 0n;
          case '^^': return (a !== 0n) !== (b !== 0n) ? 1n : 0n;
          case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
          default: return exactOp(e.op, a, b);
        }
      }
    }
  }

  get simple(): boolean { return this.s < 0 && this.r < 0; }

  private fail(msg: string): number {
    if (this.error === undefined) this.error = msg;
    this.s = -1; this.r = -1;
    return 0;
  }

  eval(e: Expr): number {
    switch (e.k) {
      case E.Num:
        this.s = -1; this.r = -1; this.u = false;
        if (e.big !== undefined) this.inexact = true;
        return e.v;
      case E.Here: this.s = this.env.section; this.r = -1; this.u = false; return this.env.here;
      case E.Base: this.s = this.env.section; this.r = -1; this.u = false; return 0;
      case E.Sym: {
        this.s = -1; this.r = -1; this.u = false;
        const v = this.env.symbol(e, this);
        if (v === undefined) {
          if (!this.undefinedSym) this.undefinedSym = e;
          this.s = -1; this.r = -1; this.u = true;
          return 0;
        }
        return v;
      }
      case E.Reg: return this.fail(`register '${e.reg.name}' is not allowed here`);
      case E.Neg: {
        const a = this.eval(e.a);
        const s = this.s; this.s = this.r; this.r = s;
        return this.exact(wrap(-a));
      }
      case E.Not: case E.LNot: {
        const a = this.eval(e.a);
        if (this.u) return 0;
        if (!this.simple) return this.fail(`'${e.k === E.Not ? '~' : '!'}' operator may only be applied to scalar values`);
        return e.k === E.Not ? this.exact(wrap(-a - 1)) : (a === 0 ? 1 : 0);
      }
      case E.Cond: {
        const c = this.eval(e.c);
        if (this.u) { this.eval(e.a); this.eval(e.b); this.u = true; return 0; }
        if (!this.simple) return this.fail("the left-hand side of `?' must be a scalar value");
        return c !== 0 ? this.eval(e.a) : this.eval(e.b);
      }
      case E.Bin: return this.binary(e.op, e.a, e.b);
    }
  }

  private binary(op: string, ea: Expr, eb: Expr): number {
    const a = this.eval(ea);
    const as = this.s, ar = this.r, au = this.u;
    const b = this.eval(eb);
    const bs = this.s, br = this.r, bu = this.u;
    const u = au || bu;
    if (op === '+' || op === '-') {
      const plus = op === '+';
      const v = plus ? a + b : a - b;
      this.u = u;
      return this.combine(as, ar, plus ? bs : br, plus ? br : bs) ? this.exact(wrap(v)) : 0;
    }
    if (op === '*') {
      this.u = u;
      const aSimple = as < 0 && ar < 0, bSimple = bs < 0 && br < 0;
      if (aSimple && bSimple) { this.s = -1; this.r = -1; return this.exact(mul(a, b)); }
      if (u) { this.s = -1; this.r = -1; return 0; }
      if (aSimple && a === 1) { this.s = bs; this.r = br; return b; }
      if (bSimple && b === 1) { this.s = as; this.r = ar; return a; }
      return this.fail('unable to multiply two non-scalar objects');
    }
    const isCompare = op === '=' || op === '==' || op === '!=' || op === '<>' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === '<=>';
    if (isCompare) {
      this.u = u;
      if (!this.combine(as, ar, br, bs)) return 0;
      if (u) { this.s = -1; this.r = -1; return 0; }
      const simple = this.simple;
      this.s = -1; this.r = -1;
      const d = a - b;
      if (op === '=' || op === '==') return simple && d === 0 ? 1 : 0;
      if (op === '!=' || op === '<>') return simple && d === 0 ? 0 : 1;
      if (!simple) return this.fail(`\`${op}': operands differ by a non-scalar`);
      if (op === '<=>') return d < 0 ? -1 : d > 0 ? 1 : 0;
      if (op === '<') return d < 0 ? 1 : 0;
      if (op === '<=') return d <= 0 ? 1 : 0;
      if (op === '>') return d > 0 ? 1 : 0;
      return d >= 0 ? 1 : 0;
    }
    // Every other operator wants scalars.
    if ((as >= 0 || ar >= 0) && !au || (bs >= 0 || br >= 0) && !bu) {
      this.u = false;
      const what = op === '<<' || op === '>>' || op === '<<<' || op === '>>>' ? 'shift operator' : op === '/' || op === '%' || op === '//' || op === '%%' ? 'division operator' : `\`${op}' operator`;
      return this.fail(`${what} may only be applied to scalar values`);
    }
    this.s = -1; this.r = -1;
    if ((op === '/' || op === '%' || op === '//' || op === '%%') && !bu && b === 0) { this.u = false; return this.fail('division by zero'); }
    if (u) { this.u = true; return 0; }
    this.u = false;
    switch (op) {
      case '||': return a !== 0 || b !== 0 ? 1 : 0;
      case '^^': return (a !== 0) !== (b !== 0) ? 1 : 0;
      case '&&': return a !== 0 && b !== 0 ? 1 : 0;
      default: return this.exact(bigOp(op, a, b));
    }
  }

  /** Adds section bases (+as +bs -ar -br), cancelling pairs; false (with an error) if not relocatable. */
  private combine(as: number, ar: number, bs: number, br: number): boolean {
    let s1 = as, s2 = bs, r1 = ar, r2 = br;
    if (s1 >= 0 && s1 === r2) { s1 = -1; r2 = -1; }
    if (s1 >= 0 && s1 === r1) { s1 = -1; r1 = -1; }
    if (s2 >= 0 && s2 === r1) { s2 = -1; r1 = -1; }
    if (s2 >= 0 && s2 === r2) { s2 = -1; r2 = -1; }
    if ((s1 >= 0 && s2 >= 0) || (r1 >= 0 && r2 >= 0)) {
      this.fail('expression is not simple or relocatable');
      return false;
    }
    this.s = s1 >= 0 ? s1 : s2;
    this.r = r1 >= 0 ? r1 : r2;
    return true;
  }
}

const FOLDER = new Evaluator();

/** Keeps a value in NASM's signed 64-bit range. */
export function wrap(v: number): number {
  if (Number.isSafeInteger(v)) return v;
  if (!Number.isFinite(v)) return 0;
  return Number(BigInt.asIntN(64, BigInt(Math.trunc(v))));
}

function mul(a: number, b: number): number {
  const v = a * b;
  if (Number.isSafeInteger(v)) return v;
  return Number(BigInt.asIntN(64, BigInt(a) * BigInt(b)));
}

function bigOp(op: string, a: number, b: number): number {
  // Small non-negative operands fit JavaScript's 32-bit operators; everything else goes 64-bit.
  if (a >= 0 && b >= 0 && a < 0x40000000 && b < 0x40000000) {
    switch (op) {
      case '|': return a | b;
      case '^': return a ^ b;
      case '&': return a & b;
      case '/': case '//': return Math.floor(a / b);
      case '%': case '%%': return a % b;
      case '>>': case '>>>': return b >= 31 ? 0 : a >> b;
    }
  }
  return Number(exactOp(op, BigInt(a), BigInt(b)));
}

/** NASM's 64-bit bitwise, shift and division operators (`/` and `%` unsigned, `//` `%%` signed). */
function exactOp(op: string, A: bigint, B: bigint): bigint {
  const ua = BigInt.asUintN(64, A), ub = BigInt.asUintN(64, B);
  let r: bigint;
  switch (op) {
    case '|': r = A | B; break;
    case '^': r = A ^ B; break;
    case '&': r = A & B; break;
    case '<<': case '<<<': r = ub >= 64n ? 0n : A << ub; break;
    case '>>': r = ub >= 64n ? 0n : ua >> ub; break;
    case '>>>': r = A >> (ub >= 64n ? 63n : ub); break;
    case '/': r = ua / ub; break;
    case '%': r = ua % ub; break;
    case '//': r = A / B; break;
    case '%%': r = A % B; break;
    default: r = 0n;
  }
  return BigInt.asIntN(64, r % TWO64);
}
