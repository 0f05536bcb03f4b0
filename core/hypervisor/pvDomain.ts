// A paravirtual guest as the VMM keeps it (Xen calls it a domain): its start_info and shared_info
// pages, the IDT its trap table became, its ring-1 stack and event callback, its one-shot timer,
// and the hypercalls that change them. The guest knows it runs at ring 1 on the VMM's flat
// selectors, so nothing here is emulated: each hypercall does one job the guest asked for, after
// checking every pointer and value it was handed (a bad one is a negative errno, never a crash).

import type { VirtualInterrupts } from '../cpu/cpu';
import { CpuFault, VECTOR } from '../cpu/cpuFault';
import { CR0, EFLAGS, SegmentCache } from '../cpu/cpuState';
import { interruptReturn } from '../cpu/farTransfer';
import { deliverEvent, EVENT } from '../cpu/interrupts';
import { Descriptor, fillCache } from '../cpu/segmentation';
import { COM1_BASE_PORT } from '../machine/uart16550';
import type { VmmContext } from './engine';
import { GuestPointers } from './guestPointers';
import {
  CONSOLEIO, describeHypercall, dispatchHypercall, ERRNO, MMUEXT, SCHEDOP, XEN_VERSION, type HypercallTarget,
} from './hypercalls';
import { PvTimer } from './pvTimer';
import { SharedPages } from './sharedInfo';
import { VMM_GDT_LIMIT, VMM_IDT_LIMIT, VMM_LAYOUT, VMM_LINEAR_BASE, VMM_SELECTORS } from './vmmArea';
import { WATCH } from './watchBits';

/** The IDT slot an upcall is delivered through (its gate is there only while it is delivered). */
export const UPCALL_VECTOR = 0xf0;
const TSS_BYTES = 104;
const GATE_TRAP32 = 0x0f00;
const GATE_PRESENT = 0x8000;
/** Frames of upcalls not yet returned from whose EAX the VMM keeps (a bound on abandoned ones). */
const SAVED_FRAMES = 64;
const MAX_CONSOLE_BYTES = 1 << 20;
const MAX_TRAP_ENTRIES = 256;

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

export class PvDomain implements HypercallTarget {
  readonly shared: SharedPages;
  readonly pointers: GuestPointers;
  readonly timer: PvTimer;
  readonly virtualInterrupts: VirtualInterrupts;
  /** The event callback (set_callbacks); cs 0 until the guest sets one. */
  callbackCs = 0;
  callbackEip = 0;
  /** Trap-table vectors with a gate, for the engine's "no handler" message. */
  private readonly trapVectors = new Uint8Array(256);
  /** EAX of each interrupted context an upcall frame (by linear address) returns to. */
  private readonly savedEax = new Map<number, number>();
  /** Why the last hypercall was refused, for its event line. */
  private refusal = '';
  private readonly scratch = new Descriptor();

  constructor(private readonly vmm: VmmContext) {
    this.shared = new SharedPages(vmm.machine.memory);
    this.pointers = new GuestPointers(vmm.cpu);
    this.timer = new PvTimer(() => this.timerFired());
    const shared = this.shared;
    this.virtualInterrupts = {
      get interruptsEnabled() { return shared.mask === 0; },
      hasPendingInterrupt: () => shared.pending !== 0 && this.callbackCs !== 0,
      acknowledge: () => { shared.pending = 0; return UPCALL_VECTOR; },
    };
  }

