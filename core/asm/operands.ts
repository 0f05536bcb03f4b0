// Instruction operands as written: registers, memory references, immediates and far pointers,
// with NASM's size, strict, short/near/far and nosplit keywords. Parsed once per line.

import type { Register } from '../isa';
import { T } from './lexer';
import { Cursor, E, parseExpr, type Expr } from './expression';
import { word } from './words';

export const enum OpK { Reg, Mem, Imm, Far }
export const enum Jump { None, Short, Near, Far }

export interface Operand {
  readonly k: OpK;
  readonly reg: Register | undefined;
  /** Explicit size keyword in bits (0: none). */
  readonly size: number;
  readonly strict: boolean;
  readonly jump: Jump;
  /** Immediate value, far offset, or memory address expression. */
  readonly expr: Expr | undefined;
  /** Selector of a far pointer `seg:offset`. */
  readonly segExpr: Expr | undefined;
  /** Segment override inside the brackets (`[fs:eax]`): sreg number, or -1. */
  readonly seg: number;
  readonly nosplit: boolean;
  /** `[byte eax]`, `[dword eax]`, `[word 0x10]`: forced displacement (and address) size. */
  readonly dispSize: number;
  readonly start: number;
  readonly end: number;
}

/** Parses one operand up to `,` or the end of the line. */
export function parseOperand(c: Cursor): Operand {
  const start = c.peek.start;
  let size = 0;
  let strict = false;
  let jump = Jump.None;
  for (;;) {
    const t = c.peek;
    if (t.t !== T.Id || t.value === 1) break;
    const wd = word(t.text);
    const w = wd.lower;
    const sz = wd.size;
    if (sz !== 0) { size = sz; c.next(); continue; }
    if (w === 'strict') { strict = true; c.next(); continue; }
    if (w === 'short') { jump = Jump.Short; c.next(); continue; }
    if (w === 'near') { jump = Jump.Near; c.next(); continue; }
    if (w === 'far') { jump = Jump.Far; c.next(); continue; }
    // A register alone, the commonest operand: what the general path below makes of it, without
    // the expression node it would build and drop.
    const reg = wd.register;
    if (reg !== undefined) {
      const after = c.toks[c.i + 1]!;
      if (after.t === T.End || (after.t === T.Op && after.text === ',')) {
        c.next();
        return { k: OpK.Reg, reg, size, strict, jump, expr: undefined, segExpr: undefined, seg: -1, nosplit: false, dispSize: 0, start, end: t.end };
      }
    }
    break;
  }
  if (c.isOp('[')) {
    c.next();
    let seg = -1;
    let nosplit = false;
    let dispSize = 0;
    for (;;) {
      const t = c.peek;
      if (t.t !== T.Id || t.value === 1) break;
      const wd = word(t.text);
      const w = wd.lower;
      const after = c.toks[c.i + 1]!;
      const reg = wd.register;
      if (reg && reg.cls === 'sreg' && after.t === T.Op && after.text === ':') { seg = reg.num; c.next(); c.next(); continue; }
      if (after.t === T.Op && after.text === ':') break;
      if (w === 'nosplit') { nosplit = true; c.next(); continue; }
      const sz = wd.size;
      if (sz !== 0) {
        if (sz !== 8 && sz !== 16 && sz !== 32) c.fail(`invalid size specification in effective address`, t, 'RL108');
        dispSize = sz; c.next(); continue;
      }
      if (w === 'rel' || w === 'abs') { c.next(); continue; }
      if (w === 'a16' || w === 'a32') c.fail(`'${w}' inside an effective address is not supported`, t, 'RL110');
      break;
    }
    const expr = parseExpr(c);
    if (!c.isOp(']')) c.fail("expecting `]'");
    const end = c.next().end;
    return { k: OpK.Mem, reg: undefined, size, strict, jump, expr, segExpr: undefined, seg, nosplit, dispSize, start, end };
  }
  let expr = parseExpr(c);
  if (expr.k === E.Reg && (c.isOp(',') || c.peek.t === T.End)) {
    return { k: OpK.Reg, reg: expr.reg, size, strict, jump, expr: undefined, segExpr: undefined, seg: -1, nosplit: false, dispSize: 0, start, end: c.toks[c.i - 1]!.end };
  }
  if (c.isOp(':')) {
    c.next();
    const segExpr = expr;
    expr = parseExpr(c);
    return { k: OpK.Far, reg: undefined, size, strict, jump, expr, segExpr, seg: -1, nosplit: false, dispSize: 0, start, end: c.toks[c.i - 1]!.end };
  }
  return { k: OpK.Imm, reg: undefined, size, strict, jump, expr, segExpr: undefined, seg: -1, nosplit: false, dispSize: 0, start, end: c.toks[c.i - 1]!.end };
}
