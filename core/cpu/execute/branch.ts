// Semantics of near control transfers: Jcc, near JMP and CALL (relative and indirect), RET
// (optionally releasing imm16 bytes), LOOP LOOPE LOOPNE, JCXZ JECXZ. Far forms belong to the
// system half. Relative targets come from the decoder already wrapped to 16 bits under o16;
// a target beyond the CS limit raises #GP(0) before anything changes.

import type { Form } from '../../isa';
import type { ExecContext } from '../execContext';
import { VECTOR } from '../cpuFault';
import { operandBits, operandGetter } from '../operands';
import { conditionFamily, conditionHolds, conditionOf } from './condition';
import { defineSemantics, type Handler } from './registry';

const ECX = 1, ESP = 4, CS = 1, SS = 2;

const farForm = (form: Form): boolean => form.operands.some((k) => k === 'far16' || k === 'far32' || k === 'mfar');

function jumpTo(c: ExecContext, target: number): void {
  if (target > c.state.segs[CS]!.limit) c.raise(VECTOR.GP, 0);
  c.state.eip = target;
}

/** One function per condition rather than one with a switch on cc: each stays small, reads
 *  only the flags it tests and is compiled on its own (a loop's Jcc runs on every pass). */
function jcc(cc: number): Handler {
  switch (cc) {
    case 0x0: return (c, d) => { if (c.flags.of()) jumpTo(c, d.target); };
    case 0x1: return (c, d) => { if (!c.flags.of()) jumpTo(c, d.target); };
    case 0x2: return (c, d) => { if (c.flags.cf()) jumpTo(c, d.target); };
    case 0x3: return (c, d) => { if (!c.flags.cf()) jumpTo(c, d.target); };
    case 0x4: return (c, d) => { if (c.flags.zf()) jumpTo(c, d.target); };
    case 0x5: return (c, d) => { if (!c.flags.zf()) jumpTo(c, d.target); };
    case 0x8: return (c, d) => { if (c.flags.sf()) jumpTo(c, d.target); };
    case 0x9: return (c, d) => { if (!c.flags.sf()) jumpTo(c, d.target); };
    case 0xc: return (c, d) => { if (c.flags.sf() !== c.flags.of()) jumpTo(c, d.target); };
    case 0xd: return (c, d) => { if (c.flags.sf() === c.flags.of()) jumpTo(c, d.target); };
    default: return (c, d) => { if (conditionHolds(c.flags, cc)) jumpTo(c, d.target); };
  }
}

defineSemantics(conditionFamily('j'), (form): Handler => jcc(conditionOf(form)));

/** Near JMP: relative, or indirect through r/m (o16: the target is the low word). */
defineSemantics(['jmp'], (form): Handler | undefined => {
  if (farForm(form)) return undefined;
  if (form.operands[0]!.startsWith('rel')) return (c, d) => jumpTo(c, d.target);
  const get = operandGetter(form, 0);
  return (c, d) => jumpTo(c, get(c, d));
});

/** Near CALL: pushes the next EIP (IP under o16) after the target is read and checked. */
defineSemantics(['call'], (form): Handler | undefined => {
  if (farForm(form)) return undefined;
  const rel = form.operands[0]!.startsWith('rel');
  const get = rel ? undefined : operandGetter(form, 0);
  const word = operandBits(form, 0) === 16;
  return (c, d) => {
    const target = get ? get(c, d) : d.target;
    if (target > c.state.segs[CS]!.limit) c.raise(VECTOR.GP, 0);
    if (word) c.push16(c.state.eip); else c.push32(c.state.eip);
    c.state.eip = target;
  };
});

/** Near RET [imm16]: pops EIP (IP under o16), then releases imm16 bytes of the stack. */
defineSemantics(['ret'], (form): Handler => {
  const release = form.operands.length === 1;
  return (c, d) => {
    const r = c.state.regs, esp = r[ESP]!;
    const target = d.opsize16 ? c.pop16() : c.pop32() >>> 0;
    if (target > c.state.segs[CS]!.limit) { r[ESP] = esp; c.raise(VECTOR.GP, 0); }
    if (release) {
      const n = d.imm & 0xffff;
      if (c.state.segs[SS]!.db) r[ESP] = r[ESP]! + n; else r[ESP] = (r[ESP]! & ~0xffff) | ((r[ESP]! + n) & 0xffff);
    }
    c.state.eip = target;
  };
});

/** LOOP family: (E)CX by address size is decremented first; flags are not touched. */
function loop(zf: -1 | 0 | 1) {
  return (): Handler => (c, d) => {
    const r = c.state.regs;
    let count: number;
    if (d.addrsize16) {
      count = (r[ECX]! - 1) & 0xffff;
      r[ECX] = (r[ECX]! & ~0xffff) | count;
    } else {
      count = r[ECX] = r[ECX]! - 1;
    }
    if (count !== 0 && (zf < 0 || c.flags.zf() === (zf === 1))) jumpTo(c, d.target);
  };
}
defineSemantics(['loop'], loop(-1));
defineSemantics(['loope'], loop(1));
defineSemantics(['loopne'], loop(0));

defineSemantics(['jecxz', 'jcxz'], (): Handler => (c, d) => {
  const count = d.addrsize16 ? c.state.regs[ECX]! & 0xffff : c.state.regs[ECX]!;
  if (count === 0) jumpTo(c, d.target);
});
