// JavaScript expressions for one decoded instruction's 32-bit operands: a register of the
// block's `r` (the CPU's Int32Array), an immediate, or memory through the CPU's segment- and
// TLB-checked accessors. Every number in the output comes from a decoded field through lit(),
// which accepts only integers: no guest byte reaches the generated source as text.

import type { Decoded } from '../disasm/decoded';
import type { Form } from '../isa';

/** An integer as a JavaScript literal (negative ones in parentheses); anything else is a bug. */
export function lit(value: number): string {
  if (!Number.isInteger(value)) throw new Error(`jit: not an integer: ${String(value)}`);
  return value < 0 ? `(${value})` : String(value);
}

/** Where a 32-bit operand lives for this decoded instance. */
export type Operand =
  | { readonly kind: 'reg'; readonly n: number }
  | { readonly kind: 'imm'; readonly value: number }
  | { readonly kind: 'mem'; readonly seg: number; readonly ea: string };

/** The offset of the memory operand (32-bit addressing) as an expression, or null for 16-bit addressing. */
export function effectiveAddress(d: Decoded): string | null {
  if (d.addrsize16) return null;
  const terms: string[] = [];
  if (d.base >= 0) terms.push(`r[${lit(d.base)}]`);
  if (d.index >= 0) terms.push(d.scaleShift === 0 ? `r[${lit(d.index)}]` : `(r[${lit(d.index)}] << ${lit(d.scaleShift)})`);
  if (d.disp !== 0 || terms.length === 0) terms.push(lit(d.disp | 0));
  return `((${terms.join(' + ')}) >>> 0)`;
}

/** Operand `i` of `form` as a 32-bit register, immediate or memory operand, or null when it is something else. */
export function operand32(form: Form, d: Decoded, i: number): Operand | null {
  const kind = form.operands[i];
  switch (form.encoding.slots[i]) {
    case 'reg': case 'opreg': case 'regrm':
      return kind === 'r32' ? { kind: 'reg', n: d.reg } : null;
    case 'rm': {
      if (kind !== 'rm32' && kind !== 'm32') return null;
      if (d.mod === 3) return { kind: 'reg', n: d.rm };
      const ea = effectiveAddress(d);
      return ea === null ? null : { kind: 'mem', seg: d.memSeg, ea };
    }
    case 'imm':
      if (kind === 'imm32' || kind === 'sbyte32') return { kind: 'imm', value: d.imm | 0 };
      if (kind === 'moffs32' && !d.addrsize16) return { kind: 'mem', seg: d.memSeg, ea: lit(d.disp >>> 0) };
      return null;
    case 'implicit':
      return kind === 'eax' ? { kind: 'reg', n: 0 } : null;
    default:
      return null;
  }
}

/** An int32 value of a register or immediate operand (memory: null, the caller reads it). */
export function valueOf(op: Operand): string | null {
  if (op.kind === 'reg') return `r[${lit(op.n)}]`;
  if (op.kind === 'imm') return lit(op.value);
  return null;
}

// Aligned 32-bit accesses through a flat segment whose page the TLB already grants take the fast
// path inline: the TLB entry, the mask for the current CPL (RM, WM: a write also needs NOT_CODE,
// so code pages and pages a VMM watches go the slow way), then the word in RAM (M, below ML).
// Everything else calls the CPU's accessor after `slow`: the code that makes a fault or a hook
// see the interpreter's state (flags stored, EIP past the instruction, the count before it) and
// sets `sl`, so the block looks at the slice and its own validity only after a slow path.

/** Sets `q` to the linear address and `te` to its TLB entry; the returned condition holds when
 *  `guard` (the segment allows the fast path) and the entry grants `mask`, the access is aligned
 *  and the word lies in RAM: it is then M[p >> 2]. */
function fastWord(linear: string, guard: string, mask: 'RM' | 'WM' | 'WRM'): { lookUp: string; fast: string } {
  return {
    lookUp: `q = (${linear}) | 0; te = T[q >>> 12];`,
    fast: `${guard} && (te & ${mask}) === ${mask} && (q & 3) === 0 && (p = ((te & -4096) | (q & 4095)) >>> 0) < ML`,
  };
}

