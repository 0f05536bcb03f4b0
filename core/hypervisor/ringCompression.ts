// Ring compression, shared by the engines that run the guest kernel deprivileged at ring 1
// (trap-and-emulate and binary translation). While the guest runs, the hardware holds the VMM's
// state: CPL 1 for the kernel (its CS and SS with RPL 1, descriptors with DPL 0 raised to 1), IF
// set, IOPL 0, the VMM's GDT (a shadow of the guest's), IDT and TSS, and CR0 with TS set (lazy
// FPU switching). When the VMM emulates an instruction or delivers an event it swaps the guest's
// view in (`enterVirtual`), runs the CPU's reference semantics, and swaps the hardware's back
// (`leaveVirtual`): one emulator for every privileged instruction, exactly as the CPU defines it.

import { CpuFault } from '../cpu/cpuFault';
import { CR0, EFLAGS } from '../cpu/cpuState';
import { deliverEvent, EVENT, type EventKind } from '../cpu/interrupts';
import { SegmentCache } from '../cpu/cpuState';
import type { Decoded } from '../disasm/decoded';
import type { VmmContext } from './engine';
import { WATCH } from './watchBits';
import { FIRST_RESERVED_GDT_BYTE, VMM_GDT_LIMIT, VMM_IDT_LIMIT, VMM_LAYOUT, VMM_SELECTORS } from './vmmArea';

const TSS_BYTES = 104;

export class RingCompression {
  private readonly vmmTss = new SegmentCache();
  /** The guest wrote its GDT since the shadow was copied. */
  private shadowStale = false;
  private watchedGdtPages: number[] = [];
  /** Physical byte ranges [start, end) the guest's GDT occupies. */
  private gdtRanges: [number, number][] = [];
  /** Bytes of the shadow written by the last copy (the rest is already zero). */
  private shadowBytes = 0;

  constructor(private readonly vmm: VmmContext) {
    const t = this.vmmTss;
    t.selector = VMM_SELECTORS.tss; t.base = vmm.area.linear(VMM_LAYOUT.tss); t.limit = TSS_BYTES - 1;
    t.type = 0xb; t.s = false; t.dpl = 0; t.present = true; t.db = false; t.usable = true;
    t.refreshAccess();
  }

  /** From the loader's entry state (the guest kernel at CPL 0) to the kernel at ring 1. */
  start(): void {
    const { cpu, vcpu } = this.vmm;
    const st = cpu.state;
    const flags = cpu.getEflags();
    vcpu.vcpl = st.cpl;
    vcpu.vif = (flags & EFLAGS.IF) !== 0;
    vcpu.viopl = (flags & EFLAGS.IOPL) >>> 12;
    vcpu.vcr0 = st.cr0;
    Object.assign(vcpu.gdtr, st.gdtr);
    Object.assign(vcpu.idtr, st.idtr);
    vcpu.tr.copyFrom(st.tr);
    this.installHardware();
    cpu.segmentsChanged();
  }

  /** The hardware may have changed rings without the VMM (a call gate, a far return, an
   *  interrupt return to ring 3 run directly): the virtual CPL follows the hardware's. */
  syncCpl(): void {
    this.vmm.vcpu.vcpl = this.vmm.cpu.state.cpl === 3 ? 3 : 0;
  }

  /** The guest's view into the hardware: CPL, IF, IOPL, CR0, descriptor tables, segments. */
  enterVirtual(): void {
    const { cpu, vcpu } = this.vmm;
    const st = cpu.state;
    if (this.shadowStale) this.syncShadowGdt();
    for (let i = 0; i < 6; i++) {
      const s = st.segs[i]!;
      if (s.dpl === 1 && s.s) s.dpl = 0;
      if ((i === 1 || i === 2) && (s.selector & 3) === 1) s.selector &= ~3;
    }
    cpu.setCpl(st.segs[1]!.selector & 3);
    // IF and IOPL written directly: no interrupt check is due while the VMM works (the
    // emulated instruction's own semantics ask for one when they set IF).
    st.flagsRest = ((st.flagsRest & ~(EFLAGS.IF | EFLAGS.IOPL)) | (vcpu.vif ? EFLAGS.IF : 0) | (vcpu.viopl << 12)) >>> 0;
    st.gdtr.base = vcpu.gdtr.base; st.gdtr.limit = vcpu.gdtr.limit;
    st.idtr.base = vcpu.idtr.base; st.idtr.limit = vcpu.idtr.limit;
    st.tr.copyFrom(vcpu.tr);
    st.cr0 = vcpu.vcr0;
  }

  /** The hardware's state back, keeping what the emulated instruction changed in the guest's view. */
  leaveVirtual(): void {
    const { cpu, vcpu } = this.vmm;
    const st = cpu.state;
    const flags = st.flagsRest;
    vcpu.vif = (flags & EFLAGS.IF) !== 0;
    vcpu.viopl = (flags & EFLAGS.IOPL) >>> 12;
    vcpu.vcr0 = st.cr0;
    vcpu.vcpl = st.cpl;
    const gdtChanged = st.gdtr.base !== vcpu.gdtr.base || st.gdtr.limit !== vcpu.gdtr.limit;
    vcpu.gdtr.base = st.gdtr.base; vcpu.gdtr.limit = st.gdtr.limit;
    vcpu.idtr.base = st.idtr.base; vcpu.idtr.limit = st.idtr.limit;
    const trChanged = st.tr.selector !== vcpu.tr.selector || st.tr.base !== vcpu.tr.base;
    if (trChanged) vcpu.tr.copyFrom(st.tr);
    if (gdtChanged) this.syncShadowGdt();
    this.installHardware();
  }

