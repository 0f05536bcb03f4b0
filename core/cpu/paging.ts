// The 32-bit (non-PAE) page walk: 4 KiB pages and, under CR4.PSE, 4 MiB pages; U/S and R/W
// combined over both levels, CR0.WP, accessed and dirty bits written back as the CPU does
// (only when the access succeeds, as QEMU does), and the #PF error code of a failed walk.

import type { PhysicalMemory } from '../machine/physicalMemory';
import { CR0, CR4 } from './cpuState';
import { TLB } from './tlb';

/** #PF error code bits (SDM vol. 3, 4.7). */
export const PF_ERROR = { PRESENT: 1 << 0, WRITE: 1 << 1, USER: 1 << 2, RSVD: 1 << 3 } as const;

const PTE_P = 1 << 0;
const PTE_RW = 1 << 1;
const PTE_US = 1 << 2;
const PTE_A = 1 << 5;
const PTE_D = 1 << 6;
const PDE_PS = 1 << 7;
const PTE_G = 1 << 8;
/** Bit 21 of a 4 MiB PDE: reserved under PSE-36 (bits 20:13 are physical address bits 39:32),
 *  the rule qemu-system-i386 applies. */
const PDE4M_RESERVED = 0x00200000;
const PDE4M_HIGH_ADDRESS = 0x001fe000;
/** Where a page above 4 GiB lands: the top page of the 32-bit space, never RAM (reads give the
 *  unassigned byte, writes are dropped), as the memory there is absent on this machine. */
const ABOVE_4GIB_PHYS_PAGE = 0xfffff000;

export class PageWalker {
  /** The #PF error code of the last walk that returned 0. */
  errorCode = 0;

  constructor(private readonly memory: PhysicalMemory) {}

  /**
   * Translates `linAddr` for an access (write? user, i.e. CPL 3?) and returns a TLB entry
   * (physical page | TLB bits for every kind of access the walk allows), or 0 on a page fault.
   */
  walk(linAddr: number, cr0: number, cr3: number, cr4: number, write: boolean, user: boolean): number {
    const mem = this.memory;
    const pdeAddr = ((cr3 & 0xfffff000) | ((linAddr >>> 22) << 2)) >>> 0;
    const pde = mem.read32(pdeAddr);
    const baseError = (write ? PF_ERROR.WRITE : 0) | (user ? PF_ERROR.USER : 0);
    if ((pde & PTE_P) === 0) return this.fail(baseError);

    let rights: number;
    let physPage: number;
    let leaf: number;
    let leafAddr: number;
    if ((pde & PDE_PS) !== 0 && (cr4 & CR4.PSE) !== 0) {
      // The SDM also sets P on a reserved-bit fault; qemu-system-i386 (the conformance target)
      // reports RSVD alone, and a guest cannot tell us from QEMU.
      if ((pde & PDE4M_RESERVED) !== 0) return this.fail(baseError | PF_ERROR.RSVD);
      rights = pde;
      physPage = (pde & PDE4M_HIGH_ADDRESS) !== 0 ? ABOVE_4GIB_PHYS_PAGE : ((pde & 0xffc00000) | (linAddr & 0x003ff000)) >>> 0;
      leaf = pde;
      leafAddr = pdeAddr;
    } else {
      const pteAddr = ((pde & 0xfffff000) | ((linAddr >>> 10) & 0xffc)) >>> 0;
      const pte = mem.read32(pteAddr);
      if ((pte & PTE_P) === 0) return this.fail(baseError);
      rights = pde & pte;
      physPage = (pte & 0xfffff000) >>> 0;
      leaf = pte;
      leafAddr = pteAddr;
      if ((pde & PTE_A) === 0) mem.write32(pdeAddr, pde | PTE_A);
    }

    const userOk = (rights & PTE_US) !== 0;
    const rwOk = (rights & PTE_RW) !== 0;
    const wp = (cr0 & CR0.WP) !== 0;
    if (user && !userOk) return this.fail(baseError | PF_ERROR.PRESENT);
    if (write && !rwOk && (user || wp)) return this.fail(baseError | PF_ERROR.PRESENT);

    let newLeaf = leaf | PTE_A;
    if (write) newLeaf |= PTE_D;
    if (newLeaf !== leaf) mem.write32(leafAddr, newLeaf);

    // Write permission is granted only once D is set, so the first write to a clean page walks
    // again and sets it.
    const dirty = (newLeaf & PTE_D) !== 0;
    let bits = TLB.VALID;
    if (userOk) bits |= TLB.USER_READ;
    if (dirty && userOk && rwOk) bits |= TLB.USER_WRITE;
    if (dirty && (rwOk || !wp)) bits |= TLB.SUPER_WRITE;
    if ((leaf & PTE_G) !== 0 && (cr4 & CR4.PGE) !== 0) bits |= TLB.GLOBAL;
    return (physPage | bits) | 0;
  }

  private fail(errorCode: number): 0 {
    this.errorCode = errorCode;
    return 0;
  }
}
