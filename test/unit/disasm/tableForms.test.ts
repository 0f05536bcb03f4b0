// Every form of the table, decode-only rows included, encoded straight from its Encoding record
// and decoded back: the decoder reaches each form (or an encoding-identical twin) with the
// encoding's exact length. Independent of NASM; guards the opcode maps against table edits.

import * as assert from 'node:assert/strict';
import { FORMS, type Form, type ImmField } from '../../../core/isa';
import { Decoded, decode } from '../../../core/disasm';

const IMM_BYTES: Record<ImmField, number> = { ib: 1, ibs: 1, rb: 1, iw: 2, rw: 2, seg: 2, ow: 2, id: 4, rd: 4, od: 4 };

/** Encodings of a form: with a register and (where allowed) a memory r/m operand. */
function encodingsOf(form: Form): number[][] {
  const e = form.encoding;
  const rmIndex = e.slots.findIndex((s) => s === 'rm' || s === 'regrm');
  const rmKind = rmIndex >= 0 ? form.operands[rmIndex]! : undefined;
  const regKind = form.operands.find((_k, i) => e.slots[i] === 'reg');
  // A register that exists in every class: ds for segment registers, cr0/dr0, ecx otherwise.
  const regField = typeof e.modrm === 'number' ? e.modrm : regKind === 'sreg' ? 3 : regKind === 'creg' || regKind === 'dreg' ? 0 : 1;
  const mods = rmKind === undefined || /^r(8|16|32)$/.test(rmKind) ? [3] : rmKind.startsWith('rm') ? [3, 0] : [0];
  const out: number[][] = [];
  for (const mod of e.modrm === undefined ? [-1] : mods) {
    const bytes: number[] = [];
    if (e.opsize === 16) bytes.push(0x66);
    if (e.addrsize === 16) bytes.push(0x67);
    const opcode = [...e.opcode];
    // +r with register 1 (register 0 of XCHG would be NOP).
    if (e.plusReg) opcode[opcode.length - 1]! += 1;
    bytes.push(...opcode);
    // A fixed last opcode byte after 0F xx is already the ModRM byte (vmcall 0F 01 C1).
    const fixedModrm = e.opcode.length === (e.opcode[0] === 0x0f ? 3 : 2) && e.modrm === undefined;
    if (mod >= 0 && !fixedModrm) {
      // mod 0 with rm 3 is [ebx]: no SIB, no displacement; regrm repeats the register.
      const rm = e.slots.includes('regrm') ? regField : mod === 3 ? 2 : 3;
      bytes.push((mod << 6) | (regField << 3) | rm);
    }
    for (const f of e.immediates) for (let i = 0; i < IMM_BYTES[f]; i++) bytes.push(0x11 * (i + 1));
    out.push(bytes);
  }
  return out;
}

function twins(a: Form, b: Form): boolean {
  const [x, y] = [a.encoding, b.encoding];
  return a === b || (a.mnemonic === b.mnemonic && x.opsize === y.opsize && x.addrsize === y.addrsize && x.plusReg === y.plusReg
    && x.modrm === y.modrm && x.opcode.join() === y.opcode.join() && x.immediates.join() === y.immediates.join());
}

describe('disasm reaches every form of the table', () => {
  it('each form encoded from its Encoding decodes to itself or a twin, at full length', () => {
    const d = new Decoded();
    const wrong: string[] = [];
    let checked = 0;
    for (const form of FORMS) {
      for (const bytes of encodingsOf(form)) {
        checked++;
        const len = decode(Uint8Array.from(bytes), 0, 0, d);
        if (!d.form || !twins(d.form, form) || len !== bytes.length) {
          const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
          wrong.push(`${form.source} [${hex}]: got ${d.form?.source ?? `status ${d.status}`} length ${len}`);
        }
      }
    }
    assert.ok(checked > FORMS.length);
    assert.deepEqual(wrong, []);
  });
});
