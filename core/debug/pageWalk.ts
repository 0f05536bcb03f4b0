// The debugger's own page walk: linear to physical through the guest's tables, read-only (no
// accessed/dirty bits set, no TLB fill, no fault, no VMM hook), so looking never changes the run.

import type { Cpu } from '../cpu/cpu';
import { CR0, CR4 } from '../cpu/cpuState';

export interface WalkStep {
  /** 'pde' or 'pte'. */
  readonly level: 'pde' | 'pte';
  readonly physAddr: number;
  readonly value: number;
}

export interface Walk {
  /** The physical address, or null when the walk stops at a not-present entry. */
  readonly physAddr: number | null;
  readonly steps: readonly WalkStep[];
  /** 'paging off', '4 KiB page', '4 MiB page', 'not present at pde/pte'. */
  readonly how: string;
}

const PRESENT = 1;
const PAGE_SIZE_4M = 1 << 7;

/** Walks `linAddr` through CR3 as the CPU would, without touching anything. */
export function walkLinear(cpu: Cpu, linAddr: number): Walk {
  const st = cpu.state;
  const lin = linAddr >>> 0;
  if ((st.cr0 & CR0.PG) === 0) return { physAddr: lin, steps: [], how: 'paging off (identity)' };
  const mem = cpu.memory;
  const pdeAddr = ((st.cr3 & 0xfffff000) | ((lin >>> 22) << 2)) >>> 0;
  const pde = mem.read32(pdeAddr) >>> 0;
  const steps: WalkStep[] = [{ level: 'pde', physAddr: pdeAddr, value: pde }];
  if ((pde & PRESENT) === 0) return { physAddr: null, steps, how: 'not present at the page directory entry' };
  if ((pde & PAGE_SIZE_4M) !== 0 && (st.cr4 & CR4.PSE) !== 0) {
    return { physAddr: ((pde & 0xffc00000) | (lin & 0x3fffff)) >>> 0, steps, how: '4 MiB page' };
  }
  const pteAddr = ((pde & 0xfffff000) | ((lin >>> 10) & 0xffc)) >>> 0;
  const pte = mem.read32(pteAddr) >>> 0;
  steps.push({ level: 'pte', physAddr: pteAddr, value: pte });
  if ((pte & PRESENT) === 0) return { physAddr: null, steps, how: 'not present at the page table entry' };
  return { physAddr: ((pte & 0xfffff000) | (lin & 0xfff)) >>> 0, steps, how: '4 KiB page' };
}

/** The entry's flags as letters (P W U A D S G), for the page-walk view. */
export function entryFlags(value: number): string {
  const names: [number, string][] = [[1, 'P'], [2, 'W'], [4, 'U'], [8, 'PWT'], [16, 'PCD'], [32, 'A'], [64, 'D'], [128, 'PS'], [256, 'G']];
  return names.filter(([bit]) => (value & bit) !== 0).map(([, n]) => n).join(' ') || '-';
}
