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

/** Reads a memory operand as an int32 (may fault). */
export function readMem(op: Operand & { kind: 'mem' }, offset: string): string {
  return `(c.read32(${lit(op.seg)}, ${offset}) | 0)`;
}

/** Writes an int32 to a memory operand (may fault). */
export function writeMem(op: Operand & { kind: 'mem' }, offset: string, value: string): string {
  return `c.write32(${lit(op.seg)}, ${offset}, ${value});`;
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
