// trap-and-emulate: the classic VMM. The guest kernel runs deprivileged at ring 1; every
// privileged instruction faults (#GP) and the VMM emulates it on the virtual CPU. The sensitive
// but unprivileged instructions (Robin and Irvine's list) do not fault: they run with the
// hardware's answer, and each is recorded as a hole. IRET from the kernel is emulated too (it
// would silently keep IF at ring 1); the VMM built the frames it returns through.

import type { Decoded } from '../../disasm/decoded';
import { FORMS } from '../../isa';
import { DeprivilegedGuest } from '../deprivileged';
import type { Engine, VmmContext } from '../engine';
import { spell } from '../guestCode';
import { describeHole } from '../holes';
import { registerEngine } from '../hypervisor';

const INTERCEPT_HOLE = 1;
const INTERCEPT_IRET = 2;

function interceptTable(): Uint8Array {
  const table = new Uint8Array(FORMS.length);
  for (const f of FORMS) {
    if (f.privilege === 'sensitive') table[f.id] = INTERCEPT_HOLE;
    else if (f.flow === 'iret') table[f.id] = INTERCEPT_IRET;
  }
  return table;
}

export function createTrapEngine(vmm: VmmContext): Engine {
  const guest = new DeprivilegedGuest(vmm);
  const intercepts = interceptTable();
  const onIntercept = (d: Decoded): boolean => {
    if (guest.syncCpl() !== 0) return false; // user code runs at its own ring: nothing to hide
    const { cpu, counters, events, holes } = vmm;
    const start = cpu.instructionStart >>> 0;
    if (intercepts[d.formId] === INTERCEPT_IRET) {
      guest.emulateHere(d);
      counters.traps++;
      events.add({ kind: 'trap', eip: start, instruction: spell(d), detail: 'IRET from the deprivileged kernel: the VMM restores the virtual IF and CPL', at: cpu.instructionsRetired });
      return true;
    }
    const detail = describeHole(vmm, d);
    counters.holes++;
    if (holes.record(start, spell(d), detail)) {
      events.add({ kind: 'hole', eip: start, instruction: spell(d), detail, at: cpu.instructionsRetired });
    }
    return false;
  };
  return {
    mode: 'trap-and-emulate',
    hooks: { ...guest.baseHooks(), onIntercept },
    interceptForms: intercepts,
    virtualInterrupts: guest.virtualInterrupts,
    start: () => { guest.start(); return undefined; },
    view: () => guest.view(),
    costSheet: (instructions, io) => guest.sheet(instructions, io, 'btIo').add('faultRoundTrip', vmm.counters.traps),
  };
}

registerEngine('trap-and-emulate', createTrapEngine);
