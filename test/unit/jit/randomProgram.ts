// Random guest programs for the differential test: a loop whose body is drawn from the integer
// instructions a compiled block meets (every ALU form with register, immediate and memory
// operands, INC/DEC, LEA, MOV/MOVZX/MOVSX, PUSH/POP, shifts, SETcc/CMOVcc, multiplies, flag
// reads through PUSHF, forward Jcc, CALL/RET, LOOP), plus a variant that divides by zero on
// some passes so faults are taken from inside compiled code and resumed.

import { kernelSource } from '../cpu/system/guestKernel';

const REGS = ['eax', 'ecx', 'edx', 'esi', 'edi'];
const REGS8 = ['al', 'cl', 'dl', 'ah', 'ch', 'dh'];
const CCS = ['o', 'no', 'b', 'ae', 'z', 'nz', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const ALU = ['add', 'sub', 'and', 'or', 'xor', 'cmp', 'test', 'adc', 'sbb'];

type Rnd = (n: number) => number;

function pick<T>(rnd: Rnd, xs: readonly T[]): T { return xs[rnd(xs.length)]!; }

function imm(rnd: Rnd): string {
  switch (rnd(5)) {
    case 0: return String(rnd(3));
    case 1: return String(rnd(256) - 128);
    case 2: return `0x${(rnd(0x10000) * 0x10000 + rnd(0x10000)).toString(16)}`;
    case 3: return pick(rnd, ['0x7fffffff', '0x80000000', '0xffffffff', '-1']);
    default: return String(rnd(100000));
  }
}

/** A memory operand inside the 4 KiB buffer EBX points at. */
function mem(rnd: Rnd): string { return `[ebx + ${rnd(1020) * 4}]`; }

function instruction(rnd: Rnd, label: () => string): string {
  const r = pick(rnd, REGS), s = pick(rnd, REGS), r8 = pick(rnd, REGS8);
  switch (rnd(22)) {
    case 0: case 1: return `${pick(rnd, ALU)} ${r}, ${s}`;
    case 2: return `${pick(rnd, ALU)} ${r}, ${imm(rnd)}`;
    case 3: return `${pick(rnd, ALU)} ${r}, ${mem(rnd)}`;
    case 4: return `${pick(rnd, ALU)} ${mem(rnd)}, ${r}`;
    case 5: return `${pick(rnd, ALU)} dword ${mem(rnd)}, ${imm(rnd)}`;
    case 6: return `${pick(rnd, ['inc', 'dec', 'neg', 'not'])} ${rnd(4) === 0 ? `dword ${mem(rnd)}` : r}`;
    case 7: return `lea ${r}, [${s} + ${pick(rnd, REGS)} * ${pick(rnd, [1, 2, 4, 8])} + ${imm(rnd)}]`;
    case 8: return `mov ${r}, ${pick(rnd, [s, imm(rnd), mem(rnd)])}`;
    case 9: return `mov ${mem(rnd)}, ${r}`;
    case 10: return `${pick(rnd, ['movzx', 'movsx'])} ${r}, ${pick(rnd, [r8, 'byte ' + mem(rnd), 'word ' + mem(rnd), s.replace('e', '')])}`;
    case 11: return `push ${pick(rnd, [s, imm(rnd)])}\n  pop ${r}`;
    case 12: return `${pick(rnd, ['shl', 'shr', 'sar', 'rol', 'ror'])} ${r}, ${pick(rnd, ['cl', String(rnd(32)), '1'])}`;
    case 13: return `set${pick(rnd, CCS)} ${r8}`;
    case 14: return `cmov${pick(rnd, CCS)} ${r}, ${s}`;
    case 15: return pick(rnd, [`imul ${r}, ${s}`, `imul ${r}, ${s}, ${imm(rnd)}`, 'mul ecx', `xchg ${r}, ${s}`, `bswap ${r}`]);
    case 16: return `pushfd\n  pop ${r}`;
    case 17: return `j${pick(rnd, CCS)} ${label()}`;
    case 18: return `${pick(rnd, ['add', 'sub', 'cmp', 'and', 'xor', 'mov'])} ${r8}, ${pick(rnd, [pick(rnd, REGS8), String(rnd(256)), `byte ${mem(rnd)}`])}`;
    case 19: return 'call helper';
    case 20: return pick(rnd, ['clc', 'stc', 'cmc', 'nop', 'cld', 'cdq']);
    default: return `${pick(rnd, ['adc', 'sbb'])} ${r}, ${pick(rnd, [s, imm(rnd)])}`;
  }
}

/** A kernel (guestKernel's prelude) running a random loop body `passes` times. */
export function randomProgram(rnd: Rnd, options: { length?: number; passes?: number; divide?: boolean } = {}): string {
  const length = options.length ?? 24;
  const pending: string[] = [];
  let labels = 0;
  const lines: string[] = [];
  for (let i = 0; i < length; i++) {
    // Forward labels land a few instructions later: blocks end and start mid-body.
    if (pending.length > 0 && rnd(3) === 0) lines.push(`${pending.shift()!}:`);
    lines.push(`  ${instruction(rnd, () => { const l = `.f${labels++}`; pending.push(l); return l; })}`);
  }
  if (options.divide === true) {
    // Divides by ECX & 3: every fourth pass raises #DE from inside the loop; the handler resumes after it.
    lines.push('  mov dword [resume], .resumed', '  mov ecx, ebp', '  and ecx, 3', '  xor edx, edx', '  div ecx', '.resumed:');
  }
  for (const l of pending) lines.push(`${l}:`);
  const body = [
    '  mov ebx, buffer',
    `  mov ebp, ${options.passes ?? 40}`,
    '.pass:',
    ...lines,
    '  dec ebp',
    '  jnz .pass',
    '  mov ecx, 30',
    '.count:',
    '  add eax, ecx',
    '  loop .count',
    '  jmp done',
    'helper:',
    '  add eax, 0x1234',
    '  ret',
    'done:',
  ].join('\n');
  return kernelSource(body, 'align 4\nbuffer: times 4096 db 0x5a');
}
