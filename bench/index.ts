// `npm run bench`: runs every benchmark in turn and prints its figures. Add a benchmark by
// writing bench/NAME.ts that exports a Benchmark and listing it here.

import type { Benchmark } from './benchmark';
import { asmVsNasm } from './asmVsNasm';
import { cpuMips } from './cpuMips';
import { nanobench } from './nanobench';
import { lspBench } from './lsp';
import { dapBench } from './dap';

const BENCHMARKS: readonly Benchmark[] = [asmVsNasm, cpuMips, nanobench, lspBench, dapBench];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const b of BENCHMARKS) {
    if (only.length > 0 && !only.some((o) => b.name.includes(o))) continue;
    console.log(b.name);
    try {
      await b.run();
    } catch (e) {
      console.log(`  failed: ${e instanceof Error ? e.message : e}`);
      process.exitCode = 1;
    }
  }
}

void main();
