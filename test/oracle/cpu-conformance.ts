// Conformance of the integer semantics against real hardware. A seeded generator builds random
// instruction streams from every unprivileged, non-control-flow form of core/isa (derived from
// FORMS: no mnemonic lists), each test being: random flags and registers, one instruction, and a
// snapshot of the general registers, EFLAGS masked by the form's undefined flags, and a hash of the
// scratch memory and stack. The stream is a 32-bit Linux ELF (headers written in NASM's bin
// format, so the same bytes load into RingLab at the same addresses) that writes the snapshots
// to stdout: run natively, under qemu-i386, and on RingLab's interpreter, the outputs must agree.
// Tests that would fault (a zero divisor, a bit offset outside the scratch memory, #BR...) are
// weeded out at generation time by running the candidate on the interpreter with only the
// scratch memory mapped, so a stream depends on the seed and on the interpreter's fault rules.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble } from '../../core/asm';
import { CpuFault } from '../../core/cpu/cpuFault';
import { EFLAGS } from '../../core/cpu/cpuState';
import { Decoded } from '../../core/disasm/decoded';
import { decode } from '../../core/disasm/decoder';
import { FORMS, REG16, REG32, REG8, type Form, type OperandKind } from '../../core/isa';
import { FlatContext, handlers, step } from '../unit/cpu/integer/support';
import { bytesPerLine } from './corpus';
import { runNasm } from '../support/nasm';

// ---- Memory map (fixed, so the generator knows every address before assembling) --------------

export const ORG = 0x00400000;
/** Scratch data that memory operands point into, then the stack area ESP points into. */
export const REGION = ORG + 0x100;
export const SCRATCH_BYTES = 512;
export const STACK_BYTES = 256;
const REGION_BYTES = SCRATCH_BYTES + STACK_BYTES;
const SNAP = REGION + REGION_BYTES;      // 9 dwords: EAX..EDI, flags
const CODE = ORG + 0x1000;
/** Bytes each test writes to stdout: 8 registers, the masked flags, the memory hash. */
export const SNAPSHOT_BYTES = 40;

/** Instructions whose result depends on the environment, not on their operands. */
const ENVIRONMENT_DEPENDENT: Record<string, string> = {
  rdtsc: 'reads the time-stamp counter, which differs from run to run',
  vmcall: 'raises #UD outside VMX non-root operation',
};
/** Operand kinds that need descriptors or far pointers (the system half's conformance). */
const SYSTEM_KINDS: ReadonlySet<OperandKind> = new Set(['mfar', 'far16', 'far32', 'sreg', 'es', 'cs', 'ss', 'ds', 'fs', 'gs', 'creg', 'dreg']);

/** The forms the streams draw from: unprivileged, no control flow, assembler-visible, no system operands. */
export function conformanceForms(): Form[] {
  return FORMS.filter((f) => !f.decodeOnly && f.privilege === 'unprivileged' && f.flow === undefined &&
    !(f.mnemonic in ENVIRONMENT_DEPENDENT) && !f.operands.some((k) => SYSTEM_KINDS.has(k)));
}

// ---- Random numbers -------------------------------------------------------------------------

/** mulberry32: small, fast, and the same everywhere. */
export class Rng {
  constructor(private s: number) {}
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  below(n: number): number { return this.u32() % n; }
  chance(p: number): boolean { return this.u32() / 0x100000000 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]!; }
}

const EDGES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x99, 0x09, 0x0f, 0x1f, 0x20, 0x21];

function randomValue(rng: Rng): number {
  const k = rng.below(8);
  if (k < 2) return (rng.below(81) - 40) >>> 0;
  if (k < 4) return EDGES[rng.below(EDGES.length)]! ^ (rng.chance(0.3) ? rng.below(4) : 0);
  if (k < 6) return REGION + rng.below(REGION_BYTES);
  return rng.u32();
}

function hex(v: number): string { return `0x${(v >>> 0).toString(16)}`; }

// ---- One test ---------------------------------------------------------------------------------

export interface TestCase {
  readonly form: Form;
  /** The instruction as NASM source. */
  readonly text: string;
  /** EAX..EDI before the instruction. */
  readonly regs: readonly number[];
  /** SF ZF AF PF CF (EFLAGS bits) and OF, DF before the instruction. */
  readonly szapc: number;
  readonly of: 0 | 1;
  readonly df: 0 | 1;
}

