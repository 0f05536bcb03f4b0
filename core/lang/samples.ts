// A program that uses every assembler form of the instruction table, made by decoding synthetic
// bytes for each form and printing them in NASM syntax (the disassembler's own formatter): the
// language server lints it while idle after start-up, so the assembler's code is compiled for
// the whole table before the first real file arrives. Lines the assembler refuses are dropped.

import { assemble } from '../asm';
import { decode, Decoded, formatInstruction } from '../disasm';
import { FORMS, type Form, type ImmField } from '../isa';

const IMM_BYTES: Readonly<Record<ImmField, number>> = { ib: 1, ibs: 1, rb: 1, iw: 2, rw: 2, ow: 4, id: 4, rd: 4, od: 4, seg: 2 };
const BASE = 0x100000;

/**
 * Memory operands a sample may take (ModRM with reg 0, then SIB and displacement; a leading 0x64
 * is an FS override): register indirect with disp8, SIB with a scale, a negative disp8 on EBP, a
 * disp32 alone, a segment override, index*scale+disp32 without base, ESP base, base+index,
 * index*8 with a negative disp32, base+index*2+disp8.
 */
const MEMORY: readonly (readonly number[])[] = [
  [0x43, 0x10], [0x44, 0xbe, 0x7f], [0x45, 0x80], [0x05, 0x78, 0x56, 0x34, 0x12],
  [0x64, 0x40, 0x04], [0x04, 0x9d, 0x00, 0x01, 0x00, 0x00], [0x44, 0x24, 0x08], [0x04, 0x18],
  [0x04, 0xfd, 0xfc, 0xff, 0xff, 0xff], [0x44, 0x51, 0x10],
];
/** Registers of the ModRM reg and rm fields, and an immediate's first byte (the rest 0, or 0xFF after 0xFF). */
const REG = [3, 6, 1, 7];
const RM = [2, 1, 5, 0];
const IMM = [0x10, 0x80, 0xff, 0x7f];

/** Bytes for one form in variant `v`: a register or memory operand and immediates that vary with it. */
function bytesFor(form: Form, memory: boolean, v: number): number[] {
  const e = form.encoding;
  const out: number[] = [];
  const mem = MEMORY[(3 * v) % MEMORY.length]!;
  const seg = memory && e.modrm !== undefined && mem[0] === 0x64;
  if (seg) out.push(0x64);
  if (e.opsize === 16) out.push(0x66);
  if (e.addrsize === 16) out.push(0x67);
  out.push(...e.opcode);
  if (e.plusReg) out[out.length - 1]! += REG[v % REG.length]!;
  if (e.modrm !== undefined) {
    const reg = typeof e.modrm === 'number' ? e.modrm : REG[v % REG.length]!;
    if (memory) {
      const [modrm, ...rest] = seg ? mem.slice(1) : mem;
      out.push(modrm! | (reg << 3), ...rest);
    } else out.push(0xc0 | (reg << 3) | RM[v % RM.length]!);
  }
  const first = IMM[v % IMM.length]!;
  for (const f of e.immediates) for (let i = 0; i < IMM_BYTES[f]; i++) out.push(i === 0 ? first : first === 0xff ? 0xff : 0);
  return out;
}

/** Variants per form: each sweep of the table gives every form another register, address and immediate. */
const SWEEPS = 4;

/**
 * NASM lines for every assembler form (register and memory operands for forms taking either),
 * in table order, then again with other operands, so that any run of about a table's length
 * covers every form and a longer one sees each with varied operands. No line twice.
 */
export function tableSampleLines(): string[] {
  return [...(sampleLines ??= makeSampleLines())];
}

/** The samples, made once per process (the table does not change). */
let sampleLines: readonly string[] | undefined;

