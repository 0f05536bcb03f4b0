// The guest programs of examples/ and QEMU as their oracle: which examples there are, what exit
// status each ends with, how to run one under `qemu-system-i386 -kernel` (assembled by NASM with
// -i examples/ for its %include files), and where its committed QEMU transcript lives.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const GOLDEN_DIR = path.join(ROOT, 'test', 'oracle', 'golden', 'examples');
export const QEMU_SYSTEM = 'qemu-system-i386';
/** Enough for every example: each ends itself well before (the kernel needs about 3 M). */
export const EXAMPLE_MAX_INSTRUCTIONS = 200_000_000;

/** Every example guest (the .gasm files directly in examples/; lib/ holds their includes),
 *  except the PV ports, which call the hypervisor and so cannot boot on QEMU. */
export function exampleFiles(): string[] {
  return allExamples().filter((f) => !isPvPort(f));
}

/** The PV ports (`NAME-pv.gasm`): each must print what its native twin `NAME.gasm` prints. */
export function pvExampleFiles(): string[] {
  return allExamples().filter(isPvPort);
}

/** The native example a PV port was made from. */
export function nativeTwin(pvPort: string): string {
  return pvPort.replace(/-pv\.gasm$/, '.gasm');
}

function allExamples(): string[] {
  return fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.gasm')).sort().map((f) => path.join(EXAMPLES_DIR, f));
}

function isPvPort(file: string): boolean { return file.endsWith('-pv.gasm'); }

export function goldenPath(example: string): string {
  return path.join(GOLDEN_DIR, path.basename(example, '.gasm') + '.txt');
}

/** The exit status each example ends with on QEMU (isa-debug-exit) and under `ringlab run`. */
export const EXPECTED_STATUS: Readonly<Record<string, number>> = {
  'exceptions.gasm': 1,
  'hello.gasm': 1,
  'hw-exits.gasm': 1,
  'kernel.gasm': 1,
  'lecture-bt.gasm': 1,
  'selfmod.gasm': 1,
  'trap-holes.gasm': 1,
};

export interface QemuRun { readonly console: Buffer; readonly status: number | null; readonly error?: string }

/** Assembles `example` with NASM and boots it on qemu-system-i386 as DESIGN's oracle command does. */
export function runOnQemu(example: string, timeoutMs = 30_000): QemuRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-example-'));
  try {
    const bin = path.join(dir, 'kernel.bin');
    const nasm = spawnSync('nasm', ['-f', 'bin', '-i', EXAMPLES_DIR + path.sep, example, '-o', bin], { encoding: 'utf8' });
    if (nasm.error || nasm.status !== 0) return { console: Buffer.alloc(0), status: null, error: `nasm: ${nasm.error?.message ?? nasm.stderr}` };
    return qemuKernel(bin, timeoutMs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `qemu-system-i386 -kernel BIN -serial stdio -display none -device isa-debug-exit,...`. */
export function qemuKernel(bin: string, timeoutMs = 30_000): QemuRun {
  const r = spawnSync(QEMU_SYSTEM, [
    '-kernel', bin, '-serial', 'stdio', '-display', 'none', '-monitor', 'none',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
  ], { timeout: timeoutMs, maxBuffer: 64 << 20 });
  const error = r.error ? r.error.message : r.signal ? `killed by ${r.signal} (timeout ${timeoutMs} ms?)` : undefined;
  return { console: r.stdout ?? Buffer.alloc(0), status: r.status, ...(error ? { error } : {}) };
}
