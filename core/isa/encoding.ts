// Parses the table's rows ("rm32,sbyte32: o32 83 /0 ibs") into operand kinds and an Encoding.
// The row syntax borrows NASM's insns.dat: o16/o32/a16/a32, hex opcode bytes, +r, /r, /digit,
// ib iw id ibs rb rw rd ow od seg. Trailing "!sensitive", "!privileged", "!decode" qualify a form.

import type { Encoding, ImmField, OperandKind, OperandSlot, PrivilegeClass } from './types';

const OPERAND_KINDS: ReadonlySet<string> = new Set<OperandKind>([
  'r8', 'r16', 'r32', 'rm8', 'rm16', 'rm32', 'm8', 'm16', 'm32', 'm64', 'mem', 'mfar',
  'imm8', 'imm16', 'imm32', 'sbyte16', 'sbyte32', 'rel8', 'rel16', 'rel32',
  'moffs8', 'moffs16', 'moffs32', 'far16', 'far32',
  'al', 'ax', 'eax', 'cl', 'dx', 'unity', 'sreg', 'es', 'cs', 'ss', 'ds', 'fs', 'gs', 'creg', 'dreg',
]);

const IMM_FIELDS: ReadonlySet<string> = new Set<ImmField>(['ib', 'iw', 'id', 'ibs', 'rb', 'rw', 'rd', 'ow', 'od', 'seg']);

export interface ParsedRow {
  readonly operands: readonly OperandKind[];
  readonly encoding: Encoding;
  readonly privilege?: PrivilegeClass;
  readonly decodeOnly: boolean;
}

/** Parses one row; throws on a malformed row (a bug in the table, caught by the unit tests at load). */
export function parseRow(row: string, cc?: number): ParsedRow {
  const colon = row.indexOf(':');
  if (colon < 0) throw new Error(`isa row without ':' — ${row}`);
  const opText = row.slice(0, colon).trim();
  const operands = opText === '' ? [] : opText.split(',').map((k) => {
    if (!OPERAND_KINDS.has(k)) throw new Error(`isa row: unknown operand kind '${k}' — ${row}`);
    return k as OperandKind;
  });
  let opsize: 16 | 32 | undefined;
  let addrsize: 16 | 32 | undefined;
  const opcode: number[] = [];
  let plusReg = false;
  let modrm: 'r' | number | undefined;
  const immediates: ImmField[] = [];
  let privilege: PrivilegeClass | undefined;
  let decodeOnly = false;
  for (const tok of row.slice(colon + 1).trim().split(/\s+/)) {
    if (tok === '') continue;
    if (tok === 'o16' || tok === 'o32') opsize = tok === 'o16' ? 16 : 32;
    else if (tok === 'a16' || tok === 'a32') addrsize = tok === 'a16' ? 16 : 32;
    else if (/^[0-9A-F]{2}$/.test(tok)) opcode.push(parseInt(tok, 16));
    else if (/^[0-9A-F]{2}\+r$/.test(tok)) { opcode.push(parseInt(tok, 16)); plusReg = true; }
    else if (/^[0-9A-F]{2}\+cc$/.test(tok)) {
      if (cc === undefined) throw new Error(`isa row: +cc outside a condition-code family — ${row}`);
      opcode.push(parseInt(tok, 16) + cc);
    } else if (tok === '/r') modrm = 'r';
    else if (/^\/[0-7]$/.test(tok)) modrm = Number(tok[1]);
    else if (IMM_FIELDS.has(tok)) immediates.push(tok as ImmField);
    else if (tok === '!sensitive' || tok === '!privileged' || tok === '!unprivileged') privilege = tok.slice(1) as PrivilegeClass;
    else if (tok === '!decode') decodeOnly = true;
    else throw new Error(`isa row: unknown token '${tok}' — ${row}`);
  }
  if (opcode.length === 0) throw new Error(`isa row without opcode — ${row}`);
  const slots = assignSlots(operands, plusReg, modrm, row);
  const encoding: Encoding = {
    ...(opsize !== undefined ? { opsize } : {}),
    ...(addrsize !== undefined ? { addrsize } : {}),
    opcode,
    ...(plusReg ? { plusReg } : {}),
    ...(modrm !== undefined ? { modrm } : {}),
    immediates,
    slots,
  };
  return { operands, encoding, ...(privilege ? { privilege } : {}), decodeOnly };
}

const IMM_KINDS = /^(imm|sbyte|rel|moffs|far)/;
const FIXED = new Set(['al', 'ax', 'eax', 'cl', 'dx', 'unity', 'es', 'cs', 'ss', 'ds', 'fs', 'gs']);

/**
 * Where each operand goes. Memory-capable kinds take ModRM.rm; control, debug and segment
 * registers take ModRM.reg; a general register takes ModRM.reg unless another operand holds it
 * (then rm), the opcode with +r, or both fields for the two-operand IMUL (`6B /r` with one register).
 */
function assignSlots(operands: readonly OperandKind[], plusReg: boolean, modrm: 'r' | number | undefined, row: string): OperandSlot[] {
  const slots: OperandSlot[] = operands.map((k) => {
    if (FIXED.has(k)) return 'implicit';
    if (IMM_KINDS.test(k)) return 'imm';
    if (k.startsWith('rm') || k.startsWith('m')) return 'rm';
    if (k === 'sreg' || k === 'creg' || k === 'dreg') return 'reg';
    return plusReg ? 'opreg' : 'reg'; // r8/r16/r32, decided below
  });
  if (modrm !== undefined) {
    const regSlots = slots.filter((s) => s === 'reg').length;
    const hasRm = slots.includes('rm');
    if (typeof modrm === 'number') {
      // /digit: the reg field is the extension, so a general register goes to rm.
      for (let i = 0; i < slots.length; i++) if (slots[i] === 'reg') slots[i] = 'rm';
    } else if (regSlots === 2) {
      // r32,creg (0F 20), sreg,r16 (8E): the special register holds reg, the general one rm.
      // Two general registers (LAR r32,r32): the first holds reg, the second rm.
      const special = operands.some((k) => k === 'sreg' || k === 'creg' || k === 'dreg');
      for (let i = slots.length - 1; i >= 0; i--) {
        const k = operands[i];
        if (slots[i] === 'reg' && k !== 'sreg' && k !== 'creg' && k !== 'dreg') { slots[i] = 'rm'; if (!special) break; }
      }
    } else if (regSlots === 1 && !hasRm) {
      slots[slots.indexOf('reg')] = 'regrm';
    }
  }
  const count = (s: OperandSlot): number => slots.filter((x) => x === s).length;
  if (count('reg') > 1 || count('rm') > 1 || (modrm === undefined && (count('reg') + count('rm') + count('regrm')) > 0)) {
    throw new Error(`isa row: operands do not fit the encoding — ${row}`);
  }
  return slots;
}
