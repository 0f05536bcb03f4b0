// A plain-data view of the CPU for reports (`ringlab run --json`, the debugger's variables):
// registers, EFLAGS, segments, control registers and CPL, all as unsigned numbers.

import type { Cpu } from './cpu';

export interface SegmentSnapshot { selector: number; base: number; limit: number; dpl: number; usable: boolean }

export interface CpuSnapshot {
  registers: { eax: number; ebx: number; ecx: number; edx: number; esi: number; edi: number; ebp: number; esp: number; eip: number; eflags: number };
  segments: { es: SegmentSnapshot; cs: SegmentSnapshot; ss: SegmentSnapshot; ds: SegmentSnapshot; fs: SegmentSnapshot; gs: SegmentSnapshot };
  control: { cr0: number; cr2: number; cr3: number; cr4: number };
  cpl: number;
  halted: boolean;
}

export function snapshotCpu(cpu: Cpu): CpuSnapshot {
  const st = cpu.state;
  const r = (n: number): number => st.regs[n]! >>> 0;
  const seg = (n: number): SegmentSnapshot => {
    const s = st.segs[n]!;
    return { selector: s.selector, base: s.base >>> 0, limit: s.limit >>> 0, dpl: s.dpl, usable: s.usable };
  };
  return {
    registers: { eax: r(0), ebx: r(3), ecx: r(1), edx: r(2), esi: r(6), edi: r(7), ebp: r(5), esp: r(4), eip: st.eip >>> 0, eflags: cpu.getEflags() },
    segments: { es: seg(0), cs: seg(1), ss: seg(2), ds: seg(3), fs: seg(4), gs: seg(5) },
    control: { cr0: st.cr0 >>> 0, cr2: st.cr2 >>> 0, cr3: st.cr3 >>> 0, cr4: st.cr4 >>> 0 },
    cpl: st.cpl,
    halted: st.halted,
  };
}