const WIDTH: Partial<Record<OperandKind, number>> = {
  r8: 8, rm8: 8, m8: 8, al: 8, cl: 8, imm8: 8, moffs8: 8,
  r16: 16, rm16: 16, m16: 16, ax: 16, imm16: 16, sbyte16: 16, moffs16: 16,
  r32: 32, rm32: 32, m32: 32, eax: 32, imm32: 32, sbyte32: 32, moffs32: 32, m64: 64,
};
const SIZE_WORD: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };
// CL as a shift count says nothing about the other operand's size, so it is not here.
const GP: ReadonlySet<OperandKind> = new Set(['r8', 'r16', 'r32', 'al', 'ax', 'eax']);

function register(bits: number, n: number): string {
  return (bits === 8 ? REG8 : bits === 16 ? REG16 : REG32)[n]!;
}

/** Random operands for a form, with registers set so the memory operand lands in the scratch area. */
export function randomTest(form: Form, rng: Rng): TestCase {
  const regs: number[] = [];
  for (let i = 0; i < 8; i++) regs.push(randomValue(rng));
  regs[4] = REGION + SCRATCH_BYTES + 64 + 4 * rng.below(33); // ESP: inside the stack area
  if (rng.chance(0.5)) regs[5] = REGION + SCRATCH_BYTES + 32 + 4 * rng.below(49); // EBP often a frame pointer
  const ops = form.operands.map((kind, i) => operandText(form, i, kind, regs, rng));
  let text = ops.length === 0 ? form.mnemonic : `${form.mnemonic} ${ops.join(', ')}`;
  // String instructions: with a REP prefix half the time (the table says which kind), and then a
  // small count, so the area can hold the walk.
  const rep = form.def.rep;
  if (rep && rng.chance(0.5)) {
    text = `${rep === 'rep' ? 'rep' : rng.pick(['repe', 'repne'])} ${text}`;
    regs[1] = rng.chance(0.2) ? 0 : rng.below(9);
  }
  return { form, text, regs, szapc: rng.u32() & (EFLAGS.SF | EFLAGS.ZF | EFLAGS.AF | EFLAGS.PF | EFLAGS.CF), of: rng.chance(0.5) ? 1 : 0, df: rng.chance(0.2) ? 1 : 0 };
}

function operandText(form: Form, i: number, kind: OperandKind, regs: number[], rng: Rng): string {
  const others = form.operands.filter((_, j) => j !== i);
  const width = WIDTH[kind];
  switch (kind) {
    case 'r8': case 'r16': case 'r32': return register(width!, rng.below(8));
    case 'al': case 'ax': case 'eax': case 'cl': return kind;
    case 'unity': return '1';
    case 'rm8': case 'rm16': case 'rm32':
      if (rng.chance(0.5)) return register(width!, rng.below(8));
      return (others.some((k) => GP.has(k) && WIDTH[k] === width) ? '' : `${SIZE_WORD[width!]} `) + memoryText(regs, rng, width! / 8);
    case 'm8': case 'm16': case 'm32': case 'm64': case 'mem':
      return (width !== undefined && !others.some((k) => GP.has(k)) ? `${SIZE_WORD[width]} ` : '') + memoryText(regs, rng, (width ?? 32) / 8);
    case 'moffs8': case 'moffs16': case 'moffs32':
      return `[${hex(REGION + rng.below(SCRATCH_BYTES - 4))}]`;
    case 'imm8':
      if (form.mnemonic === 'enter') return String(rng.chance(0.7) ? rng.below(4) : rng.below(32));
      return String(rng.chance(0.5) ? rng.below(34) : rng.below(256));
    case 'sbyte16': case 'sbyte32': {
      // Alone (PUSH), only a size keyword tells the word form from the doubleword one.
      const size = form.operands.length === 1 ? `${SIZE_WORD[width!]} ` : '';
      return `${size}${rng.below(256) - 128}`;
    }
    case 'imm16': {
      const v = form.mnemonic === 'enter' ? (rng.chance(0.7) ? rng.below(64) : rng.below(0x10000)) : randomValue(rng) & 0xffff;
      return `${form.mnemonic === 'enter' ? '' : 'strict word '}${hex(v)}`;
    }
    case 'imm32': return `strict dword ${hex(randomValue(rng))}`;
    default: throw new Error(`conformance: no operand text for ${kind} in ${form.source}`);
  }
}

