// The VMM's own memory: a reserved block above guest RAM (never reported to the guest) that the
// VMM maps at the top of every linear address space, supervisor-only, as VMware's VMM sat in the
// top 4 MiB of each guest address space. It holds the descriptor tables the hardware really uses
// while a deprivileged guest runs: the shadow GDT (the guest's descriptors with DPL 0 raised to
// 1, plus the VMM's own entries from 0xE000 up, where Xen keeps its reserved selectors), the
// VMM's IDT and TSS, and the IDT a PV guest's trap table becomes.

import { TLB } from '../cpu/tlb';
import type { PhysicalMemory } from '../machine/physicalMemory';

export const VMM_AREA_BYTES = 0x40000;
/** Linear base of the VMM area in every address space. */
export const VMM_LINEAR_BASE = 0xffc00000;

/** Offsets within the area. */
export const VMM_LAYOUT = {
  gdt: 0x00000,
  idt: 0x10000,
  tss: 0x10800,
  guestIdt: 0x11000,
} as const;

/** The first GDT byte the VMM reserves for itself (Xen: FIRST_RESERVED_GDT_BYTE, 14 pages of 4 KiB). */
export const FIRST_RESERVED_GDT_BYTE = 0xe000;

/** Selectors of the VMM's GDT entries (DESIGN's PV ABI fixes the four flat ones). */
export const VMM_SELECTORS = {
  vmmCode: 0xe008,
  vmmData: 0xe010,
  kernelCs: 0xe019,
  kernelDs: 0xe021,
  userCs: 0xe02b,
  userDs: 0xe033,
  tss: 0xe038,
} as const;

export const VMM_GDT_LIMIT = 0xe03f;
export const VMM_IDT_LIMIT = 0x7ff;
const TSS_BYTES = 104;

/** Descriptor halves for a flat 4 GiB code or data segment at `dpl`. */
export function flatDescriptor(code: boolean, dpl: number): [number, number] {
  const type = code ? 0xb : 0x3; // execute/read or read/write, accessed
  const hi = (0x00cf0000 | 0x8000 | (dpl << 13) | 0x1000 | (type << 8)) >>> 0;
  return [0x0000ffff, hi];
}

/** A 32-bit available TSS descriptor. */
export function tssDescriptor(base: number, limit: number): [number, number] {
  const lo = (((base & 0xffff) << 16) | (limit & 0xffff)) >>> 0;
  const hi = ((base & 0xff000000) | ((base >>> 16) & 0xff) | (limit & 0xf0000) | 0x8900) >>> 0;
  return [lo, hi];
}

/** Where the area lives and how to write it. */
export class VmmArea {
  readonly physBase: number;

  constructor(readonly memory: PhysicalMemory) {
    this.physBase = memory.guestBytes;
    if (memory.sizeBytes - memory.guestBytes < VMM_AREA_BYTES) throw new Error('vmm: the machine has no reserved area for the VMM');
  }

  linear(offset: number): number { return (VMM_LINEAR_BASE + offset) >>> 0; }
  physical(offset: number): number { return this.physBase + offset; }

  /** The TLB entry for a linear address inside the area (supervisor read/write), or 0. */
  tlbEntry(linear: number): number {
    const off = (linear >>> 0) - VMM_LINEAR_BASE;
    if (off < 0 || off >= VMM_AREA_BYTES) return 0;
    return (((this.physBase + (off & ~0xfff)) | TLB.VALID | TLB.SUPER_WRITE) >>> 0) | 0;
  }

  writeGdtEntry(selector: number, [lo, hi]: [number, number]): void {
    const at = this.physical(VMM_LAYOUT.gdt + (selector & ~7));
    this.memory.write32(at, lo);
    this.memory.write32(at + 4, hi);
  }

  /** The VMM's fixed GDT entries, its TSS (ring-1 stack `ss1:esp1`) and an empty IDT. */
  initialise(): void {
    this.writeGdtEntry(VMM_SELECTORS.vmmCode, flatDescriptor(true, 0));
    this.writeGdtEntry(VMM_SELECTORS.vmmData, flatDescriptor(false, 0));
    this.writeGdtEntry(VMM_SELECTORS.kernelCs, flatDescriptor(true, 1));
    this.writeGdtEntry(VMM_SELECTORS.kernelDs, flatDescriptor(false, 1));
    this.writeGdtEntry(VMM_SELECTORS.userCs, flatDescriptor(true, 3));
    this.writeGdtEntry(VMM_SELECTORS.userDs, flatDescriptor(false, 3));
    this.writeGdtEntry(VMM_SELECTORS.tss, tssDescriptor(this.linear(VMM_LAYOUT.tss), TSS_BYTES - 1));
    // I/O map base beyond the limit: no I/O bitmap, so IN/OUT at CPL > IOPL raise #GP.
    this.memory.write16(this.physical(VMM_LAYOUT.tss + 102), TSS_BYTES);
  }

  /** Sets the ring-1 stack in the VMM's TSS (PV stack_switch). */
  setRing1Stack(ss: number, esp: number): void {
    this.memory.write32(this.physical(VMM_LAYOUT.tss + 12), esp >>> 0);
    this.memory.write32(this.physical(VMM_LAYOUT.tss + 16), ss & 0xffff);
  }
}
