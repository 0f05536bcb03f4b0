// Effective addresses: turns a memory operand's expression into ModRM.mod/rm, SIB and a
// displacement exactly as NASM's parse_mref()/process_ea() do, including their base/index hints
// (`[eax*2]` -> `[eax+eax]`, `[esp+eax]` swap, `[ebp]` -> disp8 0, nosplit, `[byte eax]`).

import type { Register } from '../isa';
import { E, Evaluator, type Expr } from './expression';
import type { Operand } from './operands';

const enum Hint { None, MakeBase, NotBase, Summed }

interface Vec {
  /** Registers and their coefficients in [0, count): the arrays are reused, never emptied (that
   * would drop their storage and allocate anew on the next push). */
  readonly regs: Register[];
  readonly coefs: number[];
  count: number;
  n: number;
  hasN: boolean;
  s: number;
  r: number;
  u: boolean;
}

/** The encoded address: everything but ModRM.reg, which the instruction supplies. */
export interface EffectiveAddress {
  error: string | undefined;
  /** 16-bit addressing (emits 0x67 in 32-bit code). */
  addr16: boolean;
  /** No base or index register: a candidate for the moffs forms (A0-A3). */
  offsetOnly: boolean;
  mod: number;
  rm: number;
  sib: number;
  hasSib: boolean;
  /** Displacement bytes: 0, 1, 2 or 4. */
  dispBytes: number;
  disp: number;
  /** Section bases added/subtracted by the displacement (bin relocations). */
  dispS: number;
  dispR: number;
  unknown: boolean;
}

export function newEA(): EffectiveAddress {
  return { error: undefined, addr16: false, offsetOnly: false, mod: 0, rm: 0, sib: 0, hasSib: false, dispBytes: 0, disp: 0, dispS: -1, dispR: -1, unknown: false };
}

const R32: Record<string, number> = { eax: 0, ecx: 1, edx: 2, ebx: 3, esp: 4, ebp: 5, esi: 6, edi: 7 };
const ESP = 4, EBP = 5;

/**
 * One instance serves every memory operand (reset per operand), and its vectors come from a pool:
 * every pass re-encodes each memory operand that names a symbol, and a fresh object per vector
 * node was a steady stream of garbage.
 */
class Linear {
  hint = Hint.None;
  hintBase: Register | undefined;
  error: string | undefined;
  ev!: Evaluator;
  private readonly pool: Vec[] = [];
  private used = 0;

  reset(ev: Evaluator): void {
    this.ev = ev; this.hint = Hint.None; this.hintBase = undefined; this.error = undefined; this.used = 0;
  }

  /** A cleared vector from the pool, valid until the next reset. */
  fresh(n: number, hasN: boolean, s: number, r: number, u: boolean): Vec {
    let v = this.pool[this.used];
    if (v === undefined) { v = { regs: [], coefs: [], count: 0, n: 0, hasN: false, s: -1, r: -1, u: false }; this.pool.push(v); }
    this.used++;
    v.count = 0;
    v.n = n; v.hasN = hasN; v.s = s; v.r = r; v.u = u;
    return v;
  }

  vec(e: Expr): Vec {
    switch (e.k) {
      case E.Reg:
        if (this.hint === Hint.None) { this.hint = Hint.MakeBase; this.hintBase = e.reg; }
        { const v = this.fresh(0, false, -1, -1, false); v.regs[0] = e.reg; v.coefs[0] = 1; v.count = 1; return v; }
      case E.Num:
        if (e.summed) this.hint = Hint.Summed;
        return this.fresh(e.v, true, -1, -1, false);
      case E.Neg: return this.scale(this.vec(e.a), -1, false);
      case E.Bin:
        if (e.op === '+' || e.op === '-') {
          const a = this.vec(e.a);
          const b = this.vec(e.b);
          return this.add(a, e.op === '-' ? this.scale(b, -1, false) : b);
        }
        if (e.op === '*' && (hasReg(e.a) || hasReg(e.b))) {
          const a = this.vec(e.a);
          const b = this.vec(e.b);
          if (isSimple(a)) return this.scale(b, a.n, true);
          if (isSimple(b)) return this.scale(a, b.n, true);
          this.error ??= 'unable to multiply two non-scalar objects';
          return a;
        }
        break;
      default:
        break;
    }
    if (hasReg(e)) { this.error ??= 'invalid effective address'; return this.fresh(0, false, -1, -1, false); }
    const ev = this.ev;
    const saveU = ev.u;
    const n = ev.eval(e);
    const v = this.fresh(ev.u ? 0 : n, !ev.u, ev.s, ev.r, ev.u);
    ev.u = saveU || ev.u;
    return v;
  }