function makeSampleLines(): string[] {
  const d = new Decoded();
  const lines = new Set<string>();
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (const form of FORMS) {
      if (form.decodeOnly) continue;
      const memOnly = form.operands.some((k) => /^(m\d|mem|mfar|moffs)/.test(k));
      const v = sweep + form.id;
      for (const memory of memOnly ? [true] : [false, true]) {
        const bytes = Uint8Array.from(bytesFor(form, memory, v));
        decode(bytes, 0, BASE, d, bytes.length);
        if (d.formId >= 0) lines.add(formatInstruction(d));
        if (form.encoding.modrm === undefined) break;
      }
    }
  }
  const all = [...lines];
  const probe = assemble(`bits 32\norg ${BASE}\n${all.join('\n')}\n`, { file: '<samples>' });
  const bad = new Set(probe.diagnostics.map((x) => x.line - 3));
  return all.filter((_, i) => !bad.has(i));
}

/** Mnemonics whose only relative form is short (loop, jecxz...): their target must be near. */
function shortOnlyBranches(): string[] {
  const relative = FORMS.filter((f) => !f.decodeOnly && f.operands[0] === 'rel8');
  const names = new Set(relative.map((f) => f.mnemonic));
  return [...names].filter((m) => !FORMS.some((f) => f.mnemonic === m && !f.decodeOnly && f.operands[0] === 'rel32'));
}

/** Block indentations: four spaces, eight (NASM's own style) and a tab, each lexed its own way. */
const INDENTS = ['    ', '        ', '\t'];

/**
 * About `count` lines shaped like a real program, not only like the table: equ constants, labelled
 * blocks of samples from the `from`-th on (some with a trailing comment; each block indented in
 * one of INDENTS' ways), local labels, short and near jumps backward and forward, far jumps and
 * calls, memory operands naming labels, data lines (numbers, labels, strings) and `times`/`align`.
 * The assembler takes a different path for each of these, and V8 compiles a function for the
 * inputs it has seen: a warm-up without labels or comments leaves the first real file to run
 * those paths cold and to throw away code compiled for the samples alone.
 */
export function tableSampleProgram(count: number, from = 0): string {
  const samples = sampleLines ??= makeSampleLines();
  const shortOnly = shortOnlyBranches();
  const out = ['; the language server\'s warm-up program (core/lang/samples.ts)', 'bits 32', `org ${BASE}`,
    'SAMPLE_SEL equ 0x08', 'SAMPLE_SIZE equ 0x4000', 'SAMPLE_FLAGS equ (1 << 9) | 2', ''];
  const blocks = Math.max(1, Math.ceil(count / 24));
  let i = 0;
  for (let b = 0; b < blocks; b++) {
    out.push(`b${b}:`);
    const ind = INDENTS[b % INDENTS.length]!;
    for (let k = 0; k < 16; k++, i++) {
      const line = `${ind}${samples[(from + i) % samples.length]!}`;
      out.push(k % 4 === 0 ? `${line.padEnd(36)}; sample ${i}` : line);
      if (k === 7) out.push('.top:');
    }
    out.push('    jnz .top', `    ${shortOnly[b % shortOnly.length]} .top`, `    call b${Math.max(0, b - 2)}`, `    jmp ${b % 2 === 0 ? `b${Math.max(0, b - 30)}` : `b${b + 1}`}`);
    const extra = b % 6;
    if (extra === 0) out.push(`    mov eax, [table + ecx*4 + ${b % 16}]`);
    else if (extra === 1) out.push(`    jmp SAMPLE_SEL:b${b}`);
    else if (extra === 2) out.push('    push dword SAMPLE_FLAGS', `    imul ecx, ${b % 200}`);
    else if (extra === 3) out.push(`    lea esi, [message + ${b % 32}]`, '    times 2 nop');
    else if (extra === 4) out.push('    align 4, db 0');
    else out.push('    align 4');
    out.push(b % 2 === 0 ? `    dd b${b}, ${b}, SAMPLE_SIZE - ${b % 100}` : `    db "block ${b}", 0, 0x${(b % 256).toString(16).padStart(2, '0')}`, '');
  }
  out.push(`b${blocks}:`, 'table:', '    dd b0, b1, 0', '    dw 0x1234, 0xABCD', 'message:', '    db "RingLab warm-up", 13, 10, 0');
  return out.join('\n') + '\n';
}
