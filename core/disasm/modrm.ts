// ModRM memory operands: SIB and displacement for 32-bit addressing, the [bx+si] table for
// 16-bit addressing (0x67). Fills the memory fields of a Decoded record in place.

import { Seg, type Decoded } from './decoded';

/** 16-bit addressing rm -> base and index register numbers (BX 3, BP 5, SI 6, DI 7). */
const BASE16 = [3, 3, 5, 5, 6, 7, 5, 3] as const;
const INDEX16 = [6, 7, 6, 7, -1, -1, -1, -1] as const;

const ESP = 4;
const EBP = 5;

/**
 * Decodes the memory operand of a ModRM byte whose mod is not 3, reading SIB and displacement
 * from bytes[p..limit). Returns the position after them, or -1 when they run past limit.
 */
export function decodeMemory(bytes: Uint8Array, p: number, limit: number, d: Decoded): number {
  const mod = d.mod;
  const rm = d.rm;
  d.hasMem = true;
  if (d.addrsize16) {
    if (mod === 0 && rm === 6) {
      d.base = -1; d.index = -1;
      if (p + 2 > limit) return -1;
      d.disp = bytes[p]! | (bytes[p + 1]! << 8);
      d.dispSize = 2;
      p += 2;
    } else {
      d.base = BASE16[rm]!; d.index = INDEX16[rm]!;
      if (mod === 1) {
        if (p + 1 > limit) return -1;
        d.disp = (bytes[p]! << 24) >> 24; d.dispSize = 1; p += 1;
      } else if (mod === 2) {
        if (p + 2 > limit) return -1;
        d.disp = ((bytes[p]! | (bytes[p + 1]! << 8)) << 16) >> 16; d.dispSize = 2; p += 2;
      }
    }
    d.memSeg = d.segOverride >= 0 ? d.segOverride : d.base === EBP ? Seg.SS : Seg.DS;
    return p;
  }
  let base = rm;
  if (rm === 4) {
    if (p >= limit) return -1;
    const sib = bytes[p++]!;
    d.hasSib = true;
    d.scaleShift = sib >> 6;
    const index = (sib >> 3) & 7;
    d.index = index === ESP ? -1 : index;
    base = sib & 7;
    if (base === EBP && mod === 0) base = -1; // SIB base 101 with mod 00: disp32, no base
  } else if (rm === EBP && mod === 0) {
    base = -1; // disp32 alone
  }
  d.base = base;
  if (mod === 1) {
    if (p + 1 > limit) return -1;
    d.disp = (bytes[p]! << 24) >> 24; d.dispSize = 1; p += 1;
  } else if (mod === 2 || base === -1) {
    if (p + 4 > limit) return -1;
    d.disp = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
    d.dispSize = 4; p += 4;
  }
  d.memSeg = d.segOverride >= 0 ? d.segOverride : base === ESP || base === EBP ? Seg.SS : Seg.DS;
  return p;
}
