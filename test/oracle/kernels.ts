// System conformance kernels (test/oracle/kernels/*.gasm): building them with NASM (for QEMU) and
// with RingLab's assembler (for RingLab), running them under `qemu-system-i386 -kernel` and under
// core/run, and the golden transcripts QEMU printed. Run as a script
// (`node out/test/oracle/kernels.js [name...]`) it rebuilds the kernels and rewrites the goldens.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble } from '../../core/asm';
import { runGuest } from '../../core/run';
import { runNasm } from '../support/nasm';

const REPO = path.join(__dirname, '..', '..', '..');
export const KERNEL_DIR = path.join(REPO, 'test', 'oracle', 'kernels');
export const KERNEL_GOLDEN_DIR = path.join(REPO, 'test', 'oracle', 'golden', 'kernels');

/**
 * How a run ended, in terms both machines share. QEMU with -no-reboot turns a triple fault's
 * reset into a normal shutdown (status 0, which the exit port can never give: its statuses are
 * odd), and a `cli; hlt` just waits forever; RingLab reports those as `triple-fault` and `halt`.
 */
export type KernelEnd = `exit ${number}` | 'reset' | 'hang';

export interface Transcript { readonly console: string; readonly end: KernelEnd }

/** A line QEMU prints that RingLab must print differently (or not at all), and why. */
export interface KnownDifference {
  /** The exact line in QEMU's transcript. */
  readonly qemu: string;
  /** What RingLab prints instead, or null when it has no such line. */
  readonly ringlab: string | null;
  readonly reason: string;
}

export interface KernelSpec {
  readonly name: string;
  /** QEMU options beyond the common ones, to make its machine match RingLab's where it can. */
  readonly qemuArgs?: readonly string[];
  /** How long QEMU may run; a kernel expected to hang is killed after it. */
  readonly qemuTimeoutMs?: number;
  readonly knownDifferences?: readonly KnownDifference[];
  /**
   * Something RingLab does not emulate yet, so it stops with `unsupported` where QEMU goes on:
   * the test then requires that stop and QEMU's transcript up to it (and fails once RingLab
   * runs the kernel through, so the entry is removed with the limitation).
   */
  readonly ringlabLimitation?: string;
}

/** QEMU TCG skips the segment-limit and null-selector checks of data accesses for speed. */
const QEMU_NO_SEGMENT_CHECKS = 'QEMU TCG does not check segment limits or null selectors on data and stack accesses ' +
  '(it only checks them when a selector is loaded); hardware does (SDM vol. 3, 5.3 and 3.4.2), and so does RingLab';

const PIIX3 = "QEMU's pc machine always has the PIIX3 south bridge at 00:01 (ISA bridge, IDE, power management); " +
  'RingLab has no PIIX3 (DESIGN.md lists the 440BX and the 21140 only), so these functions are absent';

