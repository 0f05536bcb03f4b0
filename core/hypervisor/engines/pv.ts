// paravirtual (pv): the guest is modified to know it runs at ring 1 (DESIGN's Xen-inspired ABI).
// No ring compression and no shadow tables: the guest kernel runs at ring 1 on the VMM's flat
// selectors (0xE019/0xE021, 0xE02B/0xE033 for ring 3), the hardware IDT is the one the VMM built
// from its trap table, and it asks for privileged work by hypercall (`int 0x82`). A privileged
// or I/O instruction at ring 1 is a guest bug: the run stops with the hypercall to use instead.
// Sensitive unprivileged instructions run (the guest knows its ring) but are reported as holes,
// except segment-register moves on the ABI's selectors and the hypercall itself.
//
// RingLab decisions where DESIGN is silent (see also pvDomain.ts and sharedInfo.ts):
// - The first mmuext_op NEW_BASEPTR also turns paging on (a PV guest cannot write CR0).
// - sched_op shutdown with code c stops with status (c << 1) | 1, as the exit port does.
// - A #PF's address is stored at shared_info +16 (a ring-1 kernel cannot read CR2).
// - The iret hypercall gives an upcall's interrupted context its EAX back.
// - Guest page tables are validated when installed (NEW_BASEPTR) and at every TLB fill (a later
//   entry mapping VMM memory stops the guest); they are not write-protected as Xen's are.
// - Exceptions go through the trap-table IDT directly (trap gates); the cost model charges each
//   as the bounce through the VMM that Xen makes of it.

import type { Decoded } from '../../disasm/decoded';
import { Decoded as DecodedRecord } from '../../disasm/decoded';
import { VECTOR } from '../../cpu/cpuFault';
import { EVENT, type EventKind } from '../../cpu/interrupts';
import { FORMS, type Form } from '../../isa';
import { PV_HYPERCALLS, pvReplacement } from '../../lint/hypercalls';
import { CostSheet } from '../costModel';
import { VECTOR_NAMES } from '../../cpu/cpuFault';
import type { Engine, VmmContext } from '../engine';
import { decodeGuestAt, spell } from '../guestCode';
import { HYPERCALL_VECTOR } from '../hypercalls';
import { registerEngine } from '../hypervisor';
import { PvDomain } from '../pvDomain';
import { guardVmmArea } from '../shadowPaging';
import { WATCH } from '../watchBits';

const SEGMENT_OPERANDS = new Set(['sreg', 'es', 'cs', 'ss', 'ds', 'fs', 'gs']);

/** Sensitive forms a PV kernel must not use (reported), by form id. */
function reportedForms(): Uint8Array {
  const table = new Uint8Array(FORMS.length);
  for (const f of FORMS) {
    if (f.privilege === 'sensitive' && !f.operands.some((k) => SEGMENT_OPERANDS.has(k))) table[f.id] = 1;
  }
  return table;
}

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/** What the guest should have used instead (core/lint's PV replacement; any I/O form as OUT's). */
function hypercallHint(form: Form, d: Decoded): string {
  const hint = pvReplacement(form, d.reg) ?? (form.privilege === 'io' ? PV_HYPERCALLS['out'] : undefined);
  return hint ?? 'DESIGN\'s PV ABI has no hypercall for it: the VMM keeps this state';
}

const PRIVILEGE_WORDS: Readonly<Record<string, string>> = {
  privileged: 'privileged instruction', iopl: 'IOPL-sensitive instruction', io: 'I/O instruction',
};

