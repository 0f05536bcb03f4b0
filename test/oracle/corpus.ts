// The NASM oracle corpus: for every form of the instruction table (decode-only rows aside), NASM
// source lines that make NASM pick exactly that form. Derived from the table's operand kinds, so a
// new row gets lines without anyone writing a mnemonic list. scripts/make-goldens.mjs assembles
// the lines with NASM and commits the bytes; corpus.test.ts holds RingLab's assembler to them.

import { FORMS, REG16, REG32, REG8, REGISTERS } from '../../core/isa';
import type { Form, ImmField, OperandKind } from '../../core/isa';

export interface CorpusLine {
  /** Form.source of the form the line selects (stable across table reorderings, unlike ids). */
  readonly form: string;
  readonly formId: number;
  /** One line of NASM source, self-contained: relative targets are written `$+N`. */
  readonly text: string;
}

/** Lines for every assembler-visible form, in table order. */
export function generateCorpus(forms: readonly Form[] = FORMS): CorpusLine[] {
  const lines: CorpusLine[] = [];
  for (const form of forms) {
    if (form.decodeOnly) continue;
    for (const text of linesForForm(form, forms)) lines.push({ form: form.source, formId: form.id, text });
  }
  return lines;
}

/** The assembler-visible forms of a mnemonic, in table (= NASM preference) order. */
function siblings(form: Form, forms: readonly Form[]): Form[] {
  return forms.filter((f) => f.mnemonic === form.mnemonic && !f.decodeOnly);
}