  private scale(v: Vec, k: number, affectHints: boolean): Vec {
    for (let i = 0; i < v.count; i++) {
      v.coefs[i] = v.coefs[i]! * k;
      if (affectHints && this.hint === Hint.MakeBase && v.regs[i] === this.hintBase) this.hint = Hint.NotBase;
    }
    v.n *= k;
    if (k === -1) { const s = v.s; v.s = v.r; v.r = s; } else if (k !== 1 && (v.s >= 0 || v.r >= 0)) this.error ??= 'invalid effective address: impossible segment base multiplier';
    return v;
  }

  private add(a: Vec, b: Vec): Vec {
    for (let j = 0; j < b.count; j++) {
      const reg = b.regs[j]!;
      let idx = 0;
      while (idx < a.count && a.regs[idx] !== reg) idx++;
      if (idx === a.count) { a.regs[idx] = reg; a.coefs[idx] = b.coefs[j]!; a.count++; continue; }
      const sum = a.coefs[idx]! + b.coefs[j]!;
      if (sum !== 0) { a.coefs[idx] = sum; this.hint = Hint.Summed; continue; }
      // The register cancels out: close the gap, keeping the others' order.
      for (let m = idx + 1; m < a.count; m++) { a.regs[m - 1] = a.regs[m]!; a.coefs[m - 1] = a.coefs[m]!; }
      a.count--;
    }
    if (a.hasN && b.hasN) {
      if (a.n + b.n !== 0) this.hint = Hint.Summed; else a.hasN = false;
    } else a.hasN = a.hasN || b.hasN;
    a.n += b.n;
    if (a.u && b.u) this.hint = Hint.Summed;
    a.u = a.u || b.u;
    let s1 = a.s, r1 = a.r, s2 = b.s, r2 = b.r;
    if (s1 >= 0 && s1 === r2) { s1 = -1; r2 = -1; }
    if (s2 >= 0 && s2 === r1) { s2 = -1; r1 = -1; }
    if ((s1 >= 0 && s2 >= 0) || (r1 >= 0 && r2 >= 0)) this.error ??= 'invalid effective address: multiple base segments';
    a.s = s1 >= 0 ? s1 : s2;
    a.r = r1 >= 0 ? r1 : r2;
    return a;
  }
}

function isSimple(v: Vec): boolean { return v.count === 0 && !v.u && v.s < 0 && v.r < 0; }
function hasReg(e: Expr): boolean {
  switch (e.k) {
    case E.Reg: return true;
    case E.Neg: case E.Not: case E.LNot: return hasReg(e.a);
    case E.Bin: return hasReg(e.a) || hasReg(e.b);
    case E.Cond: return hasReg(e.c) || hasReg(e.a) || hasReg(e.b);
    default: return false;
  }
}

const LINEAR = new Linear();
/** Indices of the address's registers in NASM's order (the first v.count), reused by every operand. */
const ORDER: number[] = [];