  /** From the loader's entry state to DESIGN's PV entry state: ring 1 on the flat selectors,
   *  ESI -> start_info, the VMM's GDT, TSS and (empty) trap-table IDT in the hardware. */
  start(): string | undefined {
    const { cpu, machine, area } = this.vmm;
    const st = cpu.state;
    if (this.shared.startInfoPhys < 0x100000) return 'pv: the guest needs at least 1 MiB of RAM above the two pages the VMM shares with it';
    this.shared.initialise(machine.clock.nowNs);
    for (let off = 0; off <= VMM_IDT_LIMIT; off += 4) machine.memory.write32(area.physical(VMM_LAYOUT.guestIdt + off), 0);
    st.gdtr.base = area.linear(VMM_LAYOUT.gdt); st.gdtr.limit = VMM_GDT_LIMIT;
    st.idtr.base = area.linear(VMM_LAYOUT.guestIdt); st.idtr.limit = VMM_IDT_LIMIT;
    const tr = st.tr;
    tr.selector = VMM_SELECTORS.tss; tr.base = area.linear(VMM_LAYOUT.tss); tr.limit = TSS_BYTES - 1;
    tr.type = 0xb; tr.s = false; tr.dpl = 0; tr.present = true; tr.db = false; tr.usable = true;
    tr.refreshAccess();
    area.setRing1Stack(0, 0);
    // The hardware reads the VMM's GDT through its own mapping: hooks are not installed yet.
    const load = (cache: SegmentCache, selector: number): void => {
      const at = area.physical(VMM_LAYOUT.gdt + (selector & ~7));
      this.scratch.lo = machine.memory.read32(at);
      this.scratch.hi = machine.memory.read32(at + 4);
      fillCache(cache, selector, this.scratch);
    };
    load(st.segs[1]!, VMM_SELECTORS.kernelCs);
    for (const i of [0, 2, 3, 4, 5]) load(st.segs[i]!, VMM_SELECTORS.kernelDs);
    cpu.segmentsChanged();
    // The hardware IF is the VMM's and stays set; the guest's is shared_info's upcall_mask.
    cpu.setEflags(EFLAGS.IF, EFLAGS.IF | EFLAGS.IOPL);
    st.regs[6] = this.shared.startInfoPhys;
    cpu.watchPage(this.shared.sharedInfoPage, WATCH.SHARED_INFO);
    machine.attachTimer(this.timer);
    return undefined;
  }

  hasTrapEntry(vector: number): boolean { return this.trapVectors[vector] !== 0; }

  /** A write to the shared_info page: an unmask must be noticed before the next instruction. */
  onSharedInfoWrite(): void { this.vmm.cpu.noteInterruptCheck(); }

  // ---- entries into the VMM ------------------------------------------------------------------

  /** `int 0x82` from ring 1 (EIP already after it). */
  hypercall(): void {
    const { cpu, counters, events, type } = this.vmm;
    const r = cpu.state.regs;
    this.syncTime();
    counters.hypercalls++;
    if (type === 'type2') counters.worldSwitches++;
    const nr = r[0]! >>> 0, ebx = r[3]! >>> 0, ecx = r[1]! >>> 0, edx = r[2]! >>> 0;
    const start = cpu.instructionStart >>> 0;
    this.refusal = '';
    const result = dispatchHypercall(this, nr, ebx, ecx, edx);
    if (result !== null) r[0] = result | 0;
    events.add({ kind: 'hypercall', eip: start, detail: describeHypercall(nr, ebx, ecx, edx, result) + this.refusal, at: cpu.instructionsRetired });
    if (this.virtualInterrupts.hasPendingInterrupt() && this.shared.mask === 0) cpu.noteInterruptCheck();
  }

  /** The upcall, entered like an interrupt through the event callback; upcalls masked on entry. */
  deliverUpcall(): void {
    const { cpu, machine, area, counters, events, type } = this.vmm;
    const st = cpu.state;
    const mem = machine.memory;
    this.syncTime();
    counters.virtualInterrupts++;
    if (type === 'type2') counters.worldSwitches++;
    const from = st.eip >>> 0;
    const eax = st.regs[0]! >>> 0;
    const slot = area.physical(VMM_LAYOUT.guestIdt + UPCALL_VECTOR * 8);
    const oldLo = mem.read32(slot), oldHi = mem.read32(slot + 4);
    mem.write32(slot, gateLo(this.callbackCs, this.callbackEip));
    mem.write32(slot + 4, gateHi(this.callbackEip, 1));
    try {
      deliverEvent(cpu, UPCALL_VECTOR, 0, EVENT.EXTERNAL);
    } finally {
      mem.write32(slot, oldLo);
      mem.write32(slot + 4, oldHi);
    }
    this.shared.mask = 1;
    if (st.eip === this.callbackEip && st.segs[1]!.selector === this.callbackCs) {
      if (this.savedEax.size >= SAVED_FRAMES) this.savedEax.delete(this.savedEax.keys().next().value!);
      this.savedEax.set(this.stackLinear(), eax);
    }
    events.add({ kind: 'interrupt', eip: from, detail: 'upcall: timer event delivered through the event callback', at: cpu.instructionsRetired });
  }

