// Picks the table form NASM would pick for an instruction and writes its bytes. Everything here is
// driven by core/isa's Form.encoding (opcode, opsize, modrm, plusReg, immediates, slots); the
// order of a mnemonic's rows is NASM's preference order (first matching row wins).

import { SEGMENT_PREFIX, type Form, type InstructionDef, type OperandKind } from '../isa';
import type { Evaluator } from './expression';
import { computeEA, newEA, type EffectiveAddress } from './modrm';
import { Jump, OpK, type Operand } from './operands';
import type { ByteWriter } from './output';

export interface InsnStmt {
  readonly def: InstructionDef;
  /** Assemblable forms with the right number of operands, in table order. */
  readonly forms: readonly Form[];
  readonly ops: readonly Operand[];
  /** 0, 0xF2 or 0xF3. */
  readonly rep: number;
  readonly lock: boolean;
  /** Segment override written as a prefix (`es movsb`): sreg number or -1. */
  readonly segPrefix: number;
  readonly o16: boolean;
  readonly a16: boolean;
  /** Constant encoding in the assembler's constant-bytes arena (-1: none yet); identical lines
   * share this record, so a repeated constant instruction is encoded once. */
  cacheAt: number;
  cacheLen: number;
  /** No operand depends on a position or a symbol (set by the parser): the bytes are constant. */
  cacheable: boolean;
  /** Its forms if it is a branch whose form is picked by distance alone (see branchForms): found
   * at its first encoding; null when it is not such a branch. */
  branch: BranchForms | null | undefined;
}

/**
 * A relative branch to a plain target (no size, `strict`, `short` or `near`), such as `jnz
 * label`: selectForm's choice among its forms is the rel8 form if the target is near enough,
 * else the first rel32 form (or always rel8 when the mnemonic has no near form, as LOOP). Noted
 * once, as a branch is encoded on every pass.
 */
interface BranchForms {
  readonly short: Form;
  /** The rel8 form's length (matchKind's rel8 test measures from its end). */
  readonly shortLength: number;
  readonly near: Form | undefined;
}

/** Where the instruction is and how to report. */
export interface EncodeContext {
  readonly ev: Evaluator;
  readonly section: number;
  readonly offset: number;
  readonly final: boolean;
  /** Messages of this pass are discarded (only counted): no need to build their text. */
  readonly quiet: boolean;
  readonly out: ByteWriter;
  report(message: string, code: string, severity: 'error' | 'warning', start: number, end: number): void;
}

/** Per-operand values of the current pass, reused across instructions (no allocation per line). */
interface OpValue {
  n: number; s: number; r: number; u: boolean; segN: number; ea: EffectiveAddress;
  /** The exact value when `n` is past 2^53 (written bit for bit). */
  exact: bigint | undefined;
}
const vals: OpValue[] = [0, 1, 2, 3].map(() => ({ n: 0, s: -1, r: -1, u: false, segN: 0, ea: newEA(), exact: undefined }));

const enum M { No, Ok, Missing }

const KIND_BITS: Partial<Record<OperandKind, number>> = {
  rm8: 8, rm16: 16, rm32: 32, m8: 8, m16: 16, m32: 32, m64: 64, moffs8: 8, moffs16: 16, moffs32: 32,
  r8: 8, r16: 16, r32: 32, al: 8, ax: 16, eax: 32, imm8: 8, imm16: 16, imm32: 32, sreg: 16,
};

