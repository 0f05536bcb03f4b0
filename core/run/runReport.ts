// The state a run ends in, in the shape DESIGN fixes for `ringlab run --json` (and that the
// debugger and `compare` reuse): exit, console, registers, segments, control registers, CPL,
// the virtual CPU as a hypervisor sees it, statistics and holes. Numbers are plain unsigned integers.

import type { Cpu } from '../cpu/cpu';
import { EFLAGS } from '../cpu/cpuState';

export interface RunExit {
  /** exit | halt | max-instructions | triple-fault | unsupported | internal-error | console-closed, or before a
   *  boot: assembly-error | not-a-program. */
  readonly reason: string;
  /** The exit status `ringlab run` reports (the guest's full code for `exit`). */
  readonly code: number;
  /** What was unsupported, or why the file is not a program. */
  readonly detail?: string;
}

export interface SegmentReport { selector: number; base: number; limit: number; dpl: number }

export interface RunStats {
  instructions: number;
  traps: number;
  translations: number;
  hypercalls: number;
  vmExits: Record<string, number>;
  /** Modelled cycles. Under `native` there is no cost model yet: one cycle per instruction. */
  simulatedCycles: number;
  /** Measured on the host: the run loop only (not assembling or loading). */
  wallMs: number;
  /** Guest instructions per host microsecond over wallMs. */
  mips: number;
  /** Everything the VMM counted (and the device accesses every mode makes). */
  counters: Record<string, number>;
  /** Where simulatedCycles come from: count x constant per line of the cost model. */
  cycles: { name: string; count: number; cycles: number }[];
  /** The compiled translation cache (blocks compiled, hits, chained, invalidations, flushes,
   *  instructions run compiled, compile ms); null when every instruction was interpreted. */
  jit: Record<string, number> | null;
}

export interface RunReport {
  exit: RunExit;
  console: string;
  registers: { eax: number; ebx: number; ecx: number; edx: number; esi: number; edi: number; ebp: number; esp: number; eip: number; eflags: number };
  segments: { es: SegmentReport; cs: SegmentReport; ss: SegmentReport; ds: SegmentReport; fs: SegmentReport; gs: SegmentReport };
  control: { cr0: number; cr2: number; cr3: number; cr4: number };
  cpl: number;
  /** The guest's view of its CPU. Under `native` it is the real CPU: vcpl = cpl, vif = IF, vcr3 = CR3. */
  vcpu: { vcpl: number; vif: boolean; vcr3: number };
  /** The mode it ran under, and the hypervisor type (null under native). */
  mode: string;
  hypervisor: string | null;
  stats: RunStats;
  holes: { eip: number; instruction: string; detail: string; count: number }[];
}

/** The report of a run that never booted (the file did not assemble or is not a program). */
export interface EarlyReport { exit: RunExit; console: string }

const SEGMENT_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;

export function snapshotCpu(cpu: Cpu, guestView?: RunReport['vcpu']): Pick<RunReport, 'registers' | 'segments' | 'control' | 'cpl' | 'vcpu'> {
  const st = cpu.state;
  const r = (i: number): number => st.regs[i]! >>> 0;
  const eflags = cpu.getEflags();
  const seg = (i: number): SegmentReport => {
    const s = st.segs[i]!;
    return { selector: s.selector & 0xffff, base: s.base >>> 0, limit: s.limit >>> 0, dpl: s.dpl };
  };
  const segments = Object.fromEntries(SEGMENT_NAMES.map((n, i) => [n, seg(i)])) as RunReport['segments'];
  return {
    registers: { eax: r(0), ebx: r(3), ecx: r(1), edx: r(2), esi: r(6), edi: r(7), ebp: r(5), esp: r(4), eip: st.eip >>> 0, eflags },
    segments,
    control: { cr0: st.cr0 >>> 0, cr2: st.cr2 >>> 0, cr3: st.cr3 >>> 0, cr4: st.cr4 >>> 0 },
    cpl: st.cpl,
    vcpu: guestView ?? { vcpl: st.cpl, vif: (eflags & EFLAGS.IF) !== 0, vcr3: st.cr3 >>> 0 },
  };
}