  // ---- hypercalls (HypercallTarget) ----------------------------------------------------------

  setTrapTable(tableLin: number): number {
    const mem = this.vmm.machine.memory;
    const idt = this.vmm.area.physical(VMM_LAYOUT.guestIdt);
    if (tableLin === 0) {
      for (let off = 0; off <= VMM_IDT_LIMIT; off += 4) mem.write32(idt + off, 0);
      this.trapVectors.fill(0);
      return 0;
    }
    const entries: { vector: number; dpl: number; cs: number; handler: number }[] = [];
    for (let i = 0; ; i++) {
      const at = (tableLin + i * 8) >>> 0;
      if (!this.pointers.rangeOk(at, 8, false)) return this.refuse(ERRNO.EFAULT, `trap table entry ${i} at ${hex8(at)} is not in the guest's RAM`);
      const handler = this.pointers.read32((at + 4) | 0);
      if (handler === 0) break;
      if (i === MAX_TRAP_ENTRIES) return this.refuse(ERRNO.EINVAL, `trap table has more than ${MAX_TRAP_ENTRIES} entries (no handler-0 end)`);
      const vector = this.pointers.read8(at);
      const dpl = this.pointers.read8((at + 1) | 0);
      const cs = this.pointers.read16((at + 2) | 0);
      if (dpl > 3) return this.refuse(ERRNO.EINVAL, `trap table entry ${i}: dpl ${dpl}`);
      if (cs !== VMM_SELECTORS.kernelCs) return this.refuse(ERRNO.EINVAL, `trap table entry ${i}: cs 0x${cs.toString(16)} is not FLAT_KERNEL_CS 0xe019`);
      if (handler >= VMM_LINEAR_BASE) return this.refuse(ERRNO.EINVAL, `trap table entry ${i}: handler ${hex8(handler)} lies in the VMM's area`);
      entries.push({ vector, dpl, cs, handler });
    }
    for (const e of entries) {
      mem.write32(idt + e.vector * 8, gateLo(e.cs, e.handler));
      mem.write32(idt + e.vector * 8 + 4, gateHi(e.handler, e.dpl));
      this.trapVectors[e.vector] = 1;
    }
    return 0;
  }

  stackSwitch(ss: number, esp: number): number {
    if (ss !== VMM_SELECTORS.kernelDs) return this.refuse(ERRNO.EINVAL, `ss 0x${ss.toString(16)} is not FLAT_KERNEL_DS 0xe021`);
    this.vmm.area.setRing1Stack(ss, esp);
    return 0;
  }

  setCallbacks(cs: number, handler: number): number {
    if (cs !== VMM_SELECTORS.kernelCs) return this.refuse(ERRNO.EINVAL, `cs 0x${cs.toString(16)} is not FLAT_KERNEL_CS 0xe019`);
    if (handler === 0 || handler >= VMM_LINEAR_BASE) return this.refuse(ERRNO.EINVAL, `event handler ${hex8(handler)}`);
    this.callbackCs = cs;
    this.callbackEip = handler;
    return 0;
  }

  setTimerOp(deadlineNs: number): number {
    this.timer.set(deadlineNs, this.vmm.machine.clock.nowNs);
    // The CPU sizes its slices by the next timed event: a new deadline must end this one.
    this.vmm.cpu.endSlice();
    return 0;
  }

  xenVersion(): number { return XEN_VERSION; }

  consoleIo(cmd: number, length: number, bufferLin: number): number {
    if (cmd !== CONSOLEIO.write && cmd !== CONSOLEIO.read) return this.refuse(ERRNO.EINVAL, `console_io command ${cmd}`);
    if (length > MAX_CONSOLE_BYTES) return this.refuse(ERRNO.EINVAL, `console_io length ${length}`);
    const write = cmd === CONSOLEIO.write;
    if (!this.pointers.rangeOk(bufferLin, length, !write)) return this.refuse(ERRNO.EFAULT, `buffer ${hex8(bufferLin)}+${length} is not in the guest's RAM`);
    const { machine } = this.vmm;
    if (write) {
      // Through COM1's transmitter, as Xen prints a guest's console on its own serial line.
      for (let i = 0; i < length; i++) machine.uart.ioWrite(COM1_BASE_PORT, this.pointers.read8((bufferLin + i) | 0));
      return 0;
    }
    let n = 0;
    for (; n < length && machine.consoleInput.length > 0; n++) this.pointers.write8((bufferLin + n) | 0, machine.consoleInput.shift());
    return n;
  }

