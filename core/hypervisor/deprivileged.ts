// What the two ring-1 engines (trap-and-emulate and binary translation) share: the guest kernel
// deprivileged by ring compression, shadow paging, virtual interrupts from the virtual PIC gated
// by the virtual IF, and the VMM's answer to every event the hardware raises: a #GP from the
// kernel is a privileged instruction to emulate on the virtual CPU; anything else is reflected
// into the guest through its own IDT.

import type { CpuHooks, VirtualInterrupts } from '../cpu/cpu';
import { VECTOR, VECTOR_NAMES } from '../cpu/cpuFault';
import { EVENT, type EventKind } from '../cpu/interrupts';
import { Decoded } from '../disasm/decoded';
import { type CostName, CostSheet } from './costModel';
import type { VmmContext } from './engine';
import { decodeGuestAt, spell } from './guestCode';
import { RingCompression } from './ringCompression';
import { ShadowPaging } from './shadowPaging';
import type { VcpuView } from './vcpu';
import { WATCH } from './watchBits';

export class DeprivilegedGuest {
  readonly rings: RingCompression;
  readonly paging: ShadowPaging;
  readonly virtualInterrupts: VirtualInterrupts;
  private readonly record = new Decoded();

  constructor(private readonly vmm: VmmContext) {
    this.rings = new RingCompression(vmm);
    this.paging = new ShadowPaging(vmm, (message) => this.refuse(message));
    const { vcpu, machine } = vmm;
    this.virtualInterrupts = {
      get interruptsEnabled() { return vcpu.vif; },
      hasPendingInterrupt: () => machine.pic.hasPendingInterrupt(),
      acknowledge: () => machine.pic.acknowledge(),
    };
  }

  start(): void { this.rings.start(); }

  /** The hooks both engines install (each adds its own onIntercept). */
  baseHooks(): CpuHooks {
    return {
      onEvent: (vector, errorCode, kind) => this.onEvent(vector, errorCode, kind),
      onTripleFault: () => false,
      onWatchedWrite: (phys) => this.onWatchedWrite(phys),
      onTlbFill: (lin, entry) => this.paging.onFill(lin, entry),
      mapHostLinear: (lin) => this.vmm.area.tlbEntry(lin),
    };
  }

  view(): VcpuView {
    const { vcpu, cpu } = this.vmm;
    return { vcpl: vcpu.vcpl, vif: vcpu.vif, vcr3: cpu.state.cr3 >>> 0 };
  }

  /** Every exception and interrupt the hardware raises while the guest runs. */
  onEvent(vector: number, errorCode: number, kind: EventKind): boolean {
    const { cpu, vcpu, counters, events } = this.vmm;
    const at = cpu.instructionsRetired;
    this.rings.syncCpl();
    if (kind === EVENT.EXTERNAL) {
      counters.virtualInterrupts++;
      events.add({ kind: 'interrupt', eip: cpu.state.eip >>> 0, detail: `virtual interrupt, vector ${vector}, delivered through the guest's IDT`, at });
      this.rings.reflect(vector, errorCode, kind);
      return true;
    }
    if (kind === EVENT.EXCEPTION && vector === VECTOR.GP && (vcpu.vcpl === 0 || this.emulatesUserIo)) {
      const start = cpu.instructionStart >>> 0;
      const d = this.record;
      const ring = cpu.state.cpl;
      if (decodeGuestAt(cpu, start, d) && (vcpu.vcpl === 0 || isIoplSensitive(d))) {
        this.noteVmmEntry();
        const completed = this.rings.emulate(d, start, (start + d.length) >>> 0);
        if (completed) {
          counters.traps++;
          cpu.faultsDelivered--;
          cpu.instructionsRetired++;
          events.add({ kind: 'trap', eip: start, instruction: spell(d), detail: `#GP at ring ${ring}: the VMM emulated it on the virtual CPU`, at });
        } else {
          counters.reflections++;
          events.add({ kind: 'reflection', eip: start, instruction: spell(d), detail: `#GP at ring ${ring}, and it faults at the guest's ring ${vcpu.vcpl} too: delivered to the guest`, at });
        }
        return true;
      }
    }
    counters.reflections++;
    const name = VECTOR_NAMES[vector] ?? (kind === EVENT.SOFTWARE ? `int 0x${vector.toString(16)}` : `vector ${vector}`);
    events.add({ kind: 'reflection', eip: cpu.instructionStart >>> 0, detail: `${name} reflected to the guest's IDT (error code ${errorCode})`, at });
    this.rings.reflect(vector, errorCode, kind);
    return true;
  }

