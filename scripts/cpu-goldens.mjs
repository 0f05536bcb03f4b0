#!/usr/bin/env node
// Regenerates the CPU conformance goldens (test/oracle/golden/cpu-conformance-seed*.{json,elf.gz}):
// for each committed seed, builds the stream with NASM, runs it natively (this must be an x86
// host that runs 32-bit Linux ELFs), under qemu-i386 for the record, and on RingLab's interpreter,
// and writes the hardware's snapshot hashes. Run `npm run compile-tests` first.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const c = require('../out/test/oracle/cpu-conformance.js');

if (!c.hostRuns32Bit()) {
  console.error('this kernel runs no 32-bit programs (ia32_emulation off): the goldens need one that does');
  process.exit(1);
}
const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown';
let failed = false;
for (const seed of c.GOLDEN_SEEDS) {
  const stream = c.generateStream(seed, c.GOLDEN_TESTS);
  const source = c.programSource(stream);
  const elf = c.buildElf(source);
  const native = c.runHost(elf);
  if (native.error || native.stdout.length !== stream.tests.length * c.SNAPSHOT_BYTES) {
    console.error(`seed ${seed}: the native run failed (${native.error ?? 'short output'}) after ${native.stdout.length / c.SNAPSHOT_BYTES} tests`);
    failed = true;
    continue;
  }
  const texts = stream.tests.map((t) => t.text);
  const qemu = c.runHost(elf, 'qemu-i386');
  const qemuDiffs = qemu.error && qemu.stdout.length === 0 ? [`qemu-i386 did not run: ${qemu.error}`] : c.compareSnapshots(native.stdout, qemu.stdout, texts, 20);
  const interp = c.runInterpreter(elf);
  const interpDiffs = c.compareSnapshots(native.stdout, interp.stdout, texts, 20);
  const golden = {
    seed,
    sourceSha256: createHash('sha256').update(source).digest('hex'),
    host: cpuModel,
    qemu: { agrees: qemuDiffs.length === 0, mismatches: qemuDiffs },
    tests: stream.tests.map((t, i) => `${c.snapshotHash(native.stdout, i)} ${t.text}`),
  };
  const paths = c.goldenPaths(seed);
  writeFileSync(paths.json, JSON.stringify(golden, null, 1) + '\n');
  writeFileSync(paths.elf, gzipSync(elf, { level: 9 }));
  console.log(`seed ${seed}: ${stream.tests.length} tests, ${interp.instructions} instructions interpreted; ` +
    `interpreter ${interpDiffs.length === 0 ? 'agrees' : `differs in ${interpDiffs.length}+ tests`}; qemu-i386 ${qemuDiffs.length === 0 ? 'agrees' : `differs in ${qemuDiffs.length} tests`}`);
  for (const d of interpDiffs) console.log(`  interpreter: ${d}`);
}
process.exit(failed ? 1 : 0);
