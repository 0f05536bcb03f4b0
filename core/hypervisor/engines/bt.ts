// binary-translation: the guest kernel runs deprivileged at ring 1 (as under trap) but from the
// translation cache; user code (ring 3) runs directly. Kernel code is translated into units on
// first entry (a branch, a reflected event, boot); IDENT instructions are copied, so the
// interpreter runs them as they are, and every other one (privileged, IOPL, I/O, Robin and
// Irvine's sensitive list, IRET) is intercepted at virtual CPL 0 and done as its translation
// says: an inline sequence or a call-out, both on the virtual CPU with the reference semantics,
// so the guest sees what it would see at ring 0. Writes to translated code drop its units.

import { CpuFault } from '../../cpu/cpuFault';
import { CR0 } from '../../cpu/cpuState';
import { TLB } from '../../cpu/tlb';
import type { Decoded } from '../../disasm/decoded';
import { FORMS } from '../../isa';
import { DeprivilegedGuest } from '../deprivileged';
import type { Engine, VmmContext } from '../engine';
import { spell } from '../guestCode';
import { registerEngine } from '../hypervisor';
import { DEFAULT_CACHE_UNITS, TranslationCache } from '../translationCache';
import { listTranslationCache, type TranslationListing } from '../translationListing';
import { TRANSLATION, translateUnit, translationKinds, unitLabel } from '../translator';
import { WATCH } from '../watchBits';

/** Units translated ahead along a chain of continuations from one entry. */
const MAX_CHAIN_UNITS = 64;
/** A guest write may cover this many bytes from the address the watch reports. */
const WRITE_BYTES = 4;

export interface BinaryTranslationEngine extends Engine {
  readonly mode: 'binary-translation';
  readonly translationCache: TranslationCache;
  /** The cache's units with guest/translation pairs (debugger, `--listing`). */
  listing(): TranslationListing;
}

export function isBinaryTranslation(engine: Engine): engine is BinaryTranslationEngine {
  return engine.mode === 'binary-translation';
}

export interface BtOptions {
  /** Units the translation cache holds before it is flushed (tests use small ones). */
  readonly cacheUnits?: number;
}