  /** Pops EIP, CS, EFLAGS (and ESP, SS to ring 3) with the CPU's own IRET checks, unmasks
   *  upcalls, and gives an upcall's interrupted context its EAX back (the hypercall number
   *  overwrote it; DESIGN's frame has no room for it, so the VMM kept it at delivery). */
  iret(): number | null {
    const { cpu } = this.vmm;
    const st = cpu.state;
    const frame = this.stackLinear();
    try {
      interruptReturn(cpu, 4);
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      const bad = e.vector === VECTOR.PF || e.vector === VECTOR.SS ? ERRNO.EFAULT : ERRNO.EINVAL;
      return this.refuse(bad, `the iret frame at ${hex8(frame)} does not return anywhere the guest may go (vector ${e.vector})`);
    }
    cpu.setEflags(EFLAGS.IF, EFLAGS.IF);
    const eax = this.savedEax.get(frame);
    if (eax !== undefined) {
      this.savedEax.delete(frame);
      st.regs[0] = eax | 0;
    }
    this.shared.mask = 0;
    cpu.noteInterruptCheck();
    return null;
  }

  mmuextOp(cmd: number, arg: number): number {
    const { cpu } = this.vmm;
    switch (cmd) {
      case MMUEXT.NEW_BASEPTR: {
        const problem = this.pointers.pageDirectoryProblem(arg);
        if (problem !== undefined) return this.refuse(ERRNO.EINVAL, `${problem}: memory the guest does not own`);
        cpu.writeCr3(arg);
        // RingLab's PV guest cannot write CR0: its first base pointer also turns paging on.
        if ((cpu.state.cr0 & CR0.PG) === 0) cpu.writeCr0((cpu.state.cr0 | CR0.PG) >>> 0);
        return 0;
      }
      case MMUEXT.TLB_FLUSH_LOCAL: cpu.flushTlb(true); return 0;
      case MMUEXT.INVLPG_LOCAL: cpu.invalidatePage(arg); return 0;
      default: return this.refuse(ERRNO.EINVAL, `mmuext_op command ${cmd}`);
    }
  }

  schedOp(cmd: number, arg: number): number {
    const { cpu, machine } = this.vmm;
    switch (cmd) {
      case SCHEDOP.yield: return 0;
      case SCHEDOP.block:
        // As Xen's SCHEDOP_block, blocking enables event delivery first.
        this.shared.mask = 0;
        if (this.virtualInterrupts.hasPendingInterrupt()) return 0;
        if (!this.timer.armed || this.callbackCs === 0) {
          machine.requestStop('halt', 0, 'sched_op block with no timer armed (or no event callback): nothing can wake the guest');
        } else {
          cpu.state.halted = true;
        }
        cpu.endSlice();
        return 0;
      case SCHEDOP.shutdown:
        // The exit port's mapping ((v << 1) | 1), so a PV port exits with its native twin's status.
        machine.requestStop('exit', (arg >>> 0) * 2 + 1);
        cpu.endSlice();
        return 0;
      default: return this.refuse(ERRNO.EINVAL, `sched_op command ${cmd}`);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private timerFired(): void {
    this.shared.pending = 1;
    this.vmm.cpu.noteInterruptCheck();
  }

  /** Brings virtual time up to date and publishes it in shared_info. */
  private syncTime(): void {
    this.vmm.cpu.syncTime();
    this.shared.setTime(this.vmm.machine.clock.nowNs);
  }

  private stackLinear(): number {
    const st = this.vmm.cpu.state;
    return (st.segs[2]!.base + st.regs[4]!) >>> 0;
  }

  private refuse(errno: number, why: string): number {
    this.refusal = `: ${why}`;
    return -errno;
  }
}

/** A 32-bit trap gate (the hardware IF is the VMM's and stays set; the guest's is upcall_mask). */
function gateLo(cs: number, handler: number): number { return ((cs << 16) | (handler & 0xffff)) >>> 0; }
function gateHi(handler: number, dpl: number): number {
  return ((handler & 0xffff0000) | GATE_PRESENT | ((dpl & 3) << 13) | GATE_TRAP32) >>> 0;
}