/** The block's local holding segment cache `seg` (blockSource declares S0..S5). */
function segment(seg: number): string {
  if (!Number.isInteger(seg) || seg < 0 || seg > 5) throw new Error(`jit: no segment register ${seg}`);
  return `S${seg}`;
}

type MemOperand = Operand & { kind: 'mem' };

/** Statements that read the 32-bit word at `offset` of a memory operand into the local `into`. */
export function readMem(op: MemOperand, offset: string, into: string, slow: string): string {
  const s = segment(op.seg), w = fastWord(`${s}.base + ${offset}`, `${s}.fastRead`, 'RM');
  return `${w.lookUp} if (${w.fast}) ${into} = M[p >> 2]; else { ${slow} ${into} = c.read32(${lit(op.seg)}, ${offset}) | 0; }`;
}

/** Statements that write a local or literal `value` at `offset` of a memory operand. */
export function writeMem(op: MemOperand, offset: string, value: string, slow: string): string {
  const s = segment(op.seg), w = fastWord(`${s}.base + ${offset}`, `${s}.fastWrite`, 'WM');
  return `${w.lookUp} if (${w.fast}) M[p >> 2] = ${value}; else { ${slow} c.write32(${lit(op.seg)}, ${offset}, ${value}); }`;
}

/** Statements that read the word at `offset` into `into`, run `compute` (which leaves the new
 *  value in `value`), and write it back: one TLB look-up for both when the fast path allows. */
export function modifyMem(op: MemOperand, offset: string, into: string, compute: string, value: string, slow: string): string {
  const s = segment(op.seg), w = fastWord(`${s}.base + ${offset}`, `${s}.fastWrite`, 'WRM');
  return `${w.lookUp} if (${w.fast}) { ${into} = M[p >> 2]; ${compute} M[p >> 2] = ${value}; } ` +
    `else { ${slow} ${into} = c.read32(${lit(op.seg)}, ${offset}) | 0; ${compute} c.write32(${lit(op.seg)}, ${offset}, ${value}); }`;
}

/** PUSH of a 32-bit local through SS (a 32-bit stack: else the CPU's push32 decides). */
export function pushWord(value: string, slow: string): string {
  const w = fastWord('S2.base + z', 'S2.db && S2.fastWrite', 'WM');
  return `z = (r[4] - 4) | 0; ${w.lookUp} if (${w.fast}) { M[p >> 2] = ${value}; r[4] = z; } else { ${slow} c.push32(${value}); }`;
}

/** POP of a 32-bit word into the local `into`, ESP moved past it. */
export function popWord(into: string, slow: string): string {
  const w = fastWord('S2.base + r[4]', 'S2.db && S2.fastRead', 'RM');
  return `${w.lookUp} if (${w.fast}) { ${into} = M[p >> 2]; r[4] = (r[4] + 4) | 0; } else { ${slow} ${into} = c.pop32() | 0; }`;
}

/** Whether the instruction carries none of the prefixes the inline forms leave to the handlers
 *  (LOCK, REP, operand size 16). */
export function plainPrefixes(d: Decoded): boolean {
  return !d.lock && d.rep === 0 && !d.opsize16;
}

/** An 8- or 16-bit source (MOVZX/MOVSX) as an unsigned value, or null when it is not one. */
export function narrowSource(form: Form, d: Decoded, i: number): { code: string; bits: 8 | 16; mem: boolean } | null {
  const kind = form.operands[i];
  const bits = kind === 'rm8' || kind === 'm8' ? 8 : kind === 'rm16' || kind === 'm16' ? 16 : 0;
  if (bits === 0 || form.encoding.slots[i] !== 'rm') return null;
  if (d.mod === 3) {
    if (bits === 16) return { code: `(r[${lit(d.rm)}] & 65535)`, bits, mem: false };
    return { code: d.rm < 4 ? `(r[${lit(d.rm)}] & 255)` : `((r[${lit(d.rm - 4)}] >> 8) & 255)`, bits, mem: false };
  }
  const ea = effectiveAddress(d);
  if (ea === null) return null;
  return { code: `c.read${bits}(${lit(d.memSeg)}, ${ea})`, bits, mem: true };
}