/** Encodes one instruction at ctx.offset; returns false after reporting an error. */
export function encodeInsn(st: InsnStmt, ctx: EncodeContext): boolean {
  const ops = st.ops;
  const ev = ctx.ev;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const v = vals[i]!;
    if (op.k === OpK.Reg) continue;
    if (op.k === OpK.Mem) {
      ev.reset();
      computeEA(op, ev, v.ea, st.a16);
      if (v.ea.error) return fail(ctx, v.ea.error, 'RL102', op);
      if (ev.error) return fail(ctx, ev.error, ev.errorCode, op);
      if (v.ea.unknown) undefinedSymbol(ctx, ev, op);
      continue;
    }
    ev.reset();
    v.n = ev.eval(op.expr!);
    v.s = ev.s; v.r = ev.r; v.u = ev.u;
    v.exact = ev.inexact && ev.simple && !ev.u && ev.error === undefined ? ev.evalExact(op.expr!) : undefined;
    if (op.k === OpK.Far) {
      v.segN = ev.eval(op.segExpr!);
      if (!ev.simple && !ev.u && ev.error === undefined) ev.error = 'far pointer selector must be a constant';
      v.u = v.u || ev.u;
    }
    if (ev.error) return fail(ctx, ev.error, ev.errorCode, op);
    // Unknown values are 0 this pass; the message only survives if no later pass defines them.
    if (v.u) undefinedSymbol(ctx, ev, op);
  }
  const form = selectForm(st, ctx);
  if (form === undefined) return false;
  emit(st, form, ctx);
  return true;
}

function fail(ctx: EncodeContext, msg: string, code: string, op: Operand): false {
  ctx.report(msg, code, 'error', op.start, op.end);
  return false;
}

function undefinedSymbol(ctx: EncodeContext, ev: Evaluator, op: Operand): void {
  if (ctx.quiet) { ctx.report('', 'RL103', 'error', 0, 0); return; }
  const s = ev.undefinedSym;
  if (s) ctx.report(`symbol '${s.name}' not defined`, 'RL103', 'error', s.start, s.end);
  else ctx.report('expression not defined', 'RL103', 'error', op.start, op.end);
}

function selectForm(st: InsnStmt, ctx: EncodeContext): Form | undefined {
  const branch = st.branch === undefined ? (st.branch = branchForms(st)) : st.branch;
  if (branch !== null) {
    // matchKind's rel8 test for a plain operand; the rel32 form matches any such operand.
    if (branch.near === undefined || nearEnoughForRel8(vals[0]!, ctx, branch.shortLength)) return branch.short;
    return branch.near;
  }
  const forms = st.forms;
  let firstMissing: Form | undefined;
  let sizes = 0; // bit set of candidate memory sizes (8, 16, 32, 64 -> bits 0..3)
  let missing32: Form | undefined;
  for (let f = 0; f < forms.length; f++) {
    const form = forms[f]!;
    const r = matchForm(st, form, ctx);
    if (r === M.Ok) return form;
    if (r === M.Missing) {
      firstMissing ??= form;
      const bits = missingSize(st, form);
      sizes |= bits === 8 ? 1 : bits === 16 ? 2 : bits === 32 ? 4 : 8;
      if (bits === 32) missing32 ??= form;
    }
  }
  const where = st.ops.length > 0 ? st.ops[0]! : undefined;
  const start = where ? where.start : 0;
  const end = st.ops.length > 0 ? st.ops[st.ops.length - 1]!.end : 0;
  if (firstMissing) {
    if ((sizes & (sizes - 1)) === 0) return firstMissing;
    // Near branches through memory default to the mode's operand size, as in NASM.
    if (missing32 && (st.def.flow === 'jump' || st.def.flow === 'call')) return missing32;
    ctx.report('operation size not specified', 'RL108', 'error', start, end);
    return undefined;
  }
  ctx.report(`invalid combination of opcode and operands for '${st.def.mnemonic}'`, 'RL102', 'error', start, end);
  return undefined;
}

/**
 * The BranchForms of `st`, or null. What matchForm would do with its forms in table order, for a
 * lone immediate operand without size or keywords: a rel8 form depends on the distance, a rel32
 * form always matches (the first one ends the search), and rel16, memory, far and register forms
 * never match. Any other form (an immediate one), a second rel8 form or a 16-bit one (matchForm's
 * own test), and the instruction is left to the full search.
 */