/** `[base + index*scale + disp]` pointing into the scratch area (or the stack area with ESP as base). */
function memoryText(regs: number[], rng: Rng, bytes: number): string {
  const target = REGION + 16 + rng.below(SCRATCH_BYTES - 32 - bytes);
  let base = rng.below(8);
  if (base === 4 && rng.chance(0.7)) base = rng.below(4);
  const useIndex = rng.chance(0.4);
  let index = useIndex ? rng.below(8) : -1;
  if (index === 4 || index === base) index = -1;
  const scale = 1 << rng.below(4);
  let disp = rng.chance(0.5) ? 0 : rng.below(33) - 16;
  if (index >= 0) regs[index] = rng.below(16);
  const indexPart = index >= 0 ? regs[index]! * scale : 0;
  if (base === 4) {
    disp = target - regs[4]! - indexPart;
  } else {
    regs[base] = (target - indexPart - disp) >>> 0;
  }
  const parts = [REG32[base]!, ...(index >= 0 ? [`${REG32[index]}*${scale}`] : [])];
  const d = disp === 0 ? '' : disp > 0 ? `+${disp}` : `-${-disp}`;
  return `[${parts.join('+')}${d}]`;
}

// ---- Generation: candidates, fault check, the stream ----------------------------------------

export interface Stream {
  readonly seed: number;
  readonly tests: readonly TestCase[];
  /** Initial contents of the scratch and stack areas. */
  readonly region: Uint8Array;
  /** Candidates rejected because they faulted on the interpreter, by form source. */
  readonly rejected: ReadonlyMap<string, number>;
}

const CANDIDATES_PER_TEST = 6;

/** The masked EFLAGS of a snapshot: arithmetic flags the form defines (as LAHF/SETO show them). */
export function flagsMask(form: Form): { ah: number; al: number } {
  const undef = form.def.flags.undefined ?? '';
  const bit = (letter: string, value: number): number => (undef.includes(letter) ? 0 : value);
  return {
    ah: bit('S', 0x80) | bit('Z', 0x40) | bit('A', 0x10) | bit('P', 0x04) | bit('C', 0x01) | 0x02,
    al: bit('O', 1),
  };
}

/**
 * Generates `count` tests for a seed: forms in a shuffled round-robin over conformanceForms(),
 * each test the first of several random candidates that does not fault on the interpreter.
 */
export function generateStream(seed: number, count: number): Stream {
  const rng = new Rng(seed);
  const forms = conformanceForms();
  const region = new Uint8Array(REGION_BYTES);
  for (let i = 0; i < region.length; i++) region[i] = rng.below(256);

  // Candidates for every slot, assembled in one NASM run.
  const slots: TestCase[][] = [];
  let order: Form[] = [];
  for (let t = 0; t < count; t++) {
    if (order.length === 0) order = shuffle(forms, rng);
    const form = order.pop()!;
    const cands: TestCase[] = [];
    for (let k = 0; k < CANDIDATES_PER_TEST; k++) cands.push(randomTest(form, rng));
    slots.push(cands);
  }
  const lines = slots.flat().map((c) => c.text);
  const bytes = assembleLines(lines);

  const ctx = new FlatContext(REGION, REGION_BYTES);
  ctx.mem.set(region);
  const tests: TestCase[] = [];
  const rejected = new Map<string, number>();
  slots.forEach((cands, slot) => {
    for (let k = 0; k < cands.length; k++) {
      const cand = cands[k]!;
      const accepted = tryCandidate(ctx, cand, bytes[slot * CANDIDATES_PER_TEST + k]!);
      if (accepted) { tests.push(accepted); return; }
      rejected.set(cand.form.source, (rejected.get(cand.form.source) ?? 0) + 1);
    }
  });
  return { seed, tests, region, rejected };
}

const simDecoded = new Decoded();

/**
 * Runs a candidate on the interpreter with only the scratch and stack areas mapped; keeps its
 * effects and returns it (with the form NASM actually chose) when it does not fault, else undoes them.
 */
