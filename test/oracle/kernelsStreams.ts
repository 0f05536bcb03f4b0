// The CPU conformance streams (cpu-conformance.ts) on the whole machine: each committed ELF runs as
// a multiboot kernel (kernels/stream.gasm with the ELF appended) on RingLab's real Cpu and under
// qemu-system-i386 -kernel, printing the per-test snapshot hash over COM1. Run as a script
// (`node out/test/oracle/kernelsStreams.js`) it rewrites QEMU's transcripts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GOLDEN_SEEDS, goldenPaths as streamGoldenPaths, type Golden } from './cpu-conformance';
import { KERNEL_GOLDEN_DIR, nasmKernel, ringlabKernel, runOnQemu, runOnRinglab, type KernelSpec, type Transcript } from './kernels';

export const STREAM_SPEC: KernelSpec = { name: 'stream', qemuTimeoutMs: 120_000 };

export function loadStream(seed: number): { golden: Golden; elf: Uint8Array } {
  const p = streamGoldenPaths(seed);
  return { golden: JSON.parse(fs.readFileSync(p.json, 'utf8')) as Golden, elf: new Uint8Array(gunzipSync(fs.readFileSync(p.elf))) };
}

/** The multiboot kernel for a stream: the loader kernel (built by `shim`) with the ELF appended. */
export function streamKernel(shim: Uint8Array, elf: Uint8Array): Uint8Array {
  const out = new Uint8Array(shim.length + elf.length);
  out.set(shim);
  out.set(elf, shim.length);
  return out;
}

export function ringlabStreamShim(): Uint8Array { return ringlabKernel('stream'); }
export function nasmStreamShim(): Uint8Array | undefined { return nasmKernel('stream'); }

/** The hardware's hashes, one line each, then the exit line the shim prints. */
export function hardwareTranscript(golden: Golden): string {
  return golden.tests.map((t) => `${t.slice(0, 8)}\n`).join('') + 'exit 0\n';
}

export function runStreamOnRinglab(seed: number, shim: Uint8Array): Transcript {
  return runOnRinglab(`stream-seed${seed}`, streamKernel(shim, loadStream(seed).elf));
}

export function runStreamOnQemu(seed: number, shim: Uint8Array): Transcript | undefined {
  return runOnQemu(STREAM_SPEC, streamKernel(shim, loadStream(seed).elf));
}

export function qemuStreamGoldenPath(seed: number): string {
  return path.join(KERNEL_GOLDEN_DIR, `stream-seed${seed}.qemu.txt`);
}

/** Index of the first line where two transcripts differ, or -1. */
export function firstDifference(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** The test index of qemu-i386's first mismatch in a stream golden, or -1. */
export function qemuUserFirstMismatch(golden: Golden): number {
  const m = /^test (\d+) /.exec(golden.qemu.mismatches[0] ?? '');
  return m ? Number(m[1]) : -1;
}

if (require.main === module) {
  const shim = nasmStreamShim();
  if (!shim) throw new Error('needs nasm');
  for (const seed of GOLDEN_SEEDS) {
    const q = runStreamOnQemu(seed, shim);
    if (!q) throw new Error('needs qemu-system-i386');
    fs.writeFileSync(qemuStreamGoldenPath(seed), q.console);
    const { golden } = loadStream(seed);
    const hw = hardwareTranscript(golden);
    const ours = runStreamOnRinglab(seed, ringlabStreamShim());
    console.log(`seed ${seed}: QEMU ${q.end}, first difference from the hardware at line ${firstDifference(hw, q.console)} ` +
      `(qemu-i386: test ${qemuUserFirstMismatch(golden)}); RingLab ${ours.end}, first difference ${firstDifference(hw, ours.console)}`);
  }
}