/** One to four lines for a form: operand samples rotate so each kind shows its edges. */
export function linesForForm(form: Form, forms: readonly Form[] = FORMS): string[] {
  const sibs = siblings(form, forms);
  const samples = form.operands.map((kind, i) => operandSamples(form, i, kind, sibs));
  const count = Math.min(4, Math.max(1, ...samples.map((s) => s.length)));
  const out: string[] = [];
  for (let v = 0; v < count; v++) {
    const ops = samples.map((s) => s[v % s.length]!);
    const text = ops.length === 0 ? form.mnemonic : `${form.mnemonic} ${ops.join(', ')}`;
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

const WIDTH: Partial<Record<OperandKind, 8 | 16 | 32 | 64>> = {
  r8: 8, rm8: 8, m8: 8, al: 8, cl: 8, imm8: 8, moffs8: 8,
  r16: 16, rm16: 16, m16: 16, ax: 16, dx: 16, imm16: 16, sbyte16: 16, rel16: 16, moffs16: 16, far16: 16,
  r32: 32, rm32: 32, m32: 32, eax: 32, imm32: 32, sbyte32: 32, rel32: 32, moffs32: 32, far32: 32,
  m64: 64,
};
const SIZE_WORD: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };
const GP_KINDS: ReadonlySet<OperandKind> = new Set(['r8', 'r16', 'r32', 'al', 'ax', 'eax']);
const isImm = (k: OperandKind): boolean => /^(imm|sbyte)/.test(k);
const isRm = (k: OperandKind): boolean => k === 'rm8' || k === 'rm16' || k === 'rm32';

/**
 * Memory operands with varied addressing: register indirect, disp8 and disp32, SIB with scales,
 * no base (disp32 only and index*scale+disp32), EBP and ESP bases, segment overrides.
 */
const ADDRESSES = [
  '[eax]', '[ebx+0x10]', '[ecx+edx*2]', '[esi+edi*4+0x7F]', '[ebp-0x80]', '[esp+8]',
  '[0x12345678]', '[ebx*4+0x100]', '[ebp]', '[edx+0x12345678]', '[es:edi]', '[fs:eax+4]',
  '[esp]', '[eax+ebx]', '[edi*8-4]', '[gs:0x20]',
];

/** General registers other than the accumulator, whose short forms (04, A1, 90+r) would win. */
function gpRegister(bits: 8 | 16 | 32, seed: number): string {
  const names = bits === 8 ? REG8 : bits === 16 ? REG16 : REG32;
  return names[1 + (seed % 7)]!;
}

function operandSamples(form: Form, i: number, kind: OperandKind, sibs: readonly Form[]): string[] {
  const seed = form.id * 3 + i * 5;
  const others = form.operands.filter((_, j) => j !== i);
  switch (kind) {
    case 'r8': case 'r16': case 'r32':
      return [gpRegister(WIDTH[kind] as 8 | 16 | 32, seed), gpRegister(WIDTH[kind] as 8 | 16 | 32, seed + 3)];
    case 'rm8': case 'rm16': case 'rm32': case 'm8': case 'm16': case 'm32': case 'm64': case 'mem': {
      const width = WIDTH[kind];
      const sameWidthReg = others.some((k) => GP_KINDS.has(k) && WIDTH[k] === width);
      const anyReg = others.some((k) => GP_KINDS.has(k));
      const keywordRequired = isRm(kind) && !sameWidthReg;
      // Redundant sizes only where no register is beside: NASM sizes LAR/LSL's memory as a
      // word even with a 32-bit destination, so `dword` there would be an error.
      const keywordAllowed = width !== undefined && !anyReg;
      const mem = (n: number, withKeyword: boolean): string =>
        (withKeyword && width !== undefined ? `${SIZE_WORD[width]} ` : '') + ADDRESSES[(seed + n * 7) % ADDRESSES.length]!;
      const out = [mem(0, keywordRequired), mem(1, keywordRequired || keywordAllowed)];
      if (isRm(kind) && registerWins(form, i, sibs)) out.unshift(gpRegister(width as 8 | 16 | 32, seed + 1));
      return out;
    }
    case 'mfar': {
      const needsWord = form.encoding.opsize === 16 && !form.operands.some((k) => k === 'r16');
      const size = form.operands.some((k) => GP_KINDS.has(k)) ? '' : needsWord ? 'word far ' : 'far ';
      return [0, 1].map((n) => size + ADDRESSES[(seed + n * 7) % ADDRESSES.length]!);
    }
    case 'imm8': return withImmKeyword(form, i, sibs, ['0x7F', '0x80', '0xFF', '2']);
    case 'imm16': return withImmKeyword(form, i, sibs, ['0x1234', '0x80', '-129', '0x8000']);
    case 'imm32': return withImmKeyword(form, i, sibs, ['0x12345678', '0x80', '-129', '0x80000000']);
    case 'sbyte16': case 'sbyte32': return withImmKeyword(form, i, sibs, ['-128', '127', '0', '-1']);
    case 'rel8': case 'rel16': case 'rel32': return relSamples(form, kind, sibs);
    case 'moffs8': case 'moffs16': case 'moffs32': return ['[0x12345678]', '[fs:0x10]'];
    case 'far16': return ['word 0x08:0x1234', 'word 0xFFFF:0'];
    case 'far32': {
      const both = sibs.some((f) => f.operands.includes('far16'));
      return [`${both ? 'dword ' : ''}0x10:0x12345678`, 'dword 0x08:0x100000'];
    }
    case 'sreg': return i === 0 ? ['ds', 'es', 'ss', 'fs', 'gs'] : ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
    case 'creg': return ['cr0', 'cr2', 'cr3', 'cr4'];
    case 'dreg': return ['dr0', 'dr3', 'dr6', 'dr7'];
    case 'unity': return ['1'];
    case 'al': case 'ax': case 'eax': case 'cl': case 'dx':
    case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs':
      return [kind];
  }
}

/** An immediate needs `word`/`dword` when a sibling form differs only in that immediate's width (push). */
function withImmKeyword(form: Form, i: number, sibs: readonly Form[], values: string[]): string[] {
  const kind = form.operands[i]!;
  const ambiguous = sibs.some((f) => f !== form && f.operands.length === form.operands.length &&
    isImm(f.operands[i]!) && WIDTH[f.operands[i]!] !== WIDTH[kind] &&
    f.operands.every((k, j) => j === i || k === form.operands[j]));
  return ambiguous ? values.map((v) => `${SIZE_WORD[WIDTH[kind]!]} ${v}`) : values;
}

/** Encoded length of a form without ModRM addressing bytes (what decides between siblings). */
function baseLength(f: Form): number {
  const imm: Record<ImmField, number> = { ib: 1, ibs: 1, rb: 1, iw: 2, rw: 2, seg: 2, ow: 2, id: 4, rd: 4, od: 4 };
  return (f.encoding.opsize === 16 ? 1 : 0) + (f.encoding.addrsize === 16 ? 1 : 0) + f.encoding.opcode.length +
    (f.encoding.modrm !== undefined ? 1 : 0) + f.encoding.immediates.reduce((n, x) => n + imm[x], 0);
}

/**
 * Whether a register in rm slot i selects this form: no sibling taking a register there (with the
 * same kinds elsewhere) is shorter, or as short and earlier (NASM's tie-break is table order).
 */
function registerWins(form: Form, i: number, sibs: readonly Form[]): boolean {
  const kind = form.operands[i]!;
  const width = WIDTH[kind];
  const compatible = (a: OperandKind, b: OperandKind): boolean =>
    a === b || ((isRm(a) || /^r(8|16|32)$/.test(a)) && (isRm(b) || /^r(8|16|32)$/.test(b)) && WIDTH[a] === WIDTH[b]) ||
    (isImm(a) && isImm(b) && WIDTH[a] === WIDTH[b]);
  return !sibs.some((g) => {
    if (g === form || g.operands.length !== form.operands.length) return false;
    const gk = g.operands[i]!;
    if (!(isRm(gk) || /^r(8|16|32)$/.test(gk)) || WIDTH[gk] !== width) return false;
    if (!g.operands.every((k, j) => j === i || compatible(k, form.operands[j]!))) return false;
    const [gl, fl] = [baseLength(g), baseLength(form)];
    return gl < fl || (gl === fl && g.id < form.id);
  });
}

/**
 * Relative targets as `$+N` from the instruction's start, so a line assembles alone. Edges of the
 * short range for rel8; beyond it (and the `near` keyword) for rel32; `word` for rel16.
 */
function relSamples(form: Form, kind: 'rel8' | 'rel16' | 'rel32', sibs: readonly Form[]): string[] {
  const length = baseLength(form);
  const target = (disp: number): string => {
    const n = length + disp;
    return n >= 0 ? `$+0x${n.toString(16).toUpperCase()}` : `$-0x${(-n).toString(16).toUpperCase()}`;
  };
  const hasShort = sibs.some((f) => f.operands[0] === 'rel8');
  const hasNear = sibs.some((f) => f.operands[0] === 'rel32');
  // `short` only where a near form exists to tell apart (NASM refuses `loop short`).
  if (kind === 'rel8') return hasNear ? [target(127), target(-128), `short ${target(0x10)}`, target(0)] : [target(127), target(-128), target(0)];
  if (kind === 'rel32') {
    return hasShort ? [target(0x1000), target(-0x300), `near ${target(0x10)}`, target(0x80)] : [target(0x1000), target(-0x300), target(0x10)];
  }
  // NASM takes `jmp word` but wants `jz near word`; `near word` works for both.
  return hasShort ? [`near word ${target(0x100)}`, `near word ${target(-0x200)}`] : [`word ${target(0x100)}`, `word ${target(-0x200)}`];
}

// ---- Checking NASM's bytes against the form a line was written for --------------------------

const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);
const IMM_SIZE: Record<ImmField, number> = { ib: 1, ibs: 1, rb: 1, iw: 2, rw: 2, seg: 2, ow: 2, id: 4, rd: 4, od: 4 };

