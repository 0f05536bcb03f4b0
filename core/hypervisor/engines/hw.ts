// hardware-assisted (VT-x): the guest kernel runs in VMX non-root mode at ring 0 with its own GDT,
// IDT and page tables; nothing is deprivileged, so every sensitive instruction sees the guest's
// own state. The VMM ("ring -1") gets control only through VM exits, where the VMCS controls of
// the launch configuration say (vmcsControls.ts), with Intel's exit reasons and qualifications.
//
// Decisions (DESIGN leaves them open):
// - Defaults: hltExiting true, ioExiting 'unconditional', ept true (so CR3 load/store and INVLPG
//   do not exit, as KVM runs), exceptionBitmap [], interruptWindowExiting true. `ringlab run`
//   uses them; the debugger passes `vmcs` from the launch configuration.
// - Always exit: CPUID (10), VMCALL (18), INVD (13), RDMSR (31) and WRMSR (32) (no MSR bitmaps),
//   triple fault (2), EPT violation (48: the first access to each guest-physical page).
// - Never exit: MOV to/from CR0/CR4, CLTS, LMSW (guest/host masks 0), RDTSC, MOV DR, descriptor
//   tables (no descriptor-table exiting), INT n.
// - EPT off (shadow paging, as KVM): CR3 load and store exit, #PF is forced into the exception
//   bitmap, INVLPG exits; each hidden page fault (a TLB fill from guest tables) and each write to
//   a write-protected guest page table is a #PF exit (reason 0).
// - Interrupts: the PIT and PIC are the VMM's emulated devices, so there is no pin-based
//   external-interrupt exiting: each virtual interrupt is injected at VM entry (counted, no
//   exit). With interruptWindowExiting, an interrupt that became pending while the guest's IF was
//   0 gives one exit 7 when the guest opens IF.
// - Exception bitmap: the exception exits (reason 0), then the VMM re-injects it unchanged.
// - VMCALL: no hypercall ABI under hw; the VMM answers EAX = -38 (ENOSYS) at CPL 0, -1 (EPERM)
//   above (as KVM refuses hypercalls from user mode).
// - CPUID: the VMM passes the machine's leaves through unchanged (equivalence with native).

import type { CpuHooks, VirtualInterrupts } from '../../cpu/cpu';
import { hasErrorCode, VECTOR } from '../../cpu/cpuFault';
import { EFLAGS } from '../../cpu/cpuState';
import { EVENT, type EventKind } from '../../cpu/interrupts';
import { checkIoPermission } from '../../cpu/ioPermission';
import { RepKind, type Decoded } from '../../disasm/decoded';
import { CostSheet } from '../costModel';
import { VECTOR_NAMES } from '../../cpu/cpuFault';
import type { Engine, VmmContext } from '../engine';
import { Ept, type EptViolation } from '../ept';
import {
  CR_ACCESS_TYPE, crAccessQualification, EXIT_REASON, eptViolationQualification, exitReasonName, INTERRUPTION_TYPE,
  interruptionInfo, ioQualification, type EptAccess,
} from '../exitReasons';
import { spell } from '../guestCode';
import { registerEngine } from '../hypervisor';
import { INTERCEPT, interceptTable, IO_FORMS } from '../hwIntercepts';
import { ShadowPaging } from '../shadowPaging';
import { Vmcs } from '../vmcs';
import { DEFAULT_VMCS_CONTROLS, parseVmcsControls, type EffectiveControls } from '../vmcsControls';
import { WATCH } from '../watchBits';

/** The hw engine: an Engine plus its VMCS (for the debugger) and EPT (null with shadow paging). */
export interface HwEngine extends Engine {
  readonly vmcs: Vmcs;
  readonly ept: Ept | null;
}

export function isHwEngine(e: Engine): e is HwEngine {
  return e.mode === 'hardware-assisted' && 'vmcs' in e;
}

const ENOSYS = -38;
const EPERM = -1;
const hex = (v: number, width = 8): string => `0x${(v >>> 0).toString(16).padStart(width, '0')}`;

interface ExitRecord {
  reason: number;
  qualification: number;
  detail: string;
  eip: number;
  d?: Decoded;
  guestLinear?: number;
  guestPhysical?: number;
  interruptionInfo?: number;
  interruptionErrorCode?: number;
}