function tryCandidate(ctx: FlatContext, cand: TestCase, code: Uint8Array): TestCase | undefined {
  decode(code, 0, CODE, simDecoded);
  const form = FORMS[simDecoded.formId];
  if (!form || simDecoded.length !== code.length) throw new Error(`conformance: '${cand.text}' does not decode as one instruction`);
  const saved = ctx.mem.slice();
  const s = ctx.state;
  s.regs.set(cand.regs.map((v) => v | 0));
  ctx.flags.load(cand.szapc | (cand.of ? EFLAGS.OF : 0));
  s.flagsRest = cand.df ? 0x602 : 0x202;
  s.eip = CODE + code.length;
  try {
    handlers()[simDecoded.formId]!(ctx, simDecoded);
  } catch (e) {
    if (!(e instanceof CpuFault)) throw e;
    ctx.mem.set(saved);
    return undefined;
  }
  if (s.eip !== CODE + code.length) { ctx.mem.set(saved); return undefined; } // a REP that yielded
  return { ...cand, form };
}

function shuffle<T>(xs: readonly T[], rng: Rng): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) { const j = rng.below(i + 1); [a[i], a[j]] = [a[j]!, a[i]!]; }
  return a;
}

/** NASM's bytes for each line, in order. */
function assembleLines(lines: readonly string[]): Uint8Array[] {
  const out = runNasm(['bits 32', ...lines].join('\n') + '\n', { listing: true });
  if (!out) throw new Error('conformance: generating a stream needs nasm');
  const perLine = bytesPerLine(out.listing);
  return lines.map((_, i) => {
    const hexText = perLine.get(i + 2);
    if (!hexText) throw new Error(`conformance: no bytes for line ${i + 2}: ${lines[i]}`);
    return Uint8Array.from(hexText.match(/../g)!.map((h) => parseInt(h, 16)));
  });
}

// ---- The ELF program --------------------------------------------------------------------------

const REG_STORE = REG32.map((r, i) => `mov [${hex(SNAP + 4 * i)}], ${r}`);

/** NASM source of the stream's ELF: headers, the region's initial bytes, the tests, the fold routine. */
export function programSource(stream: Stream): string {
  const out: string[] = [
    `; RingLab CPU conformance stream, seed ${stream.seed}: ${stream.tests.length} tests.`,
    '; Generated by test/oracle/cpu-conformance.ts (scripts/cpu-goldens.mjs); do not edit.',
    'bits 32',
    `org ${hex(ORG)}`,
    'ehdr: db 0x7F, "ELF", 1, 1, 1, 0',
    '  times 8 db 0',
    '  dw 2, 3',
    '  dd 1, _start, phdr - $$, 0, 0',
    '  dw 52, 32, 1, 0, 0, 0',
    'phdr: dd 1, 0, $$, $$, file_end - $$, mem_end - $$, 7, 0x1000',
    `times ${REGION - ORG} - ($ - $$) db 0`,
  ];
  for (let i = 0; i < stream.region.length; i += 16) out.push(`  db ${[...stream.region.subarray(i, i + 16)].map((b) => hex(b)).join(', ')}`);
  out.push('  times 9 dd 0', `times ${CODE - ORG} - ($ - $$) db 0`, '_start:');
  stream.tests.forEach((t, k) => {
    const m = flagsMask(t.form);
    out.push(
      `; test ${k}: ${t.form.source}`,
      '  mov al, 0x7f', `  add al, ${t.of}`, `  mov ah, ${hex(t.szapc | 2)}`, '  sahf', t.df ? '  std' : '  cld',
      ...t.regs.map((v, i) => `  mov ${REG32[i]}, ${hex(v)}`),
      `  ${t.text}`,
      ...REG_STORE.map((x) => `  ${x}`),
      '  lahf', '  seto al', `  and ax, ${hex((m.ah << 8) | m.al)}`, `  mov [${hex(SNAP + 32)}], ax`,
      '  mov esp, priv_top', '  call fold',
    );
  });
  out.push(
    '  mov eax, 1', '  xor ebx, ebx', '  int 0x80',
    '; fold: writes the snapshot and a hash of the scratch and stack areas to stdout (per test,',
    '; so a stream that crashes natively still shows how far it got)',
    'fold: mov edi, out_buf', `  mov esi, ${hex(SNAP)}`, '  mov ecx, 9',
    '.copy: mov eax, [esi]', '  mov [edi], eax', '  add esi, 4', '  add edi, 4', '  dec ecx', '  jnz .copy',
    `  mov esi, ${hex(REGION)}`, `  mov ecx, ${REGION_BYTES / 4}`, '  mov eax, 0x811c9dc5',
    '.hash: imul eax, eax, 0x01000193', '  xor eax, [esi]', '  add esi, 4', '  dec ecx', '  jnz .hash',
    '  mov [edi], eax',
    `  mov eax, 4`, '  mov ebx, 1', '  mov ecx, out_buf', `  mov edx, ${SNAPSHOT_BYTES}`, '  int 0x80', '  ret',
    'align 16, db 0',
    'file_end:',
    'priv_top equ file_end + 256',
    'out_buf equ priv_top',
    `mem_end equ out_buf + ${SNAPSHOT_BYTES}`,
  );
  return out.join('\n') + '\n';
}