export function createPvEngine(vmm: VmmContext): Engine {
  const domain = new PvDomain(vmm);
  const { cpu, counters, events, holes } = vmm;
  const record = new DecodedRecord();

  const stop = (message: string): never => {
    events.add({ kind: 'guest-error', eip: cpu.instructionStart >>> 0, detail: message, at: cpu.instructionsRetired });
    return cpu.stopGuest(message);
  };

  /** A #GP at ring 1 from a privileged, IOPL-sensitive or I/O instruction ends the run. */
  const refusePrivileged = (): void => {
    const start = cpu.instructionStart >>> 0;
    if (!decodeGuestAt(cpu, start, record)) return;
    const form = record.form!;
    const what = PRIVILEGE_WORDS[form.privilege];
    if (what === undefined) return;
    stop(`${what} \`${spell(record)}\` at ${hex8(start)}: a PV guest runs at ring 1 and must use a hypercall instead (${hypercallHint(form, record)})`);
  };

  const onEvent = (vector: number, errorCode: number, kind: EventKind): boolean => {
    const st = cpu.state;
    if (kind === EVENT.SOFTWARE && vector === HYPERCALL_VECTOR && st.cpl === 1) { domain.hypercall(); return true; }
    if (kind === EVENT.EXTERNAL) { domain.deliverUpcall(); return true; }
    if (kind === EVENT.EXCEPTION) {
      if (vector === VECTOR.GP && st.cpl === 1) refusePrivileged();
      if (vector === VECTOR.PF) domain.shared.setCr2(st.cr2);
      const name = VECTOR_NAMES[vector] ?? `vector ${vector}`;
      if (!domain.hasTrapEntry(vector)) {
        stop(`${name} (error code ${errorCode}) at ${hex8(cpu.instructionStart)} in ring ${st.cpl}, and the guest's trap table has no entry for vector ${vector} (set_trap_table)`);
      }
      // Xen bounces every exception through itself; software interrupts with a trap-table entry
      // (int 0x80) get a direct gate (Xen's int80 direct trap) and cost nothing extra.
      counters.reflections++;
      if (vmm.type === 'type2') counters.worldSwitches++;
      events.add({ kind: 'reflection', eip: cpu.instructionStart >>> 0, detail: `${name} (error code ${errorCode}) delivered through the guest's trap table`, at: cpu.instructionsRetired });
    }
    return false; // delivered by the hardware through the trap-table IDT
  };

  const reported = reportedForms();
  const onIntercept = (d: Decoded): boolean => {
    if (cpu.state.cpl !== 1) return false;
    if (d.form!.mnemonic === 'int' && (d.imm & 0xff) === HYPERCALL_VECTOR) return false;
    const start = cpu.instructionStart >>> 0;
    const detail = 'sensitive but unprivileged: it runs at ring 1 without trapping and sees the VMM\'s state; a PV guest must not use it';
    counters.holes++;
    if (holes.record(start, spell(d), detail)) {
      events.add({ kind: 'guest-error', eip: start, instruction: spell(d), detail, at: cpu.instructionsRetired });
    }
    return false;
  };

  return {
    mode: 'paravirtual',
    hooks: {
      onEvent,
      onIntercept,
      onWatchedWrite: (phys) => {
        if ((cpu.watchedPages[phys >>> 12]! & WATCH.SHARED_INFO) !== 0) domain.onSharedInfoWrite();
      },
      onTlbFill: (lin, entry) => { guardVmmArea(vmm, lin, entry, stop); return entry; },
      mapHostLinear: (lin) => vmm.area.tlbEntry(lin),
    },
    interceptForms: reported,
    virtualInterrupts: domain.virtualInterrupts,
    start: () => domain.start(),
    view: () => {
      const vif = domain.shared.mask === 0;
      vmm.vcpu.vcpl = cpu.state.cpl;
      vmm.vcpu.vif = vif;
      return { vcpl: cpu.state.cpl, vif, vcr3: cpu.state.cr3 >>> 0 };
    },
    costSheet: (instructions) => new CostSheet()
      .add('instruction', instructions)
      .add('hypercall', counters.hypercalls)
      .add('faultRoundTrip', counters.virtualInterrupts + counters.reflections)
      .add('worldSwitch', counters.worldSwitches),
  };
}

registerEngine('paravirtual', createPvEngine);
