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

/** Runs a command `runs` times (whole process, wall clock) and returns the median. */
export function timeProcess(command: string, args: readonly string[], runs = 5): ProcessTiming {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw new Error(`${command}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${(r.stderr || '').split('\n').slice(0, 10).join('\n')}`);
    runsMs.push(ms);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, runsMs };
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(0).padStart(6)} ms`;
}
