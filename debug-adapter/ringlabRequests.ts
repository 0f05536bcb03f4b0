// RingLab's own DAP messages, as extension/protocol.ts declares them for the extension's views:
// `ringlab/state` (guest and hardware view, who owns the CPU, last event, counters),
// `ringlab/translationCache` (bt), `ringlab/pageTables` (a walk of CR3) and the `ringlab/vmmEvent`
// event (what the VMM did since the last stop). Built from core/debug; no decisions here.

import type { VmmEvent as CoreEvent } from '../core/hypervisor';
import { EXIT_REASON_NAMES } from '../core/hypervisor';
import { hypercallName } from '../core/hypervisor/hypercalls';
import { guestView } from '../core/debug/registers';
import type { DebugRun } from '../core/debug';
import { CR0, EFLAGS } from '../core/cpu/cpuState';
import type { PageTableEntry, PageTablesResponse, RingLabState, TranslationCacheResponse, VmmEvent, VmmEventKind } from '../extension/protocol';

const KIND: Readonly<Partial<Record<CoreEvent['kind'], VmmEventKind>>> = {
  trap: 'trap', exit: 'vmexit', hypercall: 'hypercall', hole: 'hole', translation: 'translation', callout: 'callout',
  interrupt: 'upcall', reflection: 'exception',
};
/** Entries listed at most by ringlab/pageTables. */
const MAX_ENTRIES = 4096;

export function toProtocolEvent(e: CoreEvent): VmmEvent | null {
  const kind = KIND[e.kind];
  if (kind === undefined) return null;
  const out: { -readonly [K in keyof VmmEvent]: VmmEvent[K] } = { kind, eip: e.eip >>> 0, detail: e.detail, instructions: e.at };
  if (e.instruction !== undefined) out.instruction = e.instruction;
  if (e.kind === 'exit' && e.reason !== undefined) {
    out.exitReason = e.reason;
    out.exitReasonName = EXIT_REASON_NAMES[e.reason] ?? `REASON_${e.reason}`;
    if (e.qualification !== undefined) out.qualification = e.qualification;
  }
  if (e.kind === 'hypercall') {
    const name = /^(\w+)\(/.exec(e.detail)?.[1];
    if (name !== undefined) {
      out.hypercallName = name;
      for (let nr = 0; nr < 64; nr++) if (hypercallName(nr) === name) { out.hypercall = nr; break; }
    }
  }
  return out;
}

export function stateOf(run: DebugRun): RingLabState {
  const { cpu, hypervisor: vmm } = run.guest;
  const view = guestView(cpu, vmm);
  const hwIf = (cpu.getEflags() & EFLAGS.IF) !== 0;
  const report = run.guest.report();
  const last = vmm?.events.last;
  const lastEvent = last !== undefined ? toProtocolEvent(last) : null;
  const inVmm = run.vmmFrame !== null;
  return {
    mode: vmm?.mode ?? 'native',
    hypervisor: vmm?.type ?? null,
    guest: { cpl: view.vcpl, if: view.vif, cr3: view.vcr3 },
    hardware: { cpl: cpu.state.cpl, if: hwIf, cr3: cpu.state.cr3 >>> 0 },
    ...(vmm?.mode === 'hardware-assisted' ? { vmxRoot: inVmm } : {}),
    owner: inVmm ? 'vmm' : view.vcpl === 3 ? 'guest-user' : 'guest-kernel',
    eip: run.eip,
    ...(lastEvent !== null ? { lastEvent } : {}),
    counters: {
      instructions: report.stats.instructions,
      traps: report.stats.traps,
      translations: report.stats.translations,
      hypercalls: report.stats.hypercalls,
      vmExits: report.stats.vmExits,
      worldSwitches: vmm?.counters.worldSwitches ?? 0,
      simulatedCycles: report.stats.simulatedCycles,
    },
  };
}

export function translationCacheOf(run: DebugRun): TranslationCacheResponse {
  const engine = run.guest.hypervisor?.engine as unknown as { listing?: () => { units: readonly { eip: number; instructions: readonly { eip: number; guest: string; translation: string }[] }[] } } | undefined;
  if (engine === undefined || typeof engine.listing !== 'function') return { blocks: [] };
  return {
    blocks: engine.listing().units.map((u) => ({
      guestAddr: u.eip >>> 0,
      listing: u.instructions.map((i) => i.translation),
      guest: u.instructions.map((i) => i.guest),
    })),
  };
}

/** The mappings of `cr3` (default: the current one), as 4 KiB and 4 MiB entries. */
export function pageTablesOf(run: DebugRun, cr3Arg?: number): PageTablesResponse {
  const cpu = run.guest.cpu;
  const cr3 = (cr3Arg ?? cpu.state.cr3) >>> 0;
  const paging = (cpu.state.cr0 & CR0.PG) !== 0;
  const kind = run.guest.hypervisor === null ? undefined : 'guest' as const;
  const entries: PageTableEntry[] = [];
  if (!paging) return { cr3, paging, entries, ...(kind !== undefined ? { kind } : {}) };
  const mem = cpu.memory;
  let truncated = false;
  const flags = (v: number): string => [[1, 'P'], [2, 'RW'], [4, 'US'], [32, 'A'], [64, 'D'], [128, 'PS'], [256, 'G']].filter(([b]) => (v & (b as number)) !== 0).map(([, n]) => n).join(' ');
  for (let i = 0; i < 1024 && !truncated; i++) {
    const pdeAddr = (cr3 & 0xfffff000) + 4 * i;
    if (!mem.contains(pdeAddr, 4)) break;
    const pde = mem.read32(pdeAddr) >>> 0;
    if ((pde & 1) === 0) continue;
    if ((pde & 0x80) !== 0) {
      entries.push({ virt: (i << 22) >>> 0, phys: (pde & 0xffc00000) >>> 0, flags: flags(pde), large: true });
      continue;
    }
    const table = (pde & 0xfffff000) >>> 0;
    for (let j = 0; j < 1024; j++) {
      if (!mem.contains(table + 4 * j, 4)) break;
      const pte = mem.read32(table + 4 * j) >>> 0;
      if ((pte & 1) === 0) continue;
      if (entries.length >= MAX_ENTRIES) { truncated = true; break; }
      entries.push({ virt: ((i << 22) | (j << 12)) >>> 0, phys: (pte & 0xfffff000) >>> 0, flags: flags(pte & pde | (pte & 0x60)) });
    }
  }
  return { cr3, paging, entries, ...(kind !== undefined ? { kind } : {}), ...(truncated ? { truncated } : {}) };
}
