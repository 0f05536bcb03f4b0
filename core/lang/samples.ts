// A program that uses every assembler form of the instruction table, made by decoding synthetic
// bytes for each form and printing them in NASM syntax (the disassembler's own formatter): the
// language server lints it while idle after start-up, so the assembler's code is compiled for
// the whole table before the first real file arrives. Lines the assembler refuses are dropped.

import { assemble } from '../asm';
import { decode, Decoded, formatInstruction } from '../disasm';
import { FORMS, type Form, type ImmField } from '../isa';

const IMM_BYTES: Readonly<Record<ImmField, number>> = { ib: 1, ibs: 1, rb: 1, iw: 2, rw: 2, ow: 4, id: 4, rd: 4, od: 4, seg: 2 };
const BASE = 0x100000;

/** Bytes for one form: ModRM reg 3, rm a register or [ebx+0x10], immediates 0x10. */
function bytesFor(form: Form, memory: boolean): number[] {
  const e = form.encoding;
  const out: number[] = [];
  if (e.opsize === 16) out.push(0x66);
  if (e.addrsize === 16) out.push(0x67);
  out.push(...e.opcode);
  if (e.plusReg) out[out.length - 1]! += 3;
  if (e.modrm !== undefined) {
    const reg = typeof e.modrm === 'number' ? e.modrm : 3;
    if (memory) out.push(0x40 | (reg << 3) | 3, 0x10);
    else out.push(0xc0 | (reg << 3) | 2);
  }
  for (const f of e.immediates) for (let i = 0; i < IMM_BYTES[f]; i++) out.push(i === 0 ? 0x10 : 0);
  return out;
}

/** One NASM line per assembler form (two for forms taking a register or memory), in table order. */
export function tableSampleLines(): string[] {
  const d = new Decoded();
  const lines: string[] = [];
  for (const form of FORMS) {
    if (form.decodeOnly) continue;
    const memOnly = form.operands.some((k) => /^(m\d|mem|mfar|moffs)/.test(k));
    for (const memory of memOnly ? [true] : [false, true]) {
      const bytes = Uint8Array.from(bytesFor(form, memory));
      decode(bytes, 0, BASE, d, bytes.length);
      if (d.formId >= 0) lines.push(formatInstruction(d));
      if (form.encoding.modrm === undefined) break;
    }
  }
  const probe = assemble(`bits 32\norg ${BASE}\n${lines.join('\n')}\n`, { file: '<samples>' });
  const bad = new Set(probe.diagnostics.map((x) => x.line - 3));
  return lines.filter((_, i) => !bad.has(i));
}

/** About `count` lines: the samples in labelled blocks, with local labels and jumps between them. */
export function tableSampleProgram(count: number): string {
  const samples = tableSampleLines();
  const out = ['bits 32', `org ${BASE}`];
  let block = 0;
  for (let i = 0; out.length < count; i++) {
    if (i % 16 === 0) out.push(`b${block++}:`, '.top:');
    out.push(`    ${samples[i % samples.length]!}`);
    if (i % 16 === 15) out.push('    jnz .top', `    call b${Math.max(0, block - 2)}`);
  }
  return out.join('\n') + '\n';
}