function branchForms(st: InsnStmt): BranchForms | null {
  const op = st.ops.length === 1 ? st.ops[0]! : undefined;
  if (op === undefined || op.k !== OpK.Imm || op.jump !== Jump.None || op.size !== 0 || op.strict) return null;
  let short: Form | undefined;
  for (const form of st.forms) {
    const kind = form.operands[0]!;
    if (form.encoding.opsize === 16 && (kind === 'rel8' || kind === 'rel32')) return null;
    if (kind === 'rel8') {
      if (short !== undefined) return null; // a second one would be tried with its own length
      short = form;
    } else if (kind === 'rel32') return short === undefined ? null : { short, shortLength: formLength(st, short), near: form };
    else if (!NEVER_AN_IMMEDIATE.has(kind)) return null;
  }
  return short === undefined ? null : { short, shortLength: formLength(st, short), near: undefined };
}

/** Operand kinds matchKind never matches with an immediate operand without keywords. */
const NEVER_AN_IMMEDIATE: ReadonlySet<OperandKind> = new Set<OperandKind>([
  'rel16', 'r8', 'r16', 'r32', 'sreg', 'creg', 'dreg', 'al', 'ax', 'eax', 'cl', 'dx', 'es', 'cs', 'ss', 'ds', 'fs', 'gs',
  'rm8', 'rm16', 'rm32', 'm8', 'm16', 'm32', 'm64', 'mem', 'mfar', 'moffs8', 'moffs16', 'moffs32', 'far16', 'far32',
]);

function missingSize(st: InsnStmt, form: Form): number {
  for (let i = 0; i < st.ops.length; i++) {
    if (st.ops[i]!.k === OpK.Mem && st.ops[i]!.size === 0) {
      const b = KIND_BITS[form.operands[i]!];
      if (b !== undefined) return b;
    }
  }
  return 0;
}

function matchForm(st: InsnStmt, form: Form, ctx: EncodeContext): M {
  const ops = st.ops;
  const kinds = form.operands;
  let result = M.Ok;
  for (let i = 0; i < ops.length; i++) {
    const m = matchKind(kinds[i]!, ops[i]!, vals[i]!, form, ctx, st);
    if (m === M.No) return M.No;
    if (m === M.Missing) {
      // NASM's size-matching: an unsized memory operand takes the size of a sized register or
      // immediate operand of the same width.
      const bits = KIND_BITS[kinds[i]!]!;
      let pinned = false;
      for (let j = 0; j < ops.length && !pinned; j++) {
        if (j === i) continue;
        const o = ops[j]!;
        const kj = kinds[j]!;
        if (o.k === OpK.Reg && (kj === 'r8' || kj === 'r16' || kj === 'r32' || kj === 'al' || kj === 'ax' || kj === 'eax' || kj === 'sreg')) pinned = o.reg!.bits === bits;
        else if (o.k === OpK.Imm && o.size === bits && (kj === 'imm8' || kj === 'imm16' || kj === 'imm32')) pinned = true;
      }
      if (!pinned) result = M.Missing;
    }
  }
  const enc = form.encoding;
  if (enc.opsize === 16 && kinds.length > 0 && !st.o16 && result === M.Ok) {
    // A 16-bit form needs something that says 16 bits; otherwise the 32-bit default applies.
    let says16 = false;
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      if (o.k === OpK.Reg ? (o.reg!.cls === 'r16') : o.size === 16) { says16 = true; break; }
    }
    if (!says16) return M.No;
  }
  return result;
}

function fitsSbyte(n: number, bits: 16 | 32): boolean {
  const mod = bits === 16 ? 0x10000 : 0x100000000;
  const x = (((n + 128) % mod) + mod) % mod;
  return x <= 255;
}

