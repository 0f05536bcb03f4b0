// Running guests under the hw engine for its tests: a run with its VMM events collected, and a
// native run that records what the guest touches (the oracle the exit counts are checked against).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../../../cli/nodeFiles';
import type { EventKind } from '../../../core/cpu/interrupts';
import { isHwEngine, type HwEngine } from '../../../core/hypervisor/engines/hw';
import type { VmmEvent } from '../../../core/hypervisor/events';
import { GuestRun, prepareGuest, type GuestRunOptions, type RunExit, type RunReport } from '../../../core/run';

export const ROOT = path.resolve(__dirname, '../../../..');
export const HW_EXITS = path.join(ROOT, 'examples', 'hw-exits.gasm');
export const MAX_INSTRUCTIONS = 200_000_000;

export interface Finished {
  readonly run: GuestRun;
  readonly exit: RunExit;
  readonly report: RunReport;
  readonly console: string;
  /** Every VMM event, in order (the log keeps only the last few). */
  readonly events: VmmEvent[];
}

export function bootFile(file: string, options: GuestRunOptions = {}, source?: string): GuestRun {
  const prepared = prepareGuest({ path: file, bytes: source !== undefined ? Buffer.from(source) : fs.readFileSync(file) }, { files: new NodeSourceFiles() });
  assert.ok(prepared.ok, `${file} did not assemble`);
  const run = GuestRun.boot(prepared.image, { maxInstructions: MAX_INSTRUCTIONS, ...options });
  assert.ok(run instanceof GuestRun, `${file} did not boot: ${'message' in run ? run.message : ''}`);
  return run;
}

export function finish(run: GuestRun): Finished {
  const events: VmmEvent[] = [];
  if (run.hypervisor !== null) run.hypervisor.events.listener = (e) => events.push(e);
  const exit = run.runToEnd();
  return { run, exit, report: run.report(), console: run.console.text, events };
}

/** `file` under hw with `vmcs` (undefined: the defaults). */
export function runHw(file: string, vmcs?: Record<string, unknown>, options: GuestRunOptions = {}, source?: string): Finished {
  return finish(bootFile(file, { mode: 'hardware-assisted', ...(vmcs !== undefined ? { vmcs } : {}), ...options }, source));
}

export function hwEngine(f: Finished): HwEngine {
  const engine = f.run.hypervisor?.engine;
  assert.ok(engine !== undefined && isHwEngine(engine));
  return engine;
}

export function exitsOf(f: Finished, reason: number): VmmEvent[] {
  return f.events.filter((e) => e.kind === 'exit' && e.reason === reason);
}

export interface NativeTrace extends Finished {
  /** Physical pages the guest touched (TLB fills, and the paging structures each fill walked). */
  readonly pages: Set<number>;
  /** Exceptions raised, by vector: faults and traps, INT3 and INTO (not INT n). */
  readonly exceptions: Map<number, number>;
}

/** `file` under native with hooks that only watch: the pages it touches and its exceptions. */
export function traceNative(file: string, source?: string): NativeTrace {
  const run = bootFile(file, {}, source);
  const pages = new Set<number>();
  const exceptions = new Map<number, number>();
  const cpu = run.cpu;
  cpu.hooks = {
    onTlbFill: (linear: number, entry: number): number => {
      const st = cpu.state;
      if ((st.cr0 & 0x80000000) !== 0) {
        const pdPhys = (st.cr3 & ~0xfff) >>> 0;
        pages.add(pdPhys >>> 12);
        const pde = cpu.memory.read32(pdPhys + (linear >>> 22) * 4);
        if ((pde & 1) !== 0 && (pde & 0x80) === 0) pages.add(pde >>> 12);
      }
      pages.add(entry >>> 12);
      return entry;
    },
    onEvent: (vector: number, _code: number, kind: EventKind): boolean => {
      const opcode = kind === 1 ? cpu.readLin8((cpu.state.segs[1]!.base + cpu.instructionStart) | 0) : 0;
      if (kind === 0 || opcode === 0xcc || opcode === 0xce) exceptions.set(vector, (exceptions.get(vector) ?? 0) + 1);
      return false;
    },
  };
  cpu.flushTlb(false);
  return { ...finish(run), pages, exceptions };
}
