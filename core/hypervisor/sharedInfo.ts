// The two pages a PV guest shares with the VMM (DESIGN's PV ABI): start_info, which ESI points
// to at entry, and shared_info, where the guest's virtual interrupt state lives as plain bytes
// (no trap to change them). Both sit in the last two pages of guest RAM, which start_info's
// page count leaves out, so the guest knows not to use them for anything else.

import type { PhysicalMemory } from '../machine/physicalMemory';

export const PAGE_BYTES = 4096;
/** DESIGN: `+0 magic "ringlab-pv-1\0"` (16 bytes). */
export const START_INFO_MAGIC = 'ringlab-pv-1';
export const START_INFO = { magic: 0, sharedInfoPhys: 16, ramPages: 20 } as const;

/**
 * shared_info offsets. DESIGN fixes +0, +1 and +8; `cr2` is RingLab's addition where DESIGN is
 * silent: a ring-1 kernel cannot read CR2, so the VMM stores the faulting address of each #PF
 * here before the guest's handler runs (Xen keeps it in vcpu_info's arch.cr2).
 */
export const SHARED_INFO = { upcallPending: 0, upcallMask: 1, systemTimeNs: 8, cr2: 16 } as const;

/** Where the two pages are and how to read and write their fields (physical addresses). */
export class SharedPages {
  readonly startInfoPhys: number;
  readonly sharedInfoPhys: number;
  /** Pages of RAM the guest may use: all of it but these two. */
  readonly ramPages: number;

  constructor(private readonly memory: PhysicalMemory) {
    this.sharedInfoPhys = memory.guestBytes - PAGE_BYTES;
    this.startInfoPhys = memory.guestBytes - 2 * PAGE_BYTES;
    this.ramPages = memory.guestBytes / PAGE_BYTES - 2;
  }

  /** Clears both pages and fills start_info; upcalls start masked (the native entry's IF = 0). */
  initialise(nowNs: number): void {
    const mem = this.memory;
    for (let i = 0; i < 2 * PAGE_BYTES; i += 4) mem.write32(this.startInfoPhys + i, 0);
    for (let i = 0; i < START_INFO_MAGIC.length; i++) mem.write8(this.startInfoPhys + START_INFO.magic + i, START_INFO_MAGIC.charCodeAt(i));
    mem.write32(this.startInfoPhys + START_INFO.sharedInfoPhys, this.sharedInfoPhys);
    mem.write32(this.startInfoPhys + START_INFO.ramPages, this.ramPages);
    this.mask = 1;
    this.setTime(nowNs);
  }

  get sharedInfoPage(): number { return this.sharedInfoPhys / PAGE_BYTES; }

  get pending(): number { return this.memory.read8(this.sharedInfoPhys + SHARED_INFO.upcallPending); }
  set pending(v: number) { this.memory.write8(this.sharedInfoPhys + SHARED_INFO.upcallPending, v); }

  /** 1 = virtual interrupts off (the lecture's VIF inverted); the guest writes it freely. */
  get mask(): number { return this.memory.read8(this.sharedInfoPhys + SHARED_INFO.upcallMask); }
  set mask(v: number) { this.memory.write8(this.sharedInfoPhys + SHARED_INFO.upcallMask, v); }

  setTime(nowNs: number): void {
    const at = this.sharedInfoPhys + SHARED_INFO.systemTimeNs;
    this.memory.write32(at, nowNs % 0x1_0000_0000);
    this.memory.write32(at + 4, Math.floor(nowNs / 0x1_0000_0000));
  }

  timeNs(): number {
    const at = this.sharedInfoPhys + SHARED_INFO.systemTimeNs;
    return this.memory.read32(at + 4) * 0x1_0000_0000 + this.memory.read32(at);
  }

  setCr2(linear: number): void { this.memory.write32(this.sharedInfoPhys + SHARED_INFO.cr2, linear >>> 0); }
}