export const KERNELS: readonly KernelSpec[] = [
  {
    name: 'exceptions',
    knownDifferences: [
      { qemu: 'mov ds, null then read: no exception', ringlab: 'mov ds, null then read: vector 13 error 0x00000000', reason: QEMU_NO_SEGMENT_CHECKS },
      { qemu: '#GP(0) read past a 4 KiB data limit: no exception', ringlab: '#GP(0) read past a 4 KiB data limit: vector 13 error 0x00000000', reason: QEMU_NO_SEGMENT_CHECKS },
      { qemu: '#SS(0) read past a 4 KiB stack limit: no exception', ringlab: '#SS(0) read past a 4 KiB stack limit: vector 12 error 0x00000000', reason: QEMU_NO_SEGMENT_CHECKS },
    ],
  },
  { name: 'paging' },
  {
    name: 'rings',
    knownDifferences: [
      { qemu: 'ring 3 read through the null ds: no exception', ringlab: 'ring 3 read through the null ds: vector 13 error 0x00000000', reason: QEMU_NO_SEGMENT_CHECKS },
    ],
  },
  { name: 'callgate' },
  { name: 'timer' },
  // QEMU never ends `cli; hlt`: it is stopped after this long and counted as `hang`.
  { name: 'halt', qemuTimeoutMs: 3_000 },
  { name: 'triplefault' },
  { name: 'cpuid' },
  {
    name: 'pci',
    // Closest QEMU gets to RingLab's bus: no VGA, no default e1000, a DEC "tulip" at 00:03.0.
    qemuArgs: ['-vga', 'none', '-net', 'none', '-device', 'tulip,addr=03.0'],
    knownDifferences: [
      { qemu: 'pci 00:00.0 8086:1237 class 060000 header 00', ringlab: 'pci 00:00.0 8086:7190 class 060000 header 00',
        reason: "QEMU's pc machine has a 440FX host bridge (8086:1237); RingLab emulates a 440BX (8086:7190), as DESIGN.md fixes" },
      { qemu: 'pci 00:01.0 8086:7000 class 060100 header 80', ringlab: null, reason: PIIX3 },
      { qemu: 'pci 00:01.1 8086:7010 class 010180 header 00', ringlab: null, reason: PIIX3 },
      { qemu: 'pci 00:01.3 8086:7113 class 068000 header 00', ringlab: null, reason: PIIX3 },
      { qemu: 'pci 00:03.0 1011:0019 class 020000 header 00', ringlab: 'pci 00:03.0 1011:0009 class 020000 header 00',
        reason: "QEMU has no DEC 21140; its tulip device is the 21143 (1011:0019) of the same family and class; RingLab's is the 21140 (1011:0009)" },
    ],
  },
];

