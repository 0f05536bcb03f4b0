// The table-driven x86-32 decoder: prefixes, opcode maps from opcodeMap.ts, ModRM/SIB/disp,
// immediates. Fills a caller-owned Decoded record; never throws, never allocates.

import { DecodeStatus, Imm, RepKind, type Decoded } from './decoded';
import { decodeMemory } from './modrm';
import * as maps from './opcodeMap';

// Module-level copies: a CommonJS import is a property load on every use, these are constants.
const FIXED_TAIL = maps.FIXED_TAIL;
const FORM_AT = maps.FORM_AT;
const HAS_TAIL = maps.HAS_TAIL;
const FORM_IMM0 = maps.FORM_IMM0;
const FORM_IMM1 = maps.FORM_IMM1;
const FORM_MOD_IGNORED = maps.FORM_MOD_IGNORED;
const FORM_REG_CLASS = maps.FORM_REG_CLASS;
const HAS_MODRM = maps.HAS_MODRM;
const PLUS_REG = maps.PLUS_REG;
const decodeMem = decodeMemory;

/** The architectural limit: a longer instruction raises #GP. */
export const MAX_INSTRUCTION_LENGTH = 15;

// Prefix byte -> kind (0: not a prefix). Kinds double as NASM's emission rank (rep, lock,
// segment, 66, 67) so an out-of-order sequence is noticed for the formatter.
const P_REP = 1, P_LOCK = 2, P_SEG = 3, P_OS = 4, P_AS = 5;
const PREFIX = new Uint8Array(256);
PREFIX[0xf2] = P_REP; PREFIX[0xf3] = P_REP; PREFIX[0xf0] = P_LOCK;
for (const b of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) PREFIX[b] = P_SEG;
PREFIX[0x66] = P_OS; PREFIX[0x67] = P_AS;
const SEG_OF = new Int8Array(256).fill(-1);
SEG_OF[0x26] = 0; SEG_OF[0x2e] = 1; SEG_OF[0x36] = 2; SEG_OF[0x3e] = 3; SEG_OF[0x64] = 4; SEG_OF[0x65] = 5;

/** Segment registers 0..5 exist; control registers 0, 2, 3, 4 (others raise #UD). */
const CREG_VALID = 0b00011101;

/**
 * Decodes one instruction at bytes[offset] (address `addr`) into `out` and returns its length
 * (1..15). Bytes past `end` (default: the buffer's end) are not read. An undecodable,
 * over-long or truncated instruction gives formId -1, a status, and length 1.
 */
