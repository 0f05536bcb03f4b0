// Dense decode tables built once from the ISA table (FORMS): which form an opcode byte, operand
// size, address size, ModRM kind (register or memory) and ModRM.reg select. Nothing here lists
// an instruction by hand: every fact comes from core/isa.

import { FORMS, type Form, type ImmField, type OperandKind } from '../isa';
import { Imm } from './decoded';

/** Opcode index: 0..255 one-byte map, 256..511 the 0F map. */
export const MAP_SIZE = 512;

/** Per opcode index: 1 when the forms there carry a ModRM byte. */
export const HAS_MODRM = new Uint8Array(MAP_SIZE);
/** Per opcode index: 1 when the opcode is a `+r` form (register in the low 3 bits). */
export const PLUS_REG = new Uint8Array(MAP_SIZE);

/**
 * Form id (or -1) by slot(opcodeIndex, opsize16, addrsize16, memory, reg): the reg field is the
 * ModRM.reg (or 0 without ModRM); `memory` is 1 for mod != 3.
 */
export const FORM_AT = new Int16Array(MAP_SIZE * 64).fill(-1);

export function slot(op: number, os16: number, as16: number, mem: number, reg: number): number {
  return (((op << 1 | os16) << 1 | as16) << 1 | mem) << 3 | reg;
}

/**
 * Forms whose opcode ends with a fixed byte after the primary one (`vmcall 0F 01 C1` fixes the
 * ModRM byte, `aam D4 0A` the immediate): per opcode index, flat triples (byte, opsizeMask, form id).
 * They are tried before the generic rows so the fixed spelling wins.
 */
export const FIXED_TAIL: ReadonlyArray<readonly number[] | undefined> = new Array(MAP_SIZE).fill(undefined);

/** Per opcode index: 1 when FIXED_TAIL has entries (a typed-array test before the array read). */
export const HAS_TAIL = new Uint8Array(MAP_SIZE);

/** Per form: immediate fields as Imm codes (at most two), and operand facts the decoder needs. */
export const FORM_IMM0 = new Uint8Array(FORMS.length);
export const FORM_IMM1 = new Uint8Array(FORMS.length);
/** Per form: ModRM.reg names a segment (1), control (2) or debug (3) register: some numbers are #UD. */
export const FORM_REG_CLASS = new Uint8Array(FORMS.length);
/** Per form: the CPU ignores ModRM.mod and always takes a register (MOV to/from CRn/DRn). */
export const FORM_MOD_IGNORED = new Uint8Array(FORMS.length);

const IMM_CODE: Record<ImmField, Imm> = {
  ib: Imm.Ib, iw: Imm.Iw, id: Imm.Id, ibs: Imm.Ibs, rb: Imm.Rb, rw: Imm.Rw, rd: Imm.Rd, ow: Imm.Ow, od: Imm.Od, seg: Imm.Seg,
};

/** Which ModRM kinds (bit 0: mod == 3, bit 1: memory) the form's r/m operand accepts. */
function rmKinds(form: Form): number {
  const i = form.encoding.slots.findIndex((s) => s === 'rm' || s === 'regrm');
  if (i < 0) return 3;
  const k: OperandKind = form.operands[i]!;
  if (FORM_MOD_IGNORED[form.id]) return 3;
  if (k === 'r8' || k === 'r16' || k === 'r32') return 1;
  if (k.startsWith('rm')) return 3;
  return 2; // m8 m16 m32 m64 mem mfar
}

function place(form: Form, op: number, reg: number, regs: readonly number[], overwrite: boolean): void {
  const enc = form.encoding;
  const osList = enc.opsize === 16 ? [1] : enc.opsize === 32 ? [0] : [0, 1];
  const asList = enc.addrsize === 16 ? [1] : enc.addrsize === 32 ? [0] : [0, 1];
  const kinds = enc.modrm === undefined ? 1 : rmKinds(form);
  for (const os of osList) for (const as of asList) for (const mem of [0, 1]) {
    if (enc.modrm !== undefined && !(kinds & (mem ? 2 : 1))) continue;
    if (enc.modrm === undefined && mem) continue;
    for (const r of regs) {
      const s = slot(op, os, as, mem, enc.modrm === undefined ? reg : r);
      if (overwrite || FORM_AT[s] === -1) FORM_AT[s] = form.id;
    }
  }
}

function build(): void {
  const tails: number[][] = [];
  const plusRegForms: Form[] = [];
  for (const form of FORMS) {
    const enc = form.encoding;
    FORM_IMM0[form.id] = enc.immediates[0] ? IMM_CODE[enc.immediates[0]] : Imm.None;
    FORM_IMM1[form.id] = enc.immediates[1] ? IMM_CODE[enc.immediates[1]] : Imm.None;
    const regOperand = form.operands.find((_k, i) => enc.slots[i] === 'reg');
    FORM_REG_CLASS[form.id] = regOperand === 'sreg' ? 1 : regOperand === 'creg' ? 2 : regOperand === 'dreg' ? 3 : 0;
    FORM_MOD_IGNORED[form.id] = regOperand === 'creg' || regOperand === 'dreg' ? 1 : 0;

    const esc = enc.opcode[0] === 0x0f ? 1 : 0;
    const op = (esc << 8) | enc.opcode[esc]!;
    const tail = enc.opcode.slice(esc + 1);
    if (tail.length > 1) throw new Error(`disasm: opcode too long to map — ${form.source}`);
    if (enc.modrm !== undefined) HAS_MODRM[op] = 1;
    if (tail.length === 1) {
      const osMask = enc.opsize === 16 ? 2 : enc.opsize === 32 ? 1 : 3;
      (tails[op] ??= []).push(tail[0]!, osMask, form.id);
      continue;
    }
    if (enc.plusReg) { plusRegForms.push(form); continue; }
    const regs = typeof enc.modrm === 'number' ? [enc.modrm] : [0, 1, 2, 3, 4, 5, 6, 7];
    // Rows within a mnemonic are in NASM's preference order, so the first row to claim a slot
    // keeps it (`test rm8,r8` before `test r8,rm8`): that is the spelling NASM re-encodes alike.
    place(form, op, 0, regs, false);
  }
  // A fixed opcode beats a `+r` family on the same byte: 90 is NOP, not XCHG EAX,EAX.
  for (const form of plusRegForms) {
    const enc = form.encoding;
    const esc = enc.opcode[0] === 0x0f ? 1 : 0;
    const base = enc.opcode[esc]!;
    for (let r = 0; r < 8; r++) {
      const op = (esc << 8) | (base + r);
      PLUS_REG[op] = 1;
      place(form, op, 0, [0], false);
    }
  }
  for (let op = 0; op < MAP_SIZE; op++) {
    if (PLUS_REG[op] && HAS_MODRM[op]) throw new Error(`disasm: opcode 0x${op.toString(16)} is both +r and ModRM`);
    if (tails[op]) { (FIXED_TAIL as (readonly number[] | undefined)[])[op] = tails[op]; HAS_TAIL[op] = 1; }
  }
}

build();
