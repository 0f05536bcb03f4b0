// The decoded-instruction record: one reusable object with numeric fields that the decoder fills
// and the formatter, the disassembler and the CPU emulator read (no allocation per instruction).

import { FORMS, type Form } from '../isa';

/** Why a decode produced no form (formId -1); the bytes then show as a one-byte `db`. */
export const enum DecodeStatus {
  Ok = 0,
  /** No form of the table matches: #UD on the CPU. */
  Undefined = 1,
  /** More than 15 bytes of prefixes and instruction: #GP on the CPU. */
  TooLong = 2,
  /** The buffer ended inside the instruction (the caller gave too few bytes). */
  Truncated = 3,
}

/** REP prefix in effect (the last of F2/F3 wins, as on the CPU). */
export const enum RepKind {
  None = 0,
  /** F3: REP / REPE / REPZ. */
  Rep = 1,
  /** F2: REPNE / REPNZ. */
  Repne = 2,
}

/** Immediate-field codes, precomputed per form from Encoding.immediates (see opcodeMap.ts). */
export const enum Imm {
  None = 0, Ib, Iw, Id, Ibs, Rb, Rw, Rd, Ow, Od, Seg,
}

/** Segment register numbers (as SREG in core/isa/registers.ts). */
export const enum Seg { ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5 }

export class Decoded {
  /** Address of the first byte (prefixes included). */
  addr = 0;
  /** Bytes consumed, 1..15. */
  length = 1;
  /** Index into FORMS, or -1 when status is not Ok. */
  formId = -1;
  status: DecodeStatus = DecodeStatus.Undefined;
  /** The byte at addr (what a `db` fallback shows). */
  firstByte = 0;

  // ---- prefixes ----
  /** Segment override 0..5 (ES CS SS DS FS GS) or -1. */
  segOverride = -1;
  rep: RepKind = RepKind.None;
  lock = false;
  /** 0x66 seen: operand size is 16. */
  opsize16 = false;
  /** 0x67 seen: address size is 16 ([bx+si] addressing, CX counters, 16-bit moffs). */
  addrsize16 = false;
  /** Number of prefix bytes. */
  prefixCount = 0;
  /** A prefix of one kind (lock, rep, segment, 66, 67) appeared more than once. */
  prefixRepeated = false;
  /** Prefix bytes were not in NASM's emission order (rep, lock, segment, 66, 67). */
  prefixOrderOdd = false;

  // ---- opcode and ModRM ----
  /** 0..255 for the one-byte map, 256..511 for the 0F map. */
  opcode = 0;
  /** ModRM.mod, or -1 when the form has no ModRM byte. */
  mod = -1;
  /** ModRM.reg, or the register of a `+r` opcode. */
  reg = 0;
  /** ModRM.rm (a register number when mod is 3). */
  rm = 0;

  // ---- memory operand (ModRM with mod != 3, or moffs) ----
  hasMem = false;
  /** Base register number (16-bit addressing: BX 3, BP 5, SI 6, DI 7), -1 for none. */
  base = -1;
  /** Index register number, -1 for none. */
  index = -1;
  /** Scale as a shift count 0..3 (x1 x2 x4 x8). */
  scaleShift = 0;
  /** Displacement, sign-extended to 32 bits (moffs: the offset, zero-extended). */
  disp = 0;
  /** Bytes of displacement in the encoding: 0, 1, 2 or 4. */
  dispSize = 0;
  /** A SIB byte was present. */
  hasSib = false;
  /** Segment the memory access uses: the override, else SS for EBP/ESP (BP) bases, else DS. */
  memSeg = Seg.DS;

  // ---- immediates ----
  /** First immediate: ib/iw/id zero-extended, ibs sign-extended to 32 bits; far pointer offset. */
  imm = 0;
  /** Second immediate (ENTER's nesting level). */
  imm2 = 0;
  /** Selector of a far pointer (`jmp 0x08:label`). */
  farSeg = 0;
  /** Absolute target of a relative branch (wrapped to 16 bits under o16). */
  target = 0;

  /** The matched form, or undefined for an undecodable byte. */
  get form(): Form | undefined {
    return this.formId >= 0 ? FORMS[this.formId] : undefined;
  }

  /** Copies every field from another record (for callers that keep a decoded history). */
  copyFrom(o: Decoded): void {
    this.addr = o.addr; this.length = o.length; this.formId = o.formId; this.status = o.status; this.firstByte = o.firstByte;
    this.segOverride = o.segOverride; this.rep = o.rep; this.lock = o.lock;
    this.opsize16 = o.opsize16; this.addrsize16 = o.addrsize16; this.prefixCount = o.prefixCount;
    this.prefixRepeated = o.prefixRepeated; this.prefixOrderOdd = o.prefixOrderOdd;
    this.opcode = o.opcode; this.mod = o.mod; this.reg = o.reg; this.rm = o.rm;
    this.hasMem = o.hasMem; this.base = o.base; this.index = o.index; this.scaleShift = o.scaleShift;
    this.disp = o.disp; this.dispSize = o.dispSize; this.hasSib = o.hasSib; this.memSeg = o.memSeg;
    this.imm = o.imm; this.imm2 = o.imm2; this.farSeg = o.farSeg; this.target = o.target;
  }
}