export function createBtEngine(vmm: VmmContext, options: BtOptions = {}): BinaryTranslationEngine {
  const { cpu, counters, events } = vmm;
  const guest = new DeprivilegedGuest(vmm);
  guest.emulatesUserIo = true;
  const kinds = translationKinds();
  const cache = new TranslationCache({
    pageUsed: (page) => cpu.watchPage(page, WATCH.TRANSLATED),
    pageFree: (page) => cpu.unwatchPage(page, WATCH.TRANSLATED),
  }, options.cacheUnits ?? DEFAULT_CACHE_UNITS);

  /** Physical address of the guest's `eip` through its current translation, or -1 (a fetch
   *  there will fault by itself; looking must not change what the guest sees, CR2 included). */
  const physicalOf = (eip: number): number => {
    const st = cpu.state;
    const lin = (st.segs[1]!.base + eip) | 0;
    if ((st.cr0 & CR0.PG) === 0) return lin >>> 0;
    const cr2 = st.cr2;
    try {
      return cpu.translate(lin, TLB.VALID, false, false);
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      st.cr2 = cr2;
      return -1;
    }
  };

  /** Kernel code is about to run at `eip`: translate its unit (and the chained continuations)
   *  unless the cache holds it. */
  const enter = (eip: number): void => {
    let phys = physicalOf(eip);
    const guestBytes = cpu.memory.guestBytes;
    for (let n = 0; n < MAX_CHAIN_UNITS; n++) {
      if (phys < 0 || phys >= guestBytes || cache.lookup(phys) !== undefined) return;
      const paged = (cpu.state.cr0 & CR0.PG) !== 0;
      const contiguousEnd = paged ? (phys & ~0xfff) + 0x1000 : guestBytes;
      const unit = translateUnit({ bytes: cpu.memory.bytes, contiguousEnd: Math.min(contiguousEnd, guestBytes) }, phys, eip, kinds, cpu.instructionsRetired);
      cache.insert(unit);
      counters.translations++;
      counters.translatedInstructions += unit.instructions.length;
      events.add({ kind: 'translation', eip: unit.eip, detail: `${unitLabel(unit.eip)}: ${unit.instructions.length} guest instruction(s) translated`, at: cpu.instructionsRetired });
      if (unit.continuation === null) return;
      eip = unit.continuation;
      phys = unit.end === 'limit' ? phys + unit.byteLength : physicalOf(eip);
    }
  };

  const note = (kind: 'inline' | 'callout', d: Decoded): void => {
    if (events.listener === null) return; // they happen a lot: recorded only when someone listens
    events.add({ kind, eip: d.addr >>> 0, instruction: spell(d), detail: kind === 'inline' ? 'inline sequence in the translation cache' : 'call-out into the VMM', at: cpu.instructionsRetired });
  };

  const onIntercept = (d: Decoded): boolean => {
    const kind = kinds[d.formId]!;
    if (guest.syncCpl() !== 0) {
      // User code runs directly, with two exceptions. The forms that read or write IF and IOPL
      // (cli, sti, pushf, popf) would show the hardware's (IOPL 0, IF 1) to a guest that gave
      // its user code IOPL 3: they run on the virtual CPU, as in the kernel. And a far transfer
      // through a gate enters the kernel without an event: the VMM runs it to see where it lands.
      if (kind === TRANSLATION.INLINE) {
        counters.inlineSequences++;
        guest.emulateFaulting(d);
        return true;
      }
      const flow = d.form!.flow;
      if (flow !== 'farcall' && flow !== 'farjump') return false;
      cpu.execute(d);
      if (guest.syncCpl() === 0) enter(cpu.state.eip >>> 0);
      return true;
    }
    switch (kind) {
      case TRANSLATION.INLINE:
        counters.inlineSequences++;
        note('inline', d);
        guest.emulateFaulting(d);
        break;
      case TRANSLATION.CALLOUT:
        counters.callouts++;
        note('callout', d);
        guest.emulateFaulting(d);
        break;
      case TRANSLATION.SOFT_INT:
        // Raised as it is: the VMM's event handler delivers it through the guest's IDT with
        // the guest's CPL (the gate's DPL checked against 0, not 1).
        counters.callouts++;
        note('callout', d);
        guest.noteVmmEntry();
        cpu.execute(d);
        break;
      case TRANSLATION.INDIRECT:
        counters.indirectBranches++;
        cpu.execute(d);
        break;
      default:
        cpu.execute(d);
    }
    // Control left the unit (a branch, or a sequence that transferred): translate the target.
    if ((d.form!.flow !== undefined || cpu.state.eip !== ((d.addr + d.length) >>> 0)) && guest.syncCpl() === 0) enter(cpu.state.eip >>> 0);
    return true;
  };

  const base = guest.baseHooks();
  const onEvent = base.onEvent!;
  guest.extraWatch = (phys, bits) => {
    if ((bits & WATCH.TRANSLATED) === 0) return;
    const dropped = cache.invalidate(phys, WRITE_BYTES);
    if (dropped.length === 0) return;
    counters.invalidations += dropped.length;
    events.add({
      kind: 'invalidation', eip: cpu.instructionStart >>> 0,
      detail: `write to translated code at physical 0x${(phys >>> 0).toString(16)}: dropped ${dropped.map((u) => unitLabel(u.eip)).join(', ')}`,
      at: cpu.instructionsRetired,
    });
  };

  const intercepts = new Uint8Array(kinds.length);
  for (let id = 0; id < kinds.length; id++) intercepts[id] = kinds[id] === TRANSLATION.IDENT ? 0 : 1;
  // User code runs directly: only what onIntercept handles at CPL 3 (the INLINE forms and far
  // transfers) is intercepted there; its branches need no translation.
  const userIntercepts = new Uint8Array(kinds.length);
  for (const f of FORMS) userIntercepts[f.id] = kinds[f.id] === TRANSLATION.INLINE || f.flow === 'farcall' || f.flow === 'farjump' ? 1 : 0;

  return {
    mode: 'binary-translation',
    translationCache: cache,
    listing: () => listTranslationCache(cache),
    hooks: {
      ...base,
      onIntercept,
      onEvent: (vector, errorCode, kind) => {
        const handled = onEvent(vector, errorCode, kind);
        if (guest.syncCpl() === 0) enter(cpu.state.eip >>> 0);
        return handled;
      },
    },
    interceptForms: intercepts,
    userInterceptForms: userIntercepts,
    virtualInterrupts: guest.virtualInterrupts,
    start: () => {
      guest.start();
      if (vmm.vcpu.vcpl === 0) enter(cpu.state.eip >>> 0);
      return undefined;
    },
    view: () => guest.view(),
    costSheet: (instructions, io) => guest.sheet(instructions, io, 'btIo', 'callout')
      .add('faultRoundTrip', counters.traps)
      .add('translation', counters.translations)
      .add('inlineSequence', counters.inlineSequences)
      .add('callout', counters.callouts)
      .add('indirectBranch', counters.indirectBranches),
  };
}

registerEngine('binary-translation', (vmm) => createBtEngine(vmm));