/** The common QEMU command line (the issue's), plus RingLab's RAM size so the memory map agrees. */
export function qemuCommand(spec: KernelSpec, kernelPath: string): string[] {
  return ['-kernel', kernelPath, '-serial', 'stdio', '-display', 'none', '-no-reboot',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=4', '-m', '32', ...(spec.qemuArgs ?? [])];
}

export function kernelSourcePath(name: string): string { return path.join(KERNEL_DIR, `${name}.gasm`); }

/** The kernel built by NASM (undefined without NASM). */
export function nasmKernel(name: string): Uint8Array | undefined {
  const source = fs.readFileSync(kernelSourcePath(name), 'utf8');
  return runNasm(source, { args: ['-i', KERNEL_DIR + path.sep] })?.bytes;
}

/** The kernel built by RingLab's assembler, with %include read from the kernels' folder. */
export function ringlabKernel(name: string): Uint8Array {
  const file = kernelSourcePath(name);
  const asm = assemble(fs.readFileSync(file, 'utf8'), {
    file,
    files: {
      read: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
      resolve: (from, name2) => path.resolve(path.dirname(from), name2),
    },
  });
  const errors = asm.diagnostics.filter((d) => d.severity === 'error');
  if (!asm.ok || errors.length > 0) {
    throw new Error(`${name}: RingLab's assembler failed:\n${errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n')}`);
  }
  return asm.bytes;
}

/** Generous: the kernels run a few hundred thousand instructions (the timer ones wait on virtual time). */
export const RINGLAB_MAX_INSTRUCTIONS = 200_000_000;

/** Runs a kernel binary on RingLab (core/run, as `ringlab run` does). */
export function runOnRinglab(name: string, bytes: Uint8Array): Transcript & { reason: string; detail?: string } {
  const outcome = runGuest({ path: `${name}.bin`, bytes }, { maxInstructions: RINGLAB_MAX_INSTRUCTIONS });
  const exit = outcome.exit;
  const detail = exit.detail !== undefined ? { detail: exit.detail } : {};
  if (!outcome.booted) return { console: '', end: 'hang', reason: exit.reason, ...detail };
  const console = outcome.run.console.text;
  // Anything else (unsupported, max-instructions, internal-error) is no state QEMU can end in:
  // `hang` with the reason beside it, so a comparison shows both.
  const end: KernelEnd = exit.reason === 'exit' ? `exit ${exit.code}` : exit.reason === 'triple-fault' ? 'reset' : 'hang';
  return { console, end, reason: exit.reason, ...detail };
}

let qemuFound: boolean | undefined;
export function qemuAvailable(): boolean {
  if (qemuFound === undefined) qemuFound = spawnSync('qemu-system-i386', ['--version']).status === 0;
  return qemuFound;
}

/** Runs a kernel binary under qemu-system-i386; undefined when QEMU is not installed. */
export function runOnQemu(spec: KernelSpec, bytes: Uint8Array): (Transcript & { stderr: string }) | undefined {
  if (!qemuAvailable()) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-kernel-'));
  try {
    const file = path.join(dir, `${spec.name}.bin`);
    fs.writeFileSync(file, bytes);
    const r = spawnSync('qemu-system-i386', qemuCommand(spec, file), {
      encoding: 'latin1', timeout: spec.qemuTimeoutMs ?? 30_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
    const end: KernelEnd = r.signal !== null || r.status === null ? 'hang' : r.status === 0 ? 'reset' : `exit ${r.status}`;
    return { console: r.stdout, end, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- goldens --------------------------------------------------------------------------------

export function goldenPaths(name: string): { transcript: string; end: string } {
  return { transcript: path.join(KERNEL_GOLDEN_DIR, `${name}.txt`), end: path.join(KERNEL_GOLDEN_DIR, `${name}.exit`) };
}

export function readGolden(name: string): Transcript {
  const p = goldenPaths(name);
  return { console: fs.readFileSync(p.transcript, 'latin1'), end: fs.readFileSync(p.end, 'utf8').trim() as KernelEnd };
}

export function writeGolden(name: string, t: Transcript): void {
  fs.mkdirSync(KERNEL_GOLDEN_DIR, { recursive: true });
  const p = goldenPaths(name);
  fs.writeFileSync(p.transcript, t.console, 'latin1');
  fs.writeFileSync(p.end, `${t.end}\n`);
}

/**
 * QEMU's transcript with the known differences applied: what RingLab must print. Throws when a
 * known difference no longer occurs in QEMU's transcript (the list would then hide nothing, but
 * it would be stale).
 */
export function expectedForRinglab(spec: KernelSpec, qemu: string): string {
  const lines = qemu.split('\n');
  for (const d of spec.knownDifferences ?? []) {
    const i = lines.indexOf(d.qemu);
    if (i < 0) throw new Error(`${spec.name}: the known difference '${d.qemu}' is not in QEMU's transcript any more`);
    if (d.ringlab === null) lines.splice(i, 1); else lines[i] = d.ringlab;
  }
  return lines.join('\n');
}

// ---- script: rewrite the goldens --------------------------------------------------------------

if (require.main === module) {
  const wanted = process.argv.slice(2);
  let failed = false;
  for (const spec of KERNELS) {
    if (wanted.length > 0 && !wanted.includes(spec.name)) continue;
    const bytes = nasmKernel(spec.name);
    if (!bytes) throw new Error('regenerating the kernel goldens needs nasm');
    const qemu = runOnQemu(spec, bytes);
    if (!qemu) throw new Error('regenerating the kernel goldens needs qemu-system-i386');
    writeGolden(spec.name, qemu);
    const ours = runOnRinglab(spec.name, ringlabKernel(spec.name));
    let expected: string;
    try { expected = expectedForRinglab(spec, qemu.console); } catch (e) { expected = `(${String(e)})`; }
    const same = ours.console === expected && ours.end === qemu.end;
    if (!same && !spec.ringlabLimitation) failed = true;
    console.log(`${spec.name}: QEMU ${qemu.end}, ${qemu.console.split('\n').length - 1} lines; RingLab ${ours.end} (${ours.reason}${ours.detail ? `: ${ours.detail}` : ''}): ${same ? 'same' : spec.ringlabLimitation ? 'different (known limitation)' : 'DIFFERENT'}`);
    if (!same) {
      const a = expected.split('\n');
      const b = ours.console.split('\n');
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i] !== b[i]) console.log(`  line ${i + 1}:\n    want ${JSON.stringify(a[i])}\n    got  ${JSON.stringify(b[i])}`);
      }
    }
  }
  process.exit(failed ? 1 : 0);
}