export function decode(bytes: Uint8Array, offset: number, addr: number, out: Decoded, end: number = bytes.length): number {
  out.addr = addr >>> 0;
  out.formId = -1;
  out.segOverride = -1; out.rep = RepKind.None; out.lock = false; out.opsize16 = false; out.addrsize16 = false;
  out.prefixRepeated = false; out.prefixOrderOdd = false;
  out.mod = -1; out.reg = 0; out.rm = 0;
  out.hasMem = false; out.base = -1; out.index = -1; out.scaleShift = 0; out.disp = 0; out.dispSize = 0;
  out.hasSib = false; out.memSeg = 3;
  out.imm = 0; out.imm2 = 0; out.farSeg = 0; out.target = 0;

  if (end > bytes.length) end = bytes.length; // never read undefined past the buffer
  if (!(offset >= 0)) offset = end; // a nonsense offset decodes as a truncated instruction
  const cap = offset + MAX_INSTRUCTION_LENGTH;
  const limit = end < cap ? end : cap;
  out.firstByte = offset < end ? bytes[offset]! : 0;
  let p = offset;
  let seen = 0;
  let rank = 0;
  // ---- prefixes ----
  for (; p < limit; p++) {
    const b = bytes[p]!;
    const kind = PREFIX[b]!;
    if (kind === 0) break;
    if (seen & (1 << kind)) out.prefixRepeated = true;
    seen |= 1 << kind;
    if (kind < rank) out.prefixOrderOdd = true;
    rank = kind;
    switch (kind) {
      case P_REP: out.rep = b === 0xf3 ? RepKind.Rep : RepKind.Repne; break;
      case P_LOCK: out.lock = true; break;
      case P_SEG: out.segOverride = SEG_OF[b]!; break;
      case P_OS: out.opsize16 = true; break;
      default: out.addrsize16 = true;
    }
  }
  out.prefixCount = p - offset;
  if (p >= limit) return fail(out, limit, cap, end);
  // ---- opcode ----
  let op = bytes[p++]!;
  if (op === 0x0f) {
    if (p >= limit) return fail(out, limit, cap, end);
    op = 0x100 | bytes[p++]!;
  }
  out.opcode = op;
  const os16 = out.opsize16 ? 1 : 0;
  const as16 = out.addrsize16 ? 1 : 0;
  let formId = -1;

  if (HAS_TAIL[op] && p < limit) {
    const tail = FIXED_TAIL[op]!;
    const next = bytes[p]!;
    for (let i = 0; i < tail.length; i += 3) {
      if (tail[i] === next && (tail[i + 1]! & (os16 ? 2 : 1))) {
        formId = tail[i + 2]!;
        p++;
        if (HAS_MODRM[op]) { out.mod = next >> 6; out.reg = (next >> 3) & 7; out.rm = next & 7; }
        break;
      }
    }
  }
  if (formId < 0) {
    if (HAS_MODRM[op]) {
      if (p >= limit) return fail(out, limit, cap, end);
      const m = bytes[p++]!;
      const mod = m >> 6;
      out.mod = mod; out.reg = (m >> 3) & 7; out.rm = m & 7;
      formId = FORM_AT[(((op << 1 | os16) << 1 | as16) << 1 | (mod === 3 ? 0 : 1)) << 3 | out.reg]!;
      if (formId < 0) {
        // MOV CRn/DRn ignore mod: such forms are only mapped for mod == 3.
        formId = FORM_AT[(((op << 1 | os16) << 1 | as16) << 1) << 3 | out.reg]!;
        if (formId < 0 || !FORM_MOD_IGNORED[formId]) return undefinedOpcode(out);
      }
      const regClass = FORM_REG_CLASS[formId]!;
      if ((regClass === 1 && out.reg > 5) || (regClass === 2 && !((CREG_VALID >> out.reg) & 1))) return undefinedOpcode(out);
      if (mod !== 3 && !FORM_MOD_IGNORED[formId]) {
        p = decodeMem(bytes, p, limit, out);
        if (p < 0) return fail(out, limit, cap, end);
      }
    } else {
      formId = FORM_AT[(((op << 1 | os16) << 1 | as16) << 1) << 3]!;
      if (formId < 0) return undefinedOpcode(out);
      if (PLUS_REG[op]) out.reg = op & 7;
    }
  }
  // ---- immediates ----
  let rel = 0;
  let relKind = Imm.None;
  for (let n = 0; n < 2; n++) {
    const code = n === 0 ? FORM_IMM0[formId]! : FORM_IMM1[formId]!;
    if (code === Imm.None) break;
    let size = code === Imm.Ib || code === Imm.Ibs || code === Imm.Rb ? 1
      : code === Imm.Iw || code === Imm.Rw || code === Imm.Seg || code === Imm.Ow ? 2 : 4;
    if (code === Imm.Od && as16) size = 2;
    if (p + size > limit) return fail(out, limit, cap, end);
    let v = bytes[p]!;
    if (size >= 2) v |= bytes[p + 1]! << 8;
    if (size === 4) v = (v | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0;
    p += size;
    switch (code) {
      case Imm.Ibs: v = (v << 24) >> 24; break;
      case Imm.Rb: rel = (v << 24) >> 24; relKind = code; continue;
      case Imm.Rw: rel = (v << 16) >> 16; relKind = code; continue;
      case Imm.Rd: rel = v | 0; relKind = code; continue;
      case Imm.Seg: out.farSeg = v; continue;
      case Imm.Ow: case Imm.Od:
        out.hasMem = true; out.disp = v; out.dispSize = size;
        out.memSeg = out.segOverride >= 0 ? out.segOverride : 3;
        continue;
      default:
    }
    if (n === 0) out.imm = v; else out.imm2 = v;
  }
  const length = p - offset;
  if (relKind !== Imm.None) {
    const next = addr + length + rel;
    out.target = os16 ? next & 0xffff : next >>> 0;
  }
  out.formId = formId;
  out.length = length;
  out.status = DecodeStatus.Ok;
  return length;
}

function undefinedOpcode(out: Decoded): number {
  out.formId = -1;
  out.status = DecodeStatus.Undefined;
  out.length = 1;
  return 1;
}

/** The bytes ran out at `limit`: the 15-byte cap (too long) or the caller's buffer (truncated). */
function fail(out: Decoded, limit: number, cap: number, end: number): number {
  out.formId = -1;
  out.status = limit === cap && cap <= end ? DecodeStatus.TooLong : DecodeStatus.Truncated;
  out.length = 1;
  return 1;
}
