// Extended page tables for the hw engine: guest-physical equals host-physical inside guest RAM,
// but the VMM populates the EPT lazily, so the first access to each guest-physical page (the
// guest's own paging structures included, read during its page walk) is an EPT violation. A
// guest-physical address in the VMM's reserved area is a violation the VMM refuses.

import type { Cpu } from '../cpu/cpu';
import { CR0, CR4 } from '../cpu/cpuState';
import type { EptAccess } from './exitReasons';

export interface EptViolation {
  readonly guestPhysical: number;
  readonly linear: number;
  readonly access: EptAccess;
  /** The access was to the translated address (false: to a guest paging structure in the walk). */
  readonly finalTranslation: boolean;
}

const PAGES = 1 << 20; // 4 GiB of guest-physical space in 4 KiB pages

export class Ept {
  /** One bit per guest-physical page: mapped in the EPT. */
  private readonly present = new Uint32Array(PAGES >>> 5);
  /** Pages the VMM has mapped so far (one EPT violation each). */
  populatedPages = 0;

  constructor(private readonly cpu: Cpu) {}

  isPresent(physPage: number): boolean {
    return (this.present[physPage >>> 5]! & (1 << (physPage & 31))) !== 0;
  }

  /**
   * A TLB fill for `linear` -> `entry`: reports each guest-physical page not yet in the EPT, the
   * guest's page directory and page table first (as its walk reads them), then the page itself,
   * and maps it. `refuse` is called (and must not return) for a page of the VMM's area.
   */
  fill(linear: number, entry: number, access: EptAccess, violation: (v: EptViolation) => void, refuse: (physAddr: number, linear: number) => never): void {
    const st = this.cpu.state;
    if ((st.cr0 & CR0.PG) !== 0) {
      const pdPhys = (st.cr3 & ~0xfff) >>> 0;
      this.touch(pdPhys + (linear >>> 22) * 4, linear, 'read', false, violation, refuse);
      const pde = this.cpu.memory.read32(pdPhys + (linear >>> 22) * 4);
      const large = (pde & 0x80) !== 0 && (st.cr4 & CR4.PSE) !== 0;
      if ((pde & 1) !== 0 && !large) this.touch(((pde & ~0xfff) >>> 0) + ((linear >>> 12) & 0x3ff) * 4, linear, 'read', false, violation, refuse);
    }
    this.touch(((entry & ~0xfff) | (linear & 0xfff)) >>> 0, linear, access, true, violation, refuse);
  }

  private touch(phys: number, linear: number, access: EptAccess, finalTranslation: boolean, violation: (v: EptViolation) => void, refuse: (physAddr: number, linear: number) => never): void {
    const page = phys >>> 12;
    if (this.isPresent(page)) return;
    const mem = this.cpu.memory;
    if (phys >= mem.guestBytes && phys < mem.sizeBytes) refuse(phys, linear);
    this.present[page >>> 5] = this.present[page >>> 5]! | (1 << (page & 31));
    this.populatedPages++;
    violation({ guestPhysical: phys, linear: linear >>> 0, access, finalTranslation });
  }
}
