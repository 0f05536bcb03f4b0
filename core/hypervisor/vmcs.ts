// The VMCS of the one vCPU as the debugger shows it: the controls in effect, the guest-state
// area (read live from the CPU, since under VT-x the CPU state IS the guest's) and the exit
// information of the last VM exit. Field names are Linux's (arch/x86/include/asm/vmx.h).

import type { Cpu } from '../cpu/cpu';
import { controlWords, type ControlWords, type EffectiveControls } from './vmcsControls';

export type VmcsFieldGroup = 'control' | 'guest-state' | 'exit-info';

export interface VmcsField {
  readonly name: string;
  readonly value: number;
  readonly group: VmcsFieldGroup;
}

/** What the hardware wrote into the exit-information fields at the last VM exit. */
export class ExitInfo {
  reason = 0;
  qualification = 0;
  /** VM_EXIT_INSTRUCTION_LEN: the exiting instruction's length (0 when no instruction exited). */
  instructionLength = 0;
  guestLinear = 0;
  guestPhysical = 0;
  /** VM_EXIT_INTR_INFO (exception exits), 0 otherwise. */
  interruptionInfo = 0;
  interruptionErrorCode = 0;
}

export class Vmcs {
  readonly words: ControlWords;
  /** The exit-information fields, rewritten in place at each exit (no allocation per exit). */
  readonly exitInfo = new ExitInfo();
  /** VM exits so far. */
  exits = 0;

  constructor(readonly controls: EffectiveControls, private readonly cpu: Cpu) {
    this.words = controlWords(controls);
  }

  /** Every field, controls first, then the guest-state area, then the exit information. */
  fields(): VmcsField[] {
    const st = this.cpu.state;
    const w = this.words;
    const e = this.exitInfo;
    const out: VmcsField[] = [];
    const add = (group: VmcsFieldGroup, name: string, value: number): void => { out.push({ name, value: value >>> 0, group }); };
    add('control', 'PIN_BASED_VM_EXEC_CONTROL', w.pinBased);
    add('control', 'CPU_BASED_VM_EXEC_CONTROL', w.primary);
    add('control', 'SECONDARY_VM_EXEC_CONTROL', w.secondary);
    add('control', 'EXCEPTION_BITMAP', w.exceptionBitmap);
    add('guest-state', 'GUEST_CR0', st.cr0);
    add('guest-state', 'GUEST_CR3', st.cr3);
    add('guest-state', 'GUEST_CR4', st.cr4);
    add('guest-state', 'GUEST_RIP', st.eip);
    add('guest-state', 'GUEST_RSP', st.regs[4]!);
    add('guest-state', 'GUEST_RFLAGS', this.cpu.getEflags());
    const segs = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'];
    for (let i = 0; i < segs.length; i++) add('guest-state', `GUEST_${segs[i]}_SELECTOR`, st.segs[i]!.selector);
    add('guest-state', 'GUEST_LDTR_SELECTOR', st.ldtr.selector);
    add('guest-state', 'GUEST_TR_SELECTOR', st.tr.selector);
    add('guest-state', 'GUEST_GDTR_BASE', st.gdtr.base);
    add('guest-state', 'GUEST_GDTR_LIMIT', st.gdtr.limit);
    add('guest-state', 'GUEST_IDTR_BASE', st.idtr.base);
    add('guest-state', 'GUEST_IDTR_LIMIT', st.idtr.limit);
    add('exit-info', 'VM_EXIT_REASON', e.reason);
    add('exit-info', 'EXIT_QUALIFICATION', e.qualification);
    add('exit-info', 'VM_EXIT_INSTRUCTION_LEN', e.instructionLength);
    add('exit-info', 'VM_EXIT_INTR_INFO', e.interruptionInfo);
    add('exit-info', 'VM_EXIT_INTR_ERROR_CODE', e.interruptionErrorCode);
    add('exit-info', 'GUEST_LINEAR_ADDRESS', e.guestLinear);
    add('exit-info', 'GUEST_PHYSICAL_ADDRESS', e.guestPhysical);
    return out;
  }

  /** The last VM exit's information, or null before the first. */
  get lastExit(): Readonly<ExitInfo> | null { return this.exits === 0 ? null : this.exitInfo; }
}