/** Fills `out` for memory operand `op` (rfield excluded). `forceA16` is the `a16` prefix. */
export function computeEA(op: Operand, ev: Evaluator, out: EffectiveAddress, forceA16: boolean): void {
  out.error = undefined;
  out.hasSib = false;
  out.sib = 0;
  const lin = LINEAR;
  lin.reset(ev);
  const v = lin.vec(op.expr!);
  out.disp = v.n;
  out.dispS = v.s;
  out.dispR = v.r;
  out.unknown = v.u;
  if (lin.error) { out.error = lin.error; return; }
  // NASM's expression vectors list registers in the order of its register enum (alphabetical).
  const order = ORDER;
  const count = v.count;
  for (let k = 0; k < count; k++) {
    // Insertion by name (names are distinct: add() merged equal registers).
    let j = k;
    order[j] = k;
    while (j > 0 && v.regs[order[j - 1]!]!.name > v.regs[k]!.name) { order[j] = order[j - 1]!; j--; }
    order[j] = k;
  }
  let b: Register | undefined;
  let i: Register | undefined;
  let s = 0;
  for (let n = 0; n < count; n++) {
    const k = order[n]!;
    const reg = v.regs[k]!;
    const c = v.coefs[k]!;
    const gpr = reg.cls === 'r32' || reg.cls === 'r16';
    if (!gpr) { out.error = `invalid effective address: impossible register '${reg.name}'`; return; }
    if (c === 1 && b === undefined) b = reg;
    else if (i === undefined) { i = reg; s = c; }
    else { out.error = b === undefined ? 'invalid effective address: two index registers' : 'invalid effective address: too many registers'; return; }
  }
  if (s === 0) i = undefined;
  const reloc = v.s >= 0 || v.r >= 0;
  const fwd = v.u;
  // The displacement field wraps to the address size, so NASM range-checks the wrapped value.
  const o = b?.cls === 'r16' || i?.cls === 'r16' ? (v.n << 16) >> 16 : v.n | 0;
  const byteOffs = op.dispSize === 8;
  const wordOffs = op.dispSize === 16 || op.dispSize === 32;
  const hb = lin.hintBase;
  const ht = lin.hint;
  out.offsetOnly = b === undefined && i === undefined;
  if (out.offsetOnly) {
    out.addr16 = op.dispSize === 16 || forceA16;
    out.mod = 0;
    out.rm = out.addr16 ? 6 : 5;
    out.dispBytes = out.addr16 ? 2 : 4;
    return;
  }
  const is16 = (b ?? i)!.cls === 'r16';
  if ((b && b.cls !== (is16 ? 'r16' : 'r32')) || (i && i.cls !== (is16 ? 'r16' : 'r32'))) { out.error = 'invalid effective address: mixed address sizes'; return; }
  if (is16) { ea16(b, i, s, o, reloc || fwd, byteOffs, wordOffs, op.dispSize, out); return; }
  if (op.dispSize === 16 || forceA16) { out.error = 'invalid effective address: 32-bit registers with 16-bit addressing'; return; }
  out.addr16 = false;
  let bt = b ? R32[b.name]! : -1;
  let it = i ? R32[i.name]! : -1;
  if (s === 1 && bt !== it && bt !== -1 && it !== -1 &&
      ((hb === b && ht === Hint.NotBase) || (hb === i && ht === Hint.MakeBase))) { const t = bt; bt = it; it = t; }
  if (bt === it && bt !== -1) { bt = -1; s++; }
  if (bt === -1 && s === 1 && !(hb === i && ht === Hint.NotBase)) { bt = it; it = -1; }
  if (((s === 2 && it !== ESP && (!op.nosplit || ht === Hint.Summed)) || s === 3 || s === 5 || s === 9) && bt === -1) { bt = it; s--; }
  if (it === -1 && bt !== ESP && op.nosplit && hb === b && ht === Hint.NotBase) { it = bt; bt = -1; s = 1; }
  if (s === 1 && it === ESP) { it = bt; bt = ESP; }
  if (it === ESP || (it !== -1 && s !== 1 && s !== 2 && s !== 4 && s !== 8)) { out.error = 'invalid effective address'; return; }
  let mod: number;
  if (bt === -1) mod = 0;
  else if (bt !== EBP && o === 0 && !reloc && !fwd && !byteOffs && !wordOffs) mod = 0;
  else if (byteOffs || (o >= -128 && o <= 127 && !reloc && !fwd && !wordOffs)) mod = 1;
  else mod = 2;
  out.mod = mod;
  out.dispBytes = bt === -1 || mod === 2 ? 4 : mod;
  if (it === -1 && bt !== ESP) {
    out.rm = bt === -1 ? 5 : bt;
  } else {
    out.hasSib = true;
    out.rm = 4;
    const index = it === -1 ? 4 : it;
    const scale = it === -1 ? 0 : s === 1 ? 0 : s === 2 ? 1 : s === 4 ? 2 : 3;
    out.sib = (scale << 6) | (index << 3) | (bt === -1 ? 5 : bt);
  }
}

const R16: Record<string, number> = { bx: 3, bp: 5, si: 6, di: 7 };

function ea16(b: Register | undefined, i: Register | undefined, s: number, o: number, noShort: boolean,
  byteOffs: boolean, wordOffs: boolean, dispSize: number, out: EffectiveAddress): void {
  out.addr16 = true;
  let bn = b ? R16[b.name] ?? -2 : -1;
  let inn = i ? R16[i.name] ?? -2 : -1;
  if (bn === -2 || inn === -2 || dispSize === 32 || (s !== 1 && inn !== -1)) { out.error = 'invalid 16-bit effective address'; return; }
  if (bn === -1 && inn !== -1) { bn = inn; inn = -1; }
  if ((bn === 6 || bn === 7) && inn !== -1) { const t = bn; bn = inn; inn = t; }
  if (bn === inn || (inn !== -1 && bn !== -1 && (inn === 5 || inn === 3 || bn === 6 || bn === 7))) { out.error = 'invalid 16-bit effective address'; return; }
  let rm: number;
  if (inn === -1) rm = bn === 6 ? 4 : bn === 7 ? 5 : bn === 5 ? 6 : 7;
  else rm = (bn === 3 ? 0 : 2) + (inn === 7 ? 1 : 0);
  let mod: number;
  if (o === 0 && !noShort && !byteOffs && !wordOffs && rm !== 6) mod = 0;
  else if (byteOffs || (o >= -128 && o <= 127 && !noShort && !wordOffs)) mod = 1;
  else mod = 2;
  out.mod = mod;
  out.rm = rm;
  out.dispBytes = mod === 0 ? 0 : mod === 1 ? 1 : 2;
}
