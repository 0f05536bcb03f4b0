// What a benchmark is and how one is timed. Each benchmark lives in its own file and is listed
// in bench/index.ts; `npm run bench` runs them all and prints, it never fails on a timing.

import { spawnSync } from 'node:child_process';

export interface Benchmark {
  readonly name: string;
  /** Prints its figures; throws only when it cannot run or its outputs are wrong. */
  run(): Promise<void> | void;
}

export interface ProcessTiming {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Times whole processes, wall clock, `runs` times each and interleaved (A B A B ...) so a change
 * in the machine's load hits both alike; returns the median of each. Throws if one fails.
 */
export function timeProcesses(specs: readonly ProcessSpec[], runs = 5): ProcessTiming[] {
  const times = specs.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    specs.forEach((spec, k) => {
      const start = process.hrtime.bigint();
      const r = spawnSync(spec.command, spec.args, { encoding: 'utf8', maxBuffer: 64 << 20 });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.error) throw new Error(`${spec.command}: ${r.error.message}`);
      if (r.status !== 0) {
        throw new Error(`${spec.command} ${spec.args.join(' ')} exited ${r.status}:\n${(r.stderr || '').split('\n').slice(0, 10).join('\n')}`);
      }
      times[k]!.push(ms);
    });
  }
  return times.map((runsMs) => {
    const sorted = [...runsMs].sort((a, b) => a - b);
    return { medianMs: sorted[Math.floor(sorted.length / 2)]!, runsMs };
  });
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(0).padStart(6)} ms`;
}
