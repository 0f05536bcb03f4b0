// The instructions a block compiles to straight-line JavaScript: 32-bit MOV, the ALU operations
// that set all six flags (ADD SUB AND OR XOR CMP TEST), INC, DEC, LEA, PUSH, POP, MOVZX, MOVSX
// and NOP. Every other instruction calls its interpreter handler from the block, so the
// semantics stay written once (core/cpu/execute) and these are the loop bodies' fast path.
// The semantics here must equal the handlers'; the differential test (test/unit/jit) checks it.

import type { Decoded } from '../disasm/decoded';
import type { Form } from '../isa';
import { effectiveAddress, lit, modifyMem, narrowSource, operand32, plainPrefixes, popWord, pushWord, readMem, valueOf, writeMem, type Operand } from './operandCode';
import { Pending, type PendingFlags } from './pendingFlags';

/** How one instruction compiles: whether it may call out of the block (memory, stack: its slow
 *  path may fault or reach a VMM hook), and its code given the flags pending before it and
 *  `slow`, the statements every slow path runs first (see operandCode.ts). */
export interface InlinePlan {
  readonly callsOut: boolean;
  /** What it does to the six arithmetic flags: sets them all, or all but a kept CF (none: untouched). */
  readonly flags?: 'all' | 'carryKept';
  emit(flags: PendingFlags, slow: string): string;
}

const ALU: Readonly<Record<string, { op: string; pending: Pending.Add | Pending.Sub | Pending.Logic; writes: boolean }>> = {
  add: { op: '+', pending: Pending.Add, writes: true },
  sub: { op: '-', pending: Pending.Sub, writes: true },
  cmp: { op: '-', pending: Pending.Sub, writes: false },
  and: { op: '&', pending: Pending.Logic, writes: true },
  or: { op: '|', pending: Pending.Logic, writes: true },
  xor: { op: '^', pending: Pending.Logic, writes: true },
  test: { op: '&', pending: Pending.Logic, writes: false },
};

/** The inline plan of a decoded instruction, or null when it runs through its handler. */
export function inlineInstruction(form: Form, d: Decoded): InlinePlan | null {
  if (!plainPrefixes(d)) return null;
  const m = form.mnemonic;
  if (m === 'nop') return { callsOut: false, emit: () => '' };
  if (m === 'mov') return move(form, d);
  if (m in ALU) return alu(form, d, ALU[m]!);
  if (m === 'inc' || m === 'dec') return incDec(form, d, m === 'inc' ? Pending.Inc : Pending.Dec);
  if (m === 'lea') return lea(form, d);
  if (m === 'push') return push(form, d);
  if (m === 'pop') return pop(form, d);
  if (m === 'movzx' || m === 'movsx') return extend(form, d, m === 'movsx');
  return null;
}

function twoOperands(form: Form, d: Decoded): [Operand, Operand] | null {
  if (form.operands.length !== 2) return null;
  const dst = operand32(form, d, 0), src = operand32(form, d, 1);
  return dst === null || src === null ? null : [dst, src];
}

function move(form: Form, d: Decoded): InlinePlan | null {
  const ops = twoOperands(form, d);
  if (ops === null) return null;
  const [dst, src] = ops;
  if (dst.kind === 'reg') {
    const n = lit(dst.n);
    if (src.kind === 'mem') return { callsOut: true, emit: (_f, slow) => `o = ${src.ea}; ${readMem(src, 'o', 'x', slow)} r[${n}] = x;` };
    return { callsOut: false, emit: () => `r[${n}] = ${valueOf(src)!};` };
  }
  if (dst.kind !== 'mem' || src.kind === 'mem') return null;
  return { callsOut: true, emit: (_f, slow) => `o = ${dst.ea}; y = ${valueOf(src)!}; ${writeMem(dst, 'o', 'y', slow)}` };
}

