// The assembler against NASM on a 100,000-line file: whole processes, one warm-up each then
// RUNS interleaved runs, outputs compared byte for byte. Target: ringlab asm takes no longer than
// nasm (ratio <= 1.0). The machine is shared, so wall clock swings with the load: the median of
// the CPU time each child used (user + sys) is printed and compared beside the wall-clock median.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateAsmSource } from './asmSource';
import { formatMs, type Benchmark } from './benchmark';
import { timeWithCpu, type CpuTiming } from './childCpu';

const LINES = 100_000;
const RUNS = 9;

export const asmVsNasm: Benchmark = {
  name: `asm: ringlab asm vs nasm -f bin, ${LINES.toLocaleString('en')} lines, median of ${RUNS}`,
  run() {
    const root = path.resolve(__dirname, '..', '..');
    const ringlab = path.join(root, 'dist', 'ringlab.js');
    if (!fs.existsSync(ringlab)) throw new Error('dist/ringlab.js is missing: npm run build');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-bench-'));
    try {
      const source = path.join(dir, 'bench.gasm');
      fs.writeFileSync(source, generateAsmSource(LINES));
      const ours = path.join(dir, 'ringlab.bin');
      const theirs = path.join(dir, 'nasm.bin');
      let nasm: CpuTiming;
      let rl: CpuTiming;
      try {
        [nasm, rl] = timeWithCpu([
          { command: 'nasm', args: ['-f', 'bin', source, '-o', theirs] },
          { command: process.execPath, args: [ringlab, 'asm', source, '-o', ours] },
        ], RUNS) as [CpuTiming, CpuTiming];
      } catch (e) {
        const kept = path.join(os.tmpdir(), 'ringlab-bench-failed.gasm');
        fs.copyFileSync(source, kept);
        console.log(`  failed: ${e instanceof Error ? e.message : e}\n  (source kept in ${kept})`);
        process.exitCode = 1;
        return;
      }
      const a = fs.readFileSync(ours);
      const b = fs.readFileSync(theirs);
      const same = a.equals(b);
      const cpu = nasm.cpuMedianMs !== undefined && rl.cpuMedianMs !== undefined;
      const line = (name: string, t: CpuTiming): string =>
        `  ${name.padEnd(12)} wall ${formatMs(t.medianMs)}` + (t.cpuMedianMs !== undefined ? `   cpu ${formatMs(t.cpuMedianMs)}` : '') +
        `   runs (wall${t.cpuMs ? '/cpu' : ''}) ${t.runsMs.map((m, i) => m.toFixed(0) + (t.cpuMs ? `/${t.cpuMs[i]!.toFixed(0)}` : '')).join(' ')}`;
      console.log(line('nasm', nasm));
      console.log(line('ringlab asm', rl));
      console.log(`  ratio ringlab/nasm wall ${(rl.medianMs / nasm.medianMs).toFixed(2)}` +
        (cpu ? `, cpu ${(rl.cpuMedianMs! / nasm.cpuMedianMs!).toFixed(2)}` : ' (cpu time not available on this system)') + ' (target <= 1.00)');
      console.log(`  output: ${same ? `identical, ${a.length} bytes` : `DIFFERENT (ringlab ${a.length} bytes, nasm ${b.length} bytes, first difference at ${firstDifference(a, b)})`}`);
      if (!same) {
        process.exitCode = 1;
        fs.copyFileSync(source, path.join(os.tmpdir(), 'ringlab-bench-failed.gasm'));
        console.log(`  (source kept in ${path.join(os.tmpdir(), 'ringlab-bench-failed.gasm')})`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

function firstDifference(a: Buffer, b: Buffer): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `offset 0x${i.toString(16)}`;
  return `offset 0x${n.toString(16)} (one is a prefix of the other)`;
}
