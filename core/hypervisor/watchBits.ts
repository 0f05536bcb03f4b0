// Why the VMM write-protects a physical page (bits of Cpu.watchedPages); a page can be watched
// for several reasons at once and each owner clears only its own bit.

export const WATCH = {
  /** A page of the guest's GDT: the shadow GDT is copied again. */
  GDT: 1 << 1,
  /** A guest page table or page directory: the shadow page table is updated. */
  PAGE_TABLE: 1 << 2,
  /** A page holding translated kernel code: its translations are dropped. */
  TRANSLATED: 1 << 3,
  /** A debugger data breakpoint. */
  DEBUGGER: 1 << 4,
  /** A PV guest's shared_info page: a write may unmask upcalls, so interrupts are looked at again. */
  SHARED_INFO: 1 << 5,
} as const;
