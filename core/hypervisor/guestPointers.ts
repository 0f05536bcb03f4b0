// What a PV VMM checks before it touches or installs anything a guest hands it: a guest pointer
// must reach the guest's own RAM through the guest's current tables (else EFAULT), and a page
// directory must map guest RAM only, itself and every page table it points to included (else
// EINVAL): the memory above guestBytes belongs to the VMM. The checks read the guest's tables
// without touching the TLB.

import { CR0, CR4 } from '../cpu/cpuState';
import type { Cpu } from '../cpu/cpu';
import { VMM_LINEAR_BASE } from './vmmArea';

const PAGE = 4096;
const LARGE_PAGE = 4 * 1024 * 1024;
const PDE_PS = 0x80;

export class GuestPointers {
  constructor(private readonly cpu: Cpu) {}

  /** Guest-physical address of supervisor linear `lin`, or -1 when it is not the guest's RAM. */
  physical(lin: number, write: boolean): number {
    lin >>>= 0;
    if (lin >= VMM_LINEAR_BASE) return -1;
    const st = this.cpu.state;
    let phys = lin;
    if ((st.cr0 & CR0.PG) !== 0) {
      const entry = this.cpu.walker.walk(lin, st.cr0, st.cr3, st.cr4, write, false);
      if (entry === 0) return -1;
      phys = ((entry & ~0xfff) | (lin & 0xfff)) >>> 0;
    }
    return phys < this.cpu.memory.guestBytes ? phys : -1;
  }

  /** Whether `bytes` bytes from `lin` all lie in the guest's RAM (each page checked). */
  rangeOk(lin: number, bytes: number, write: boolean): boolean {
    if (bytes <= 0) return true;
    const end = (lin >>> 0) + bytes;
    if (end > 0x1_0000_0000) return false;
    for (let page = (lin >>> 0) & ~(PAGE - 1); page < end; page += PAGE) {
      const at = Math.max(page, lin >>> 0);
      if (this.physical(at, write) < 0) return false;
    }
    return true;
  }

  read8(lin: number): number { return this.cpu.memory.read8(this.physical(lin, false)); }
  read16(lin: number): number { return this.read8(lin) | (this.read8((lin + 1) | 0) << 8); }
  read32(lin: number): number { return (this.read16(lin) | (this.read16((lin + 2) | 0) << 16)) >>> 0; }
  write8(lin: number, value: number): void { this.cpu.memory.write8(this.physical(lin, true), value); }

  /**
   * Why the page directory at `pdPhys` may not be installed, or undefined when every present
   * entry (and every present entry of the page tables they name) maps guest RAM only.
   */
  pageDirectoryProblem(pdPhys: number): string | undefined {
    const mem = this.cpu.memory;
    const ram = mem.guestBytes;
    const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
    if ((pdPhys & (PAGE - 1)) !== 0) return `page directory ${hex(pdPhys)} is not page-aligned`;
    if (pdPhys < 0 || pdPhys + PAGE > ram) return `page directory ${hex(pdPhys)} is not in the guest's RAM`;
    const pse = (this.cpu.state.cr4 & CR4.PSE) !== 0;
    for (let i = 0; i < 1024; i++) {
      const pde = mem.read32(pdPhys + i * 4);
      if ((pde & 1) === 0) continue;
      if (pse && (pde & PDE_PS) !== 0) {
        const base = (pde & 0xffc00000) >>> 0;
        if (base + LARGE_PAGE > ram) return `directory entry ${i} maps a 4 MiB page at ${hex(base)}, beyond the guest's RAM`;
        continue;
      }
      const pt = (pde & ~0xfff) >>> 0;
      if (pt + PAGE > ram) return `directory entry ${i} points to a page table at ${hex(pt)}, beyond the guest's RAM`;
      for (let j = 0; j < 1024; j++) {
        const pte = mem.read32(pt + j * 4);
        if ((pte & 1) === 0) continue;
        const frame = (pte & ~0xfff) >>> 0;
        if (frame + PAGE > ram) return `page table ${hex(pt)} entry ${j} maps ${hex(frame)}, beyond the guest's RAM`;
      }
    }
    return undefined;
  }
}