  /** Call first in an engine's onIntercept: the virtual CPL as of now. */
  syncCpl(): number {
    this.rings.syncCpl();
    return this.vmm.vcpu.vcpl;
  }

  /** Emulates `d` (the CPU is past it) as the VMM does for a call-out or an emulated IRET. */
  emulateHere(d: Decoded): void {
    const cpu = this.vmm.cpu;
    const start = cpu.instructionStart >>> 0;
    this.noteVmmEntry();
    this.rings.emulate(d, start, cpu.state.eip >>> 0);
  }

  /** Emulates `d` (the CPU is past it) on the virtual CPU like emulateHere, but a fault leaves
   *  as a CpuFault, exactly as if the hardware had raised it (bt's translated sequences). */
  emulateFaulting(d: Decoded): void {
    this.noteVmmEntry();
    this.rings.enterVirtual();
    try {
      this.vmm.cpu.execute(d);
    } finally {
      this.rings.leaveVirtual();
    }
  }

  /** Type 2: every entry to the VMM goes through the host OS first (a world switch). */
  noteVmmEntry(): void {
    if (this.vmm.type === 'type2') this.vmm.counters.worldSwitches++;
  }

  private onWatchedWrite(phys: number): void {
    const bits = this.vmm.cpu.watchedPages[phys >>> 12]!;
    if ((bits & WATCH.PAGE_TABLE) !== 0) this.paging.onWrite(phys);
    if ((bits & WATCH.GDT) !== 0) this.rings.noteGdtWrite(phys);
    this.extraWatch?.(phys, bits);
  }

  /** bt: a ring-3 IOPL-sensitive or I/O instruction that faulted only because the hardware
   *  holds the VMM's IOPL (0) and TSS (no I/O bitmap) is emulated against the guest's. */
  emulatesUserIo = false;

  /** An engine's own watched pages (bt: translated code). */
  extraWatch: ((phys: number, bits: number) => void) | null = null;

  private refuse(message: string): never {
    const { cpu, events } = this.vmm;
    events.add({ kind: 'guest-error', eip: cpu.instructionStart >>> 0, detail: message, at: cpu.instructionsRetired });
    return cpu.stopGuest(message);
  }

  /** The costs both engines share; each adds its own lines. A guest page-table write costs a
   *  fault into the VMM (`trap`), or a call-out once adaptive translation has rewritten the
   *  writing instruction (`bt`, as Adams and Agesen describe). */
  sheet(instructions: number, ioAccesses: number, ioCost: CostName, shadowUpdateCost: CostName = 'faultRoundTrip'): CostSheet {
    const c = this.vmm.counters;
    return new CostSheet()
      .add('instruction', instructions)
      .add(ioCost, ioAccesses)
      .add('faultRoundTrip', c.reflections + c.virtualInterrupts + c.hiddenPageFaults)
      .add(shadowUpdateCost, c.shadowUpdates)
      .add('worldSwitch', c.worldSwitches + (this.vmm.type === 'type2' ? ioAccesses : 0));
  }
}

function isIoplSensitive(d: Decoded): boolean {
  const privilege = d.form!.privilege;
  return privilege === 'iopl' || privilege === 'io';
}