/** Splits an operand list at top-level commas (none of our operands nest). */
function splitOperands(text: string): string[] {
  const sp = text.indexOf(' ');
  if (sp < 0) return [];
  return text.slice(sp + 1).split(',').map((s) => s.trim());
}

/**
 * Why NASM's bytes for a line are not the form's encoding, or undefined when they are: the
 * prefixes, opcode, ModRM fields with the line's registers, and the total length must all fit.
 */
export function mismatch(form: Form, text: string, bytes: Uint8Array): string | undefined {
  const enc = form.encoding;
  const ops = splitOperands(text);
  if (ops.length !== form.operands.length) return `${ops.length} operands, form has ${form.operands.length}`;
  for (let i = 0; i < ops.length; i++) {
    if (!kindAccepts(form.operands[i]!, ops[i]!)) return `operand ${i + 1} '${ops[i]}' is not ${form.operands[i]}`;
  }
  let p = 0;
  const prefixes: number[] = [];
  while (p < bytes.length && PREFIXES.has(bytes[p]!)) prefixes.push(bytes[p++]!);
  const hasSegment = ops.some((o) => /\[(es|cs|ss|ds|fs|gs):/.test(o));
  const want: (number | string)[] = [...(hasSegment ? ['segment'] : []), ...(enc.opsize === 16 ? [0x66] : []), ...(enc.addrsize === 16 ? [0x67] : [])];
  const got: (number | string)[] = prefixes.map((b) => (b === 0x66 || b === 0x67 ? b : 'segment'));
  if (want.length !== got.length || want.some((w) => !got.includes(w))) return `prefixes ${hexOf(prefixes)}`;

  for (let k = 0; k < enc.opcode.length; k++) {
    const expected = enc.opcode[k]!;
    const b = bytes[p++];
    if (b === undefined) return 'too short';
    const last = k === enc.opcode.length - 1;
    if (last && enc.plusReg ? (b & 0xf8) !== expected : b !== expected) return `opcode byte ${hexOf([b])}, form has ${hexOf([expected])}`;
    if (last && enc.plusReg) {
      const reg = registerOperand(form, ops, 'opreg');
      if (reg !== undefined && (b & 7) !== reg) return `+r register ${b & 7}, line has ${reg}`;
    }
  }
  let tail = 0;
  if (enc.modrm !== undefined) {
    const m = bytes[p++];
    if (m === undefined) return 'no ModRM';
    const mod = m >> 6, reg = (m >> 3) & 7, rm = m & 7;
    if (typeof enc.modrm === 'number' && reg !== enc.modrm) return `ModRM.reg ${reg}, form has /${enc.modrm}`;
    const regOp = registerOperand(form, ops, 'reg');
    if (regOp !== undefined && reg !== regOp) return `ModRM.reg ${reg}, line has ${regOp}`;
    const both = registerOperand(form, ops, 'regrm');
    if (both !== undefined && (reg !== both || rm !== both || mod !== 3)) return 'ModRM does not hold the register twice';
    const rmIndex = enc.slots.indexOf('rm');
    if (rmIndex >= 0) {
      const rmText = ops[rmIndex] ?? '';
      if (rmText.includes('[')) {
        if (mod === 3) return 'register in ModRM.rm, line has memory';
      } else {
        const r = REGISTERS.get(rmText);
        if (mod !== 3 || (r && r.num !== rm)) return `ModRM.rm ${mod === 3 ? rm : 'memory'}, line has ${rmText}`;
      }
    }
    if (mod !== 3) {
      if (rm === 4) {
        const sib = bytes[p++];
        if (sib === undefined) return 'no SIB';
        if (mod === 0 && (sib & 7) === 5) tail += 4;
      }
      if (mod === 1) tail += 1;
      else if (mod === 2 || (mod === 0 && rm === 5)) tail += 4;
    }
  }
  tail += enc.immediates.reduce((n, f) => n + IMM_SIZE[f], 0);
  if (p + tail !== bytes.length) return `length ${bytes.length}, form needs ${p + tail}`;
  return undefined;
}

/** Whether operand text has the shape of a kind (register class, memory, immediate...). */
function kindAccepts(kind: OperandKind, text: string): boolean {
  const reg = REGISTERS.get(text);
  const isMem = text.includes('[');
  switch (kind) {
    case 'r8': case 'r16': case 'r32': return reg?.cls === kind;
    case 'rm8': case 'rm16': case 'rm32': return isMem || reg?.cls === `r${kind.slice(2)}`;
    case 'sreg': case 'creg': case 'dreg': return reg?.cls === kind;
    case 'al': case 'ax': case 'eax': case 'cl': case 'dx':
    case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs': return text === kind;
    case 'unity': return text === '1';
    case 'far16': case 'far32': return !isMem && text.includes(':');
    default:
      // memory kinds, moffs and immediates/relatives
      return /^(m|moffs)/.test(kind) ? isMem : !isMem && reg === undefined;
  }
}

function registerOperand(form: Form, ops: readonly string[], slot: 'reg' | 'opreg' | 'regrm'): number | undefined {
  const i = form.encoding.slots.indexOf(slot);
  if (i < 0) return undefined;
  return REGISTERS.get(ops[i] ?? '')?.num;
}

function hexOf(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ') || '(none)';
}

/** Why NASM's bytes are not the form the corpus line was written for, or undefined. */
export function checkLine(line: CorpusLine, bytes: Uint8Array, forms: readonly Form[] = FORMS): string | undefined {
  const form = forms[line.formId];
  if (!form || form.source !== line.form) return `no form ${line.form} in the table`;
  return mismatch(form, line.text, bytes);
}

// ---- Golden files ---------------------------------------------------------------------------

/** One line of test/oracle/golden/corpus.expected.json. */
export interface GoldenLine {
  /** 1-based line in corpus.asm. */
  readonly line: number;
  readonly text: string;
  readonly form: string;
  /** NASM's bytes for the line, uppercase hex without spaces. */
  readonly hex: string;
}

export const CORPUS_HEADER = [
  '; RingLab oracle corpus: one or more lines per form of core/isa, assembled by NASM into',
  '; corpus.bin and corpus.expected.json. Generated by scripts/make-goldens.mjs; do not edit.',
  'bits 32',
];

/** The text of corpus.asm for a list of corpus lines (the form each selects as a comment). */
export function corpusSource(lines: readonly CorpusLine[]): string {
  const width = Math.max(...lines.map((l) => l.text.length)) + 2;
  return [...CORPUS_HEADER, ...lines.map((l) => `${l.text.padEnd(width)}; ${l.form}`)].join('\n') + '\n';
}

/** Bytes per source line from a NASM listing (`nasm -l`); continuation rows end with `-`. */
export function bytesPerLine(listing: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const row of listing.split('\n')) {
    const m = /^\s*(\d+) ([0-9A-F]{8}) ([0-9A-F[\]()]+)-?\s/.exec(row + ' ');
    if (!m) continue;
    const hex = m[3]!.replace(/[[\]()]/g, '');
    const line = Number(m[1]);
    out.set(line, (out.get(line) ?? '') + hex);
  }
  return out;
}