/** Assembles the stream's program into ELF bytes. */
export function buildElf(source: string): Uint8Array {
  const out = runNasm(source);
  if (!out) throw new Error('conformance: building a stream needs nasm');
  return out.bytes;
}

// ---- Running it -------------------------------------------------------------------------------

export interface RunOutput {
  readonly stdout: Uint8Array;
  readonly exitCode: number | null;
  readonly error?: string;
}

let runs32Bit: boolean | undefined;

/**
 * Whether this machine's kernel runs 32-bit programs (checked once, with a program that exits with
 * 42). A kernel may be built or booted without them (Linux's ia32_emulation=off, seen here): it
 * refuses the ELF, and the C library then hands the file to /bin/sh, so the run fails with no
 * error of its own, only a shell's status.
 */
export function hostRuns32Bit(): boolean {
  if (runs32Bit === undefined) {
    const source = [
      'bits 32', `org ${hex(ORG)}`,
      'ehdr: db 0x7F, "ELF", 1, 1, 1, 0', '  times 8 db 0', '  dw 2, 3', '  dd 1, _start, phdr - $$, 0, 0', '  dw 52, 32, 1, 0, 0, 0',
      'phdr: dd 1, 0, $$, $$, file_end - $$, file_end - $$, 5, 0x1000',
      '_start: mov eax, 1', '  mov ebx, 42', '  int 0x80', 'file_end:',
    ].join('\n');
    const elf = assemble(source);
    if (!elf.ok) throw new Error(`conformance: the 32-bit probe does not assemble: ${elf.diagnostics[0]?.message}`);
    const run = runHost(elf.bytes);
    runs32Bit = run.error === undefined && run.exitCode === 42;
  }
  return runs32Bit;
}