function alu(form: Form, d: Decoded, spec: (typeof ALU)[string]): InlinePlan | null {
  const ops = twoOperands(form, d);
  if (ops === null) return null;
  const [dst, src] = ops;
  const { op, pending, writes } = spec;
  if (dst.kind === 'reg') {
    const n = lit(dst.n);
    const store = writes ? `r[${n}] = fr;` : '';
    if (src.kind === 'mem') {
      // The read may fault: it goes into y first, so fa/fb/fr change only once it succeeded.
      return {
        callsOut: true,
        flags: 'all',
        emit: (flags, slow) => { flags.set(pending); return `o = ${src.ea}; ${readMem(src, 'o', 'y', slow)} fa = r[${n}]; fb = y; fr = (fa ${op} fb) | 0; ${store}`; },
      };
    }
    return { callsOut: false, flags: 'all', emit: (flags) => { flags.set(pending); return `fa = r[${n}]; fb = ${valueOf(src)!}; fr = (fa ${op} fb) | 0; ${store}`; } };
  }
  if (dst.kind !== 'mem' || src.kind === 'mem') return null;
  // Memory destination: read, compute, write; the flags only after the write, as the handler does.
  return {
    callsOut: true,
    flags: 'all',
    emit: (flags, slow) => {
      flags.set(pending);
      const compute = `y = ${valueOf(src)!}; t = (x ${op} y) | 0;`;
      const access = writes ? modifyMem(dst, 'o', 'x', compute, 't', slow) : `${readMem(dst, 'o', 'x', slow)} ${compute}`;
      return `o = ${dst.ea}; ${access} fa = x; fb = y; fr = t;`;
    },
  };
}

function incDec(form: Form, d: Decoded, kind: Pending.Inc | Pending.Dec): InlinePlan | null {
  const dst = operand32(form, d, 0);
  if (dst === null || form.operands.length !== 1) return null;
  const op = kind === Pending.Inc ? '+' : '-';
  if (dst.kind === 'reg') {
    const n = lit(dst.n);
    return {
      callsOut: false,
      flags: 'carryKept',
      emit: (flags) => {
        const keep = flags.keepCarry();
        flags.setIncDec(kind, keep !== '');
        return `${keep} fa = r[${n}]; fr = (fa ${op} 1) | 0; r[${n}] = fr;`;
      },
    };
  }
  if (dst.kind !== 'mem') return null;
  return {
    callsOut: true,
    flags: 'carryKept',
    emit: (flags, slow) => {
      const keep = flags.keepCarry();
      flags.setIncDec(kind, keep !== '');
      return `${keep} o = ${dst.ea}; ${modifyMem(dst, 'o', 'x', `t = (x ${op} 1) | 0;`, 't', slow)} fa = x; fr = t;`;
    },
  };
}

function lea(form: Form, d: Decoded): InlinePlan | null {
  if (form.operands[0] !== 'r32' || !d.hasMem) return null;
  const ea = effectiveAddress(d);
  if (ea === null) return null;
  return { callsOut: false, emit: () => `r[${lit(d.reg)}] = ${ea};` };
}

function push(form: Form, d: Decoded): InlinePlan | null {
  if (form.operands.length !== 1) return null;
  const src = operand32(form, d, 0);
  if (src === null || src.kind === 'mem') return null;
  return { callsOut: true, emit: (_f, slow) => `y = ${valueOf(src)!}; ${pushWord('y', slow)}` };
}

function pop(form: Form, d: Decoded): InlinePlan | null {
  if (form.operands.length !== 1) return null;
  const dst = operand32(form, d, 0);
  if (dst === null || dst.kind !== 'reg') return null;
  return { callsOut: true, emit: (_f, slow) => `${popWord('x', slow)} r[${lit(dst.n)}] = x;` };
}

function extend(form: Form, d: Decoded, signed: boolean): InlinePlan | null {
  if (form.operands[0] !== 'r32') return null;
  const src = narrowSource(form, d, 1);
  if (src === null) return null;
  const shift = 32 - src.bits;
  const value = signed ? `((${src.code} << ${shift}) >> ${shift})` : src.code;
  return { callsOut: src.mem, emit: (_f, slow) => `${src.mem ? slow : ''} r[${lit(d.reg)}] = ${value};` };
}