function matchKind(kind: OperandKind, op: Operand, v: OpValue, form: Form, ctx: EncodeContext, st: InsnStmt): M {
  switch (kind) {
    case 'r8': case 'r16': case 'r32': case 'sreg': case 'creg': case 'dreg':
      return op.k === OpK.Reg && op.reg!.cls === kind ? M.Ok : M.No;
    case 'al': case 'ax': case 'eax': case 'cl': case 'dx':
    case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs':
      return op.k === OpK.Reg && op.reg!.name === kind ? M.Ok : M.No;
    case 'rm8': case 'rm16': case 'rm32': {
      if (op.k === OpK.Reg) return op.reg!.cls === (kind === 'rm8' ? 'r8' : kind === 'rm16' ? 'r16' : 'r32') ? M.Ok : M.No;
      return memSize(op, KIND_BITS[kind]!);
    }
    case 'm8': case 'm16': case 'm32': case 'm64':
      return memSize(op, KIND_BITS[kind]!);
    case 'mem':
      return op.k === OpK.Mem && op.jump !== Jump.Far ? M.Ok : M.No;
    case 'mfar':
      if (op.k !== OpK.Mem) return M.No;
      if (form.operands.length === 1) return op.jump === Jump.Far && (op.size === 0 || op.size === (form.encoding.opsize ?? 32)) ? M.Ok : M.No;
      return op.jump === Jump.None && op.size === 0 ? M.Ok : M.No;
    case 'moffs8': case 'moffs16': case 'moffs32':
      if (op.k !== OpK.Mem || !v.ea.offsetOnly) return M.No;
      return memSize(op, KIND_BITS[kind]!);
    case 'imm8': case 'imm16': case 'imm32':
      if (op.k !== OpK.Imm || op.jump !== Jump.None) return M.No;
      return op.size === 0 || op.size === KIND_BITS[kind] ? M.Ok : M.No;
    case 'sbyte16': case 'sbyte32': {
      if (op.k !== OpK.Imm || op.jump !== Jump.None) return M.No;
      const bits = kind === 'sbyte16' ? 16 : 32;
      // An explicit `byte` picks the sign-extended form only where another operand fixes the size.
      if (op.size === 8) return form.operands.length > 1 || bits === 32 ? M.Ok : M.No;
      if ((op.size !== 0 && op.size !== bits) || op.strict) return M.No;
      if (v.u) return M.Ok; // optimistic while the value is unknown, as NASM's first pass
      return v.s < 0 && v.r < 0 && fitsSbyte(v.n, bits) ? M.Ok : M.No;
    }
    case 'unity':
      if (op.k !== OpK.Imm || op.size !== 0 || op.jump !== Jump.None) return M.No;
      return v.u || (v.s < 0 && v.r < 0 && v.n === 1) ? M.Ok : M.No;
    case 'rel8': {
      if (op.k !== OpK.Imm || op.jump === Jump.Near || op.jump === Jump.Far) return M.No;
      if (op.size !== 0 && op.size !== 8) return M.No;
      if (op.jump === Jump.Short) return M.Ok;
      // rel8 is optional only where the mnemonic also has a near form (JMP, Jcc); LOOP has none.
      if (!hasNearForm(st.forms)) return M.Ok;
      if (op.strict) return M.No;
      return nearEnoughForRel8(v, ctx, formLength(st, form)) ? M.Ok : M.No;
    }
    case 'rel16':
      if (op.k !== OpK.Imm || op.jump === Jump.Short || op.jump === Jump.Far) return M.No;
      return op.size === 16 ? M.Ok : M.No;
    case 'rel32':
      if (op.k !== OpK.Imm || op.jump === Jump.Short || op.jump === Jump.Far) return M.No;
      return op.size === 0 || op.size === 32 ? M.Ok : M.No;
    case 'far16':
      return op.k === OpK.Far && op.jump === Jump.None && op.size === 16 ? M.Ok : M.No;
    case 'far32':
      return op.k === OpK.Far && op.jump === Jump.None && (op.size === 0 || op.size === 32) ? M.Ok : M.No;
  }
  return M.No;
}

/**
 * Whether a rel8 form of `length` bytes takes a target without keywords, its mnemonic having a
 * near form too: an unknown target does (optimistic, as NASM's first pass), one in another
 * section or relative to one does not, else its distance from the instruction's end decides.
 */
function nearEnoughForRel8(v: OpValue, ctx: EncodeContext, length: number): boolean {
  if (v.u) return true;
  if (v.s !== ctx.section || v.r >= 0) return false;
  const delta = v.n - (ctx.offset + length);
  return delta >= -128 && delta <= 127;
}

/** A loop, not forms.some(closure): this runs for every short-or-near jump on every pass. */
function hasNearForm(forms: readonly Form[]): boolean {
  for (let i = 0; i < forms.length; i++) if (forms[i]!.operands[0] === 'rel32') return true;
  return false;
}