/** Runs the ELF as a host process (natively, or under an emulator such as qemu-i386). */
export function runHost(elf: Uint8Array, emulator?: string): RunOutput {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-conf-'));
  try {
    const file = path.join(dir, 'stream.elf');
    fs.writeFileSync(file, elf, { mode: 0o755 });
    const r = emulator ? spawnSync(emulator, [file], { maxBuffer: 64 << 20 }) : spawnSync(file, [], { maxBuffer: 64 << 20 });
    return {
      stdout: new Uint8Array(r.stdout ?? []), exitCode: r.status,
      ...(r.error || r.signal ? { error: r.error?.message ?? `signal ${r.signal}` } : {}),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the ELF on RingLab's interpreter, with Linux's write(2) and exit(2) done by the harness. */
export function runInterpreter(elf: Uint8Array, maxInstructions = 50_000_000): RunOutput & { instructions: number } {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const memSize = view.getUint32(52 + 20, true);
  const ctx = new FlatContext(ORG, (memSize + 0xfff) & ~0xfff);
  ctx.load(ORG, elf);
  ctx.state.eip = view.getUint32(24, true);
  const chunks: number[] = [];
  const d = new Decoded();
  for (let n = 0; n < maxInstructions; n++) {
    const eip = ctx.state.eip;
    decode(ctx.mem, eip - ORG, eip, d, ctx.mem.length);
    if (FORMS[d.formId]?.mnemonic === 'int' && d.imm === 0x80) {
      const r = ctx.state.regs;
      if (r[0] === 1) return { stdout: Uint8Array.from(chunks), exitCode: r[3]!, instructions: n };
      if (r[0] === 4) {
        for (let i = 0; i < r[2]!; i++) chunks.push(ctx.read8(3, (r[1]! + i) >>> 0));
        r[0] = r[2]!;
      }
      ctx.state.eip = eip + d.length;
      continue;
    }
    const res = step(ctx, d);
    if (res.fault) return { stdout: Uint8Array.from(chunks), exitCode: null, error: `fault ${res.fault.vector} at ${hex(eip)}`, instructions: n };
  }
  return { stdout: Uint8Array.from(chunks), exitCode: null, error: 'instruction limit', instructions: maxInstructions };
}

// ---- Comparing --------------------------------------------------------------------------------

const FIELDS = [...REG32, 'flags', 'memory'];

/** FNV-1a of one test's snapshot: what the golden files keep per test. */
export function snapshotHash(out: Uint8Array, test: number): string {
  let h = 0x811c9dc5;
  for (let i = test * SNAPSHOT_BYTES; i < (test + 1) * SNAPSHOT_BYTES; i++) h = Math.imul(h ^ out[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The snapshot of test `test` as named hex fields. */
export function describeSnapshot(out: Uint8Array, test: number): string {
  if ((test + 1) * SNAPSHOT_BYTES > out.length) return '(no snapshot: the run ended before this test)';
  const v = new DataView(out.buffer, out.byteOffset + test * SNAPSHOT_BYTES, SNAPSHOT_BYTES);
  return FIELDS.map((f, i) => `${f}=${v.getUint32(i * 4, true).toString(16)}`).join(' ');
}

/** Differences between two runs' snapshots: one line per differing test (at most `limit`). */
export function compareSnapshots(a: Uint8Array, b: Uint8Array, texts: readonly string[], limit = 10): string[] {
  const diffs: string[] = [];
  const n = Math.max(a.length, b.length) / SNAPSHOT_BYTES;
  for (let t = 0; t < n && diffs.length < limit; t++) {
    if (snapshotHash(a, t) === snapshotHash(b, t) && (t + 1) * SNAPSHOT_BYTES <= Math.min(a.length, b.length)) continue;
    diffs.push(`test ${t} '${texts[t] ?? '?'}':\n    ${describeSnapshot(a, t)}\n    ${describeSnapshot(b, t)}`);
  }
  return diffs;
}

// ---- Golden files -----------------------------------------------------------------------------

/** The committed seeds and stream length (scripts/cpu-goldens.mjs writes their goldens). */
export const GOLDEN_SEEDS = [1, 2, 3, 4] as const;
export const GOLDEN_TESTS = 2000;
export const GOLDEN_DIR = path.join(__dirname, '..', '..', '..', 'test', 'oracle', 'golden');

export interface Golden {
  readonly seed: number;
  /** sha256 of the stream's NASM source: a regenerated stream must be the same. */
  readonly sourceSha256: string;
  /** The processor the hashes come from. */
  readonly host: string;
  /** Whether qemu-i386 gave the same snapshots, and where it did not (for the record). */
  readonly qemu: { readonly agrees: boolean; readonly mismatches: readonly string[] };
  /** Per test: the snapshot hash (snapshotHash of the native output) and the instruction. */
  readonly tests: readonly string[];
}

export function goldenPaths(seed: number): { json: string; elf: string } {
  const base = path.join(GOLDEN_DIR, `cpu-conformance-seed${seed}`);
  return { json: `${base}.json`, elf: `${base}.elf.gz` };
}

/** The interpreter's snapshot hashes against a golden: descriptions of the differing tests. */
export function compareWithGolden(golden: Golden, out: Uint8Array, limit = 10): string[] {
  const diffs: string[] = [];
  if (out.length !== golden.tests.length * SNAPSHOT_BYTES) {
    diffs.push(`the interpreter wrote ${out.length / SNAPSHOT_BYTES} snapshots, the hardware ${golden.tests.length}`);
  }
  golden.tests.forEach((line, t) => {
    const want = line.slice(0, 8);
    if (diffs.length < limit && (t + 1) * SNAPSHOT_BYTES <= out.length && snapshotHash(out, t) !== want) {
      diffs.push(`test ${t} '${line.slice(9)}': interpreter ${describeSnapshot(out, t)} (hash ${snapshotHash(out, t)}, hardware ${want})`);
    }
  });
  return diffs;
}
