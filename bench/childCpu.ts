// Whole-process timings with the CPU time each child used, not only the wall clock: on a loaded
// machine the wall clock measures the neighbours as much as the program. Linux reports the CPU
// time of waited-for children in /proc/self/stat (cutime, cstime); elsewhere only wall is given.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { ProcessSpec } from './benchmark';

export interface CpuTiming {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  /** Median user + sys of the child, undefined where the system does not report it. */
  readonly cpuMedianMs: number | undefined;
  readonly cpuMs: readonly number[] | undefined;
}

/** Clock ticks per second of /proc's times: USER_HZ, 100 on every Linux ABI Node runs on. */
const USER_HZ = 100;

/** CPU milliseconds (user + sys) of this process's terminated and waited-for children so far. */
function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces) start at field 3; cutime is 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[16 - 3]);
  const cstime = Number(fields[17 - 3]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? ((cutime + cstime) * 1000) / USER_HZ : undefined;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function runOnce(spec: ProcessSpec): { wallMs: number; cpuMs: number | undefined } {
  const cpu0 = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(spec.command, spec.args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu1 = childrenCpuMs();
  if (r.error) throw new Error(`${spec.command}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${spec.command} ${spec.args.join(' ')} exited ${r.status}:\n${(r.stderr || '').split('\n').slice(0, 10).join('\n')}`);
  }
  return { wallMs, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

/**
 * One untimed warm-up of each spec (file cache, page cache of the binaries), then `runs` rounds
 * interleaved (A B A B ...) so a change in the machine's load hits both alike. Throws if one fails.
 */
export function timeWithCpu(specs: readonly ProcessSpec[], runs: number): CpuTiming[] {
  for (const spec of specs) runOnce(spec);
  const wall = specs.map((): number[] => []);
  const cpu = specs.map((): number[] => []);
  let haveCpu = true;
  for (let i = 0; i < runs; i++) {
    specs.forEach((spec, k) => {
      const r = runOnce(spec);
      wall[k]!.push(r.wallMs);
      if (r.cpuMs === undefined) haveCpu = false;
      else cpu[k]!.push(r.cpuMs);
    });
  }
  return specs.map((_s, k) => ({
    medianMs: median(wall[k]!),
    runsMs: wall[k]!,
    cpuMedianMs: haveCpu ? median(cpu[k]!) : undefined,
    cpuMs: haveCpu ? cpu[k]! : undefined,
  }));
}