function memSize(op: Operand, bits: number): M {
  if (op.k !== OpK.Mem || op.jump === Jump.Far || op.jump === Jump.Short) return M.No;
  if (op.size === bits) return M.Ok;
  return op.size === 0 ? M.Missing : M.No;
}

const IMM_BYTES: Record<string, number> = { ib: 1, ibs: 1, rb: 1, iw: 2, rw: 2, id: 4, rd: 4, seg: 2 };

/** Length of an instruction in a form without ModRM (relative jumps): what rel8 fitting needs. */
function formLength(st: InsnStmt, form: Form): number {
  const enc = form.encoding;
  let n = prefixCount(st, form, false) + enc.opcode.length;
  const imms = enc.immediates;
  for (let k = 0; k < imms.length; k++) n += IMM_BYTES[imms[k]!] ?? 4;
  return n;
}

function segOverride(st: InsnStmt): number {
  const ops = st.ops;
  for (let i = 0; i < ops.length; i++) { const op = ops[i]!; if (op.k === OpK.Mem && op.seg >= 0) return op.seg; }
  return st.segPrefix;
}

function prefixCount(st: InsnStmt, form: Form, addr16: boolean): number {
  const enc = form.encoding;
  return (st.rep ? 1 : 0) + (st.lock ? 1 : 0) + (segOverride(st) >= 0 ? 1 : 0) +
    (enc.opsize === 16 || st.o16 ? 1 : 0) + (addr16 || enc.addrsize === 16 || st.a16 ? 1 : 0);
}