  private installHardware(): void {
    const { cpu, vcpu, area } = this.vmm;
    const st = cpu.state;
    if (vcpu.vcpl === 0) {
      for (let i = 0; i < 6; i++) {
        const s = st.segs[i]!;
        if (s.dpl === 0 && s.s) s.dpl = 1;
        if ((i === 1 || i === 2) && (s.selector & 3) === 0) s.selector |= 1;
      }
    }
    cpu.setCpl(st.segs[1]!.selector & 3);
    st.flagsRest = ((st.flagsRest & ~EFLAGS.IOPL) | EFLAGS.IF) >>> 0;
    st.gdtr.base = area.linear(VMM_LAYOUT.gdt); st.gdtr.limit = VMM_GDT_LIMIT;
    st.idtr.base = area.linear(VMM_LAYOUT.idt); st.idtr.limit = VMM_IDT_LIMIT;
    st.tr.copyFrom(this.vmmTss);
    st.cr0 = (vcpu.vcr0 | CR0.TS) >>> 0;
    // Back to ring 3: a call gate there lands on the VMM TSS's ring-1 stack, which must be the guest's ring-0 stack.
    if (vcpu.vcpl === 3) this.mirrorKernelStack();
  }

  /** The VMM's TSS gets the guest's ring-0 stack as its ring-1 stack (SS with RPL 1), so a call
   *  gate or an interrupt the hardware delivers to the compressed kernel lands where it expects. */
  private mirrorKernelStack(): void {
    const { cpu, vcpu, area } = this.vmm;
    const tr = vcpu.tr;
    if (!tr.usable || tr.s || (tr.type & 8) === 0 || tr.limit < 11) return;
    const esp0 = this.guestPhysical((tr.base + 4) | 0);
    if (esp0 < 0 || esp0 + 8 > cpu.memory.guestBytes) return;
    area.setRing1Stack(cpu.memory.read16(esp0 + 4) | 1, cpu.memory.read32(esp0));
  }

  /**
   * Runs `d` with the guest's view swapped in (`next` is the EIP after it, `start` its own).
   * A fault it raises is delivered through the guest's IDT as the real CPU would have. Returns
   * whether the instruction completed.
   */
  emulate(d: Decoded, start: number, next: number): boolean {
    const cpu = this.vmm.cpu;
    this.enterVirtual();
    let completed = true;
    try {
      cpu.state.eip = next;
      cpu.execute(d);
    } catch (e) {
      if (!(e instanceof CpuFault)) { this.leaveVirtual(); throw e; }
      completed = false;
      cpu.state.eip = start;
      cpu.instructionStart = start;
      deliverEvent(cpu, e.vector, e.errorCode, EVENT.EXCEPTION);
    }
    this.leaveVirtual();
    return completed;
  }

  /** Delivers an event through the guest's own IDT, GDT and TSS (the VMM reflects it). */
  reflect(vector: number, errorCode: number, kind: EventKind): void {
    this.enterVirtual();
    deliverEvent(this.vmm.cpu, vector, errorCode, kind);
    this.leaveVirtual();
  }

  /** A write landed on a page of the guest's GDT: copy it again at the next VMM entry (only
   *  when it hit the table itself, not other data sharing its pages). */
  noteGdtWrite(physAddr: number): void {
    for (const [start, end] of this.gdtRanges) if (physAddr + 4 > start && physAddr < end) { this.shadowStale = true; return; }
  }

  /** Copies the guest's GDT into the shadow, DPL 0 code and data descriptors raised to DPL 1. */
  private syncShadowGdt(): void {
    const { cpu, vcpu, area } = this.vmm;
    this.shadowStale = false;
    for (const page of this.watchedGdtPages) cpu.unwatchPage(page, WATCH.GDT);
    this.watchedGdtPages = [];
    this.gdtRanges = [];
    const bytes = Math.min(vcpu.gdtr.limit + 1, FIRST_RESERVED_GDT_BYTE) & ~7;
    const mem = cpu.memory;
    for (let off = 0; off < Math.max(bytes, this.shadowBytes); off += 8) {
      let lo = 0;
      let hi = 0;
      if (off < bytes) {
        const phys = this.guestPhysical((vcpu.gdtr.base + off) | 0);
        if (phys >= 0 && phys + 8 <= mem.guestBytes) {
          lo = mem.read32(phys); hi = mem.read32(phys + 4);
          this.noteGdtBytes(phys);
        }
        if ((hi & 0x1000) !== 0 && ((hi >>> 13) & 3) === 0) hi = (hi | (1 << 13)) >>> 0;
      }
      mem.write32(area.physical(VMM_LAYOUT.gdt + off), lo);
      mem.write32(area.physical(VMM_LAYOUT.gdt + off + 4), hi);
    }
    this.shadowBytes = bytes;
  }

  private noteGdtBytes(phys: number): void {
    const last = this.gdtRanges[this.gdtRanges.length - 1];
    if (last !== undefined && last[1] === phys) last[1] = phys + 8; else this.gdtRanges.push([phys, phys + 8]);
    const page = phys >>> 12;
    if (this.watchedGdtPages[this.watchedGdtPages.length - 1] !== page) {
      this.watchedGdtPages.push(page);
      this.vmm.cpu.watchPage(page, WATCH.GDT);
    }
  }

  /** Linear to guest-physical through the guest's tables without touching the TLB, or -1. */
  private guestPhysical(lin: number): number {
    const { cpu } = this.vmm;
    const st = cpu.state;
    if ((st.cr0 & CR0.PG) === 0) return lin >>> 0;
    const entry = cpu.walker.walk(lin >>> 0, st.cr0, st.cr3, st.cr4, false, false);
    return entry === 0 ? -1 : ((entry & ~0xfff) | (lin & 0xfff)) >>> 0;
  }
}