export function createHwEngine(vmm: VmmContext): HwEngine {
  const { cpu, counters, events, machine } = vmm;
  const parsed = parseVmcsControls(vmm.settings.vmcs);
  const controls: EffectiveControls = 'controls' in parsed ? parsed.controls : { ...DEFAULT_VMCS_CONTROLS, invlpgExiting: false, exceptionMask: 0 };
  const vmcs = new Vmcs(controls, cpu);
  const ept = controls.ept ? new Ept(cpu) : null;
  const ioExits = new Uint8Array(0x10000);
  for (const port of controls.ioBitmap) ioExits[port] = 1;
  /** Guest exceptions delivered through the guest's IDT (with or without an exit). */
  let guestExceptions = 0;
  /** An interrupt is waiting for the guest's IF: the VMM has armed interrupt-window exiting. */
  let windowArmed = false;

  const refuse = (message: string): never => {
    events.add({ kind: 'guest-error', eip: cpu.state.eip >>> 0, detail: message, at: cpu.instructionsRetired });
    return cpu.stopGuest(message);
  };
  const paging = ept === null ? new ShadowPaging(vmm, refuse) : null;

  function exit(r: ExitRecord): void {
    counters.exit(r.reason);
    if (vmm.type === 'type2') counters.worldSwitches++;
    const info = vmcs.exitInfo;
    info.reason = r.reason;
    info.qualification = r.qualification;
    info.instructionLength = r.d === undefined ? 0 : r.d.length;
    info.guestLinear = r.guestLinear ?? 0;
    info.guestPhysical = r.guestPhysical ?? 0;
    info.interruptionInfo = r.interruptionInfo ?? 0;
    info.interruptionErrorCode = r.interruptionErrorCode ?? 0;
    vmcs.exits++;
    const detail = `${exitReasonName(r.reason)} (${r.reason}): ${r.detail}`;
    const eip = r.eip >>> 0;
    const at = cpu.instructionsRetired;
    if (r.d === undefined) events.add({ kind: 'exit', eip, detail, reason: r.reason, qualification: r.qualification, at });
    else events.add({ kind: 'exit', eip, instruction: spell(r.d), detail, reason: r.reason, qualification: r.qualification, at });
  }

  /** The VMM's handling of an instruction exit: the guest is at CPL 0 in its own state, so the
   *  reference semantics on the CPU are the emulation (I/O reaches the emulated devices). */
  function emulate(d: Decoded): true {
    cpu.execute(d);
    return true;
  }

  function onIntercept(d: Decoded): boolean {
    const st = cpu.state;
    const eip = cpu.instructionStart >>> 0;
    const kind = intercepts[d.formId]!;
    // Exceptions from CPL checks take priority over VM exits (SDM vol. 3, 25.1.1).
    if (kind !== INTERCEPT.IO && kind !== INTERCEPT.CPUID && kind !== INTERCEPT.VMCALL && st.cpl !== 0) return false;
    switch (kind) {
      case INTERCEPT.HLT:
        exit({ reason: EXIT_REASON.HLT, qualification: 0, eip, d, detail: 'the VMM deschedules the vCPU until an interrupt is due' });
        return emulate(d);
      case INTERCEPT.CR: {
        if (d.reg !== 3) return false;
        const load = d.form!.operands[0] === 'creg';
        if (load ? !controls.cr3LoadExiting : !controls.cr3StoreExiting) return false;
        const qualification = crAccessQualification(3, load ? CR_ACCESS_TYPE.MOV_TO_CR : CR_ACCESS_TYPE.MOV_FROM_CR, d.rm);
        exit({
          reason: EXIT_REASON.CR_ACCESS, qualification, eip, d,
          detail: load ? `MOV to CR3 (${hex(st.regs[d.rm]!)})${paging ? ': the VMM switches shadow page tables' : ''}` : 'MOV from CR3: the VMM returns the guest\'s CR3',
        });
        return emulate(d);
      }
      case INTERCEPT.IO: return ioExit(d, eip);
      case INTERCEPT.CPUID:
        exit({ reason: EXIT_REASON.CPUID, qualification: 0, eip, d, detail: `leaf ${hex(st.regs[0]!)}: the VMM answers with the machine's leaves` });
        return emulate(d);
      case INTERCEPT.VMCALL: {
        const answer = st.cpl === 0 ? ENOSYS : EPERM;
        exit({ reason: EXIT_REASON.VMCALL, qualification: 0, eip, d, detail: `EAX ${hex(st.regs[0]!)}: no hypercall ABI under hw, the VMM returns ${answer}` });
        st.regs[0] = answer;
        return true;
      }
      case INTERCEPT.INVD:
        exit({ reason: EXIT_REASON.INVD, qualification: 0, eip, d, detail: 'INVD always exits' });
        return emulate(d);
      case INTERCEPT.INVLPG: {
        const linear = (st.segs[d.memSeg]!.base + cpu.effectiveAddress(d)) >>> 0;
        exit({ reason: EXIT_REASON.INVLPG, qualification: linear, eip, d, detail: `linear ${hex(linear)}: the VMM drops the shadow entry` });
        return emulate(d);
      }
      case INTERCEPT.RDMSR:
      case INTERCEPT.WRMSR: {
        const rd = kind === INTERCEPT.RDMSR;
        exit({ reason: rd ? EXIT_REASON.RDMSR : EXIT_REASON.WRMSR, qualification: 0, eip, d, detail: `MSR ${hex(st.regs[1]!)} (no MSR bitmaps: every access exits)` });
        return emulate(d);
      }
      default: return false;
    }
  }

  function ioExit(d: Decoded, eip: number): boolean {
    const io = IO_FORMS[d.formId]!;
    const port = io.immediate ? d.imm & 0xff : cpu.state.regs[2]! & 0xffff;
    // The IOPL / TSS bitmap check comes before the exit (a #GP is the guest's own).
    checkIoPermission(cpu, port, io.sizeBytes);
    if (controls.ioExiting === 'bitmap' && !bitmapHit(port, io.sizeBytes)) return false;
    const rep = io.string && d.rep !== RepKind.None;
    const qualification = ioQualification({ port, sizeBytes: io.sizeBytes, in: io.in, string: io.string, rep, immediate: io.immediate });
    exit({ reason: EXIT_REASON.IO_INSTRUCTION, qualification, eip, d, detail: `${io.in ? 'IN from' : 'OUT to'} port ${hex(port, 4)}, ${io.sizeBytes} byte(s)${rep ? ', REP' : ''}: the VMM's device model` });
    const before = machine.io.accesses;
    try {
      return emulate(d);
    } finally {
      counters.deviceEmulations += machine.io.accesses - before;
    }
  }

  function bitmapHit(port: number, size: number): boolean {
    for (let i = 0; i < size; i++) {
      const p = port + i;
      if (p > 0xffff || ioExits[p] !== 0) return true; // a wrap past 0xFFFF exits (SDM 25.1.3)
    }
    return false;
  }

  function onEvent(vector: number, errorCode: number, kind: EventKind): boolean {
    if (kind === EVENT.EXTERNAL) {
      counters.virtualInterrupts++;
      events.add({ kind: 'interrupt', eip: cpu.state.eip >>> 0, detail: `virtual interrupt, vector ${vector}, injected at VM entry through the guest's IDT`, at: cpu.instructionsRetired });
      return false;
    }
    const type = exceptionType(kind);
    if (type < 0) return false; // INT n: a software interrupt, never in the exception bitmap
    if (kind === EVENT.EXCEPTION) guestExceptions++;
    if ((controls.exceptionMask & (1 << vector)) === 0) return false;
    const hasCode = kind === EVENT.EXCEPTION && hasErrorCode(vector);
    const name = VECTOR_NAMES[vector] ?? `vector ${vector}`;
    exit({
      reason: EXIT_REASON.EXCEPTION_NMI, qualification: vector === VECTOR.PF && kind === EVENT.EXCEPTION ? cpu.state.cr2 >>> 0 : 0,
      eip: cpu.instructionStart, interruptionInfo: interruptionInfo(vector, type, hasCode), interruptionErrorCode: hasCode ? errorCode : 0,
      detail: `${name} is in the exception bitmap: the VMM re-injects it into the guest's IDT${hasCode ? ` (error code ${hex(errorCode, 4)})` : ''}`,
    });
    counters.reflections++;
    return false;
  }

  /** The VM-exit interruption type of an event, or -1 when it cannot cause an exception exit. */
  function exceptionType(kind: EventKind): number {
    if (kind === EVENT.EXCEPTION) return INTERRUPTION_TYPE.HARDWARE_EXCEPTION;
    if (kind === EVENT.ICEBP) return INTERRUPTION_TYPE.PRIVILEGED_SOFTWARE_EXCEPTION;
    // INT3 (CC) and INTO (CE) are software exceptions; INT n (CD ib) is not. The INT handlers
    // leave the instruction's start in instructionStart.
    const opcode = cpu.readLin8((cpu.state.segs[1]!.base + cpu.instructionStart) | 0);
    return opcode === 0xcc || opcode === 0xce ? INTERRUPTION_TYPE.SOFTWARE_EXCEPTION : -1;
  }

  function onTripleFault(): boolean {
    exit({ reason: EXIT_REASON.TRIPLE_FAULT, qualification: 0, eip: cpu.instructionStart, detail: 'the guest cannot deliver an exception, not even #DF: the VMM shuts the VM down' });
    return false;
  }

  function onTlbFill(linear: number, entry: number, write: boolean): number {
    if (ept !== null) {
      ept.fill(linear, entry, accessOf(linear, write), eptViolation, (phys, lin) => refuse(
        `EPT violation at guest-physical ${hex(phys)} (linear ${hex(lin)}): outside the guest's ` +
        `${cpu.memory.guestBytes >>> 20} MiB of RAM, in memory the hypervisor owns; the VMM refuses it`));
      return entry;
    }
    const hidden = counters.hiddenPageFaults;
    const out = paging!.onFill(linear, entry);
    if (counters.hiddenPageFaults !== hidden) {
      const code = (write ? 2 : 0) | (cpu.state.cpl === 3 ? 4 : 0);
      exit({
        reason: EXIT_REASON.EXCEPTION_NMI, qualification: linear >>> 0, eip: cpu.state.eip,
        interruptionInfo: interruptionInfo(VECTOR.PF, INTERRUPTION_TYPE.HARDWARE_EXCEPTION, true), interruptionErrorCode: code,
        detail: `hidden #PF at linear ${hex(linear)}: the VMM fills the shadow page table from the guest's (the guest never sees it)`,
      });
    }
    return out;
  }

  function eptViolation(v: EptViolation): void {
    exit({
      reason: EXIT_REASON.EPT_VIOLATION, qualification: eptViolationQualification(v.access, v.finalTranslation),
      eip: cpu.state.eip, guestLinear: v.linear, guestPhysical: v.guestPhysical,
      detail: `${v.access} of guest-physical ${hex(v.guestPhysical)}${v.finalTranslation ? '' : ' (the guest\'s page walk)'}: the VMM maps the page in the EPT`,
    });
  }

  /** Instruction fetches fill from the page EIP is in (the loop has not moved EIP past the
   *  instruction yet); a data access is past it. A data read of that very page reads as a fetch. */
  function accessOf(linear: number, write: boolean): EptAccess {
    if (write) return 'write';
    const at = (cpu.state.segs[1]!.base + cpu.state.eip) >>> 0;
    const page = (linear >>> 12);
    if (page === at >>> 12 || (page === ((at + 15) >>> 12) && (at & 0xfff) > 0xff0)) return 'fetch';
    return 'read';
  }

  function onWatchedWrite(phys: number): void {
    if (paging === null || (cpu.watchedPages[phys >>> 12]! & WATCH.PAGE_TABLE) === 0) return;
    paging.onWrite(phys);
    exit({
      reason: EXIT_REASON.EXCEPTION_NMI, qualification: 0, eip: cpu.state.eip,
      interruptionInfo: interruptionInfo(VECTOR.PF, INTERRUPTION_TYPE.HARDWARE_EXCEPTION, true), interruptionErrorCode: 3 | (cpu.state.cpl === 3 ? 4 : 0),
      detail: `write to the write-protected guest page table at physical ${hex(phys)}: the VMM updates the shadow`,
    });
  }

  const ifOpen = (): boolean => (cpu.state.flagsRest & EFLAGS.IF) !== 0;
  const virtualInterrupts: VirtualInterrupts = {
    // Asked before every interrupt check: where the VMM sees the guest's IF close on a pending
    // interrupt (it arms interrupt-window exiting) and open again (the window exit).
    get interruptsEnabled(): boolean {
      const open = ifOpen();
      if (!controls.interruptWindowExiting) return open;
      if (!open) {
        if (!windowArmed && machine.pic.hasPendingInterrupt()) windowArmed = true;
      } else if (windowArmed) {
        windowArmed = false;
        exit({ reason: EXIT_REASON.INTERRUPT_WINDOW, qualification: 0, eip: cpu.state.eip, detail: 'the guest opened IF with an interrupt pending: the VMM injects it now' });
      }
      return open;
    },
    hasPendingInterrupt: () => machine.pic.hasPendingInterrupt(),
    acknowledge: () => machine.pic.acknowledge(),
  };

  const intercepts = interceptTable(controls);
  const hooks: CpuHooks = { onEvent, onIntercept, onTripleFault, onTlbFill, ...(paging !== null ? { onWatchedWrite } : {}) };

  return {
    mode: 'hardware-assisted',
    vmcs,
    ept,
    hooks,
    interceptForms: intercepts,
    virtualInterrupts,
    start: () => ('error' in parsed ? parsed.error : undefined),
    view: () => ({ vcpl: cpu.state.cpl, vif: ifOpen(), vcr3: cpu.state.cr3 >>> 0 }),
    costSheet: (instructions, ioAccesses) => {
      const c = counters;
      const ioExitCount = c.vmExits.get(EXIT_REASON.IO_INSTRUCTION) ?? 0;
      const eptViolations = c.vmExits.get(EXIT_REASON.EPT_VIOLATION) ?? 0;
      // Shadow updates are #PF exits too; their published cost (ptemod under VT) includes the exit.
      const otherExits = c.totalExits - ioExitCount - eptViolations - c.shadowUpdates;
      return new CostSheet()
        .add('instruction', instructions)
        .add('vmExit', otherExits)
        .add('hwIoExit', ioExitCount)
        .add('vtShadowUpdate', eptViolations + c.shadowUpdates)
        .add('vtReflectedFault', guestExceptions)
        .add('nativeIo', ioAccesses - c.deviceEmulations)
        .add('worldSwitch', c.worldSwitches);
    },
  };
}

registerEngine('hardware-assisted', createHwEngine);