function emit(st: InsnStmt, form: Form, ctx: EncodeContext): void {
  const out = ctx.out;
  const base = out.length;
  const enc = form.encoding;
  const ops = st.ops;
  const slots = enc.slots;
  let ea: EffectiveAddress | undefined;
  let rmReg = -1;
  let regField = typeof enc.modrm === 'number' ? enc.modrm : 0;
  let opReg = 0;
  for (let i = 0; i < ops.length; i++) {
    const slot = slots[i];
    const op = ops[i]!;
    if (slot === 'rm') { if (op.k === OpK.Mem) ea = vals[i]!.ea; else rmReg = op.reg!.num; } else if (slot === 'reg') regField = op.reg!.num;
    else if (slot === 'regrm') { regField = op.reg!.num; rmReg = op.reg!.num; } else if (slot === 'opreg') opReg = op.reg!.num;
  }
  // moffs operands address memory too: their size attribute decides 0x67.
  let moffs16 = false;
  for (let i = 0; i < ops.length; i++) if (ops[i]!.k === OpK.Mem && slots[i] === 'imm') moffs16 = vals[i]!.ea.addr16;
  const addr16 = (ea !== undefined && ea.addr16) || moffs16;
  // NASM parses 9B (WAIT) as a prefix of its own that comes before all others (`o16 wait` = 9B 66).
  const opc = enc.opcode;
  const waitPrefix = opc.length === 1 && opc[0] === 0x9b && ops.length === 0;
  if (waitPrefix) out.byte(0x9b);
  if (st.rep) out.byte(st.rep);
  if (st.lock) out.byte(0xf0);
  const seg = segOverride(st);
  if (seg >= 0) out.byte(SEGMENT_PREFIX[seg]!);
  if (enc.opsize === 16 || st.o16) out.byte(0x66);
  if (addr16 || enc.addrsize === 16 || st.a16) out.byte(0x67);
  if (!waitPrefix) {
    for (let k = 0; k < opc.length - 1; k++) out.byte(opc[k]!);
    out.byte(opc[opc.length - 1]! + (enc.plusReg ? opReg : 0));
  }
  let dispPos = -1;
  if (enc.modrm !== undefined) {
    if (ea === undefined) out.byte(0xc0 | (regField << 3) | rmReg);
    else {
      out.byte((ea.mod << 6) | (regField << 3) | ea.rm);
      if (ea.hasSib) out.byte(ea.sib);
      if (ea.dispBytes > 0) { dispPos = out.length; out.int(ea.disp, ea.dispBytes); }
    }
  }
  // Immediate fields in encoding order; relative ones need the instruction's end, so the field
  // sizes are summed first.
  let immLen = 0;
  const imms = enc.immediates;
  for (let k = 0; k < imms.length; k++) { const f = imms[k]!; immLen += f === 'ow' || f === 'od' ? (addr16 ? 2 : 4) : IMM_BYTES[f]!; }
  const insnEnd = ctx.offset + (out.length - base) + immLen;
  if (ea !== undefined && ea.dispBytes > 0) {
    checkDisp(ctx, ea, findMem(st));
    if (ctx.final) out.fix(dispPos, ea.dispBytes, ea.dispS, ea.dispR);
  }
  let src = 0;
  for (let k = 0; k < imms.length; k++) {
    const f = imms[k]!;
    while (src < ops.length && slots[src] !== 'imm') src++;
    const op = ops[src]!;
    const v = vals[src]!;
    switch (f) {
      case 'seg':
        out.int(v.segN, 2);
        src++;
        continue;
      case 'ow': case 'od': {
        const e = v.ea;
        const bytes = addr16 ? 2 : 4;
        const pos = out.length;
        out.int(e.disp, bytes);
        if (ctx.final) out.fix(pos, bytes, e.dispS, e.dispR);
        src++;
        continue;
      }
      case 'rb': case 'rw': case 'rd': {
        const bytes = f === 'rb' ? 1 : f === 'rw' ? 2 : 4;
        let rel = v.n - insnEnd;
        let add = v.s, sub = v.r;
        if (sub >= 0) { ctx.report('jump target is not relocatable', 'RL107', 'error', op.start, op.end); rel = 0; add = -1; sub = -1; }
        else if (add === ctx.section) add = -1;
        // Another section or an absolute address: resolved at layout (NASM truncates a rel8 there
        // without a range check).
        else sub = ctx.section;
        if (f === 'rb' && !v.u && add < 0 && sub < 0 && v.s === ctx.section && (rel < -128 || rel > 127)) {
          ctx.report('short jump is out of range', 'RL105', 'error', op.start, op.end);
        }
        const pos = out.length;
        out.int(rel, bytes);
        if (ctx.final) out.fix(pos, bytes, add, sub);
        src++;
        continue;
      }
      default: {
        const bytes = IMM_BYTES[f]!;
        if (ctx.final && v.s < 0 && v.r < 0) rangeWarning(ctx, f, v.n, op);
        const pos = out.length;
        if (v.exact !== undefined && op.k !== OpK.Far) out.exact(v.exact, bytes);
        else out.int(v.n, bytes);
        if (ctx.final) out.fix(pos, bytes, v.s, v.r);
        if (op.k !== OpK.Far) src++; // a far pointer's selector follows its offset
      }
    }
  }
}

function findMem(st: InsnStmt): Operand {
  const ops = st.ops;
  for (let i = 0; i < ops.length; i++) if (ops[i]!.k === OpK.Mem) return ops[i]!;
  return st.ops[0]!;
}

function checkDisp(ctx: EncodeContext, ea: EffectiveAddress, op: Operand): void {
  if (!ctx.final || ea.dispS >= 0 || ea.dispR >= 0) return;
  if (ea.dispBytes === 1 && (ea.disp < -128 || ea.disp > 127)) ctx.report('signed byte value exceeds bounds', 'RL105', 'warning', op.start, op.end);
}

function rangeWarning(ctx: EncodeContext, f: string, n: number, op: Operand): void {
  let msg: string | undefined;
  if (f === 'ib' && (n < -128 || n > 255)) msg = 'byte data exceeds bounds';
  else if (f === 'ibs' && !fitsSbyte(n, 32)) msg = 'signed byte value exceeds bounds';
  else if ((f === 'iw' || f === 'seg') && (n < -32768 || n > 65535)) msg = 'word data exceeds bounds';
  else if (f === 'id' && (n < -0x80000000 || n > 0xffffffff)) msg = 'dword data exceeds bounds';
  if (msg) ctx.report(msg, 'RL105', 'warning', op.start, op.end);
}
