// Shadow paging for the engines that keep the guest's page tables out of the hardware's hands
// (trap, bt, and hw without EPT). The CPU's TLB plays the shadow page table: the VMM fills each
// entry from the guest's tables on a hidden page fault (a TLB miss the guest never sees), and
// write-protects every guest page directory and page table it has walked, so a guest write to
// one reaches the VMM, which drops the shadow entries derived from it. Counts feed the cost
// model; the VMM's own area can never be mapped by a guest page table.

import { CR0 } from '../cpu/cpuState';
import type { VmmContext } from './engine';
import { WATCH } from './watchBits';

export class ShadowPaging {
  private readonly tracked = new Set<number>();

  constructor(private readonly vmm: VmmContext, private readonly refuse: (message: string) => void) {}

  /** A TLB miss: count the hidden page fault, protect the tables walked, refuse the VMM's area. */
  onFill(linear: number, entry: number): number {
    const { cpu, counters } = this.vmm;
    const st = cpu.state;
    guardVmmArea(this.vmm, linear, entry, this.refuse);
    if ((st.cr0 & CR0.PG) === 0) return entry;
    counters.hiddenPageFaults++;
    const pdPage = st.cr3 >>> 12;
    this.track(pdPage);
    const pde = cpu.memory.read32(((st.cr3 & ~0xfff) >>> 0) + (linear >>> 22) * 4);
    const large = (pde & 0x80) !== 0 && (st.cr4 & 0x10) !== 0;
    if ((pde & 1) !== 0 && !large) this.track(pde >>> 12);
    return entry;
  }

  /** A write to a protected page table: mirror it. A write to a page table drops the shadow
   *  entries of the linear pages it maps (found through the current page directory); a write to
   *  the page directory drops everything (its entries stand for 4 MiB each). */
  onWrite(physAddr: number): void {
    const { cpu, counters, events } = this.vmm;
    counters.shadowUpdates++;
    const st = cpu.state;
    const page = physAddr >>> 12;
    const pd = (st.cr3 & ~0xfff) >>> 0;
    if ((st.cr0 & CR0.PG) === 0 || page === pd >>> 12) {
      cpu.flushTlb(false);
    } else {
      const pteIndex = (physAddr & 0xfff) >>> 2;
      for (let i = 0; i < 1024; i++) {
        const pde = cpu.memory.read32(pd + i * 4);
        if ((pde & 1) !== 0 && (pde >>> 12) === page) {
          // A write of up to 4 bytes may straddle two entries.
          cpu.invalidatePage(((i << 22) | (pteIndex << 12)) >>> 0);
          if ((physAddr & 3) !== 0 && pteIndex < 1023) cpu.invalidatePage(((i << 22) | ((pteIndex + 1) << 12)) >>> 0);
        }
      }
    }
    if (events.listener !== null) {
      events.add({ kind: 'shadow-update', eip: cpu.instructionStart >>> 0, detail: `guest page-table write at physical 0x${(physAddr >>> 0).toString(16)}: shadow entries dropped`, at: cpu.instructionsRetired });
    }
  }

  /** How many guest page-table pages are write-protected now. */
  get trackedPages(): number { return this.tracked.size; }

  private track(page: number): void {
    if (this.tracked.has(page) || page >= (this.vmm.cpu.memory.guestBytes >>> 12)) return;
    this.tracked.add(page);
    this.vmm.cpu.watchPage(page, WATCH.PAGE_TABLE);
  }
}

/** A mapping of the VMM's reserved memory (by a guest page table, or by a guest with paging
 *  off reaching above its RAM) is refused: the guest does not own it. */
export function guardVmmArea(vmm: VmmContext, linear: number, entry: number, refuse: (message: string) => void): void {
  const phys = (entry & ~0xfff) >>> 0;
  const mem = vmm.cpu.memory;
  if (phys >= mem.guestBytes && phys < mem.sizeBytes) {
    refuse(`the guest mapped linear 0x${(linear >>> 0).toString(16)} to physical 0x${phys.toString(16)}, ` +
      `outside its ${mem.guestBytes >>> 20} MiB of RAM (memory the hypervisor owns)`);
  }
}
