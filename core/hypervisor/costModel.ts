// The cost model: one table of constants, each with where it comes from, that turns a run's
// counts into simulated cycles. Published figures are Adams and Agesen's Pentium 4 nanobenchmarks
// (ASPLOS 2006, as quoted in shared/REFERENCES.md); a constant derived from them says how; one
// with no published figure says "modelled". Counts are measured; cycles are modelled.

import type { VmmCounters } from './counters';

export type CostBasis = 'published' | 'derived' | 'modelled';

export interface CostConstant {
  readonly cycles: number;
  readonly basis: CostBasis;
  readonly source: string;
}

const AA = 'Adams & Agesen, ASPLOS 2006, Pentium 4';

export const COSTS = {
  instruction: { cycles: 1, basis: 'modelled', source: 'one cycle per guest instruction retired (CPI 1)' },
  nativeIo: { cycles: 3209, basis: 'published', source: `${AA}: in, native` },
  guestEvent: { cycles: 889, basis: 'published', source: `${AA}: divzero, native (an exception delivered through the IDT and its handler's IRET), for every exception and interrupt the guest takes, in every mode` },
  btIo: { cycles: 214, basis: 'derived', source: `${AA}: in under BT is about 15x faster than native (3209 / 15)` },
  hwIoExit: { cycles: 15826, basis: 'published', source: `${AA}: in under VT` },
  faultRoundTrip: { cycles: 2334, basis: 'derived', source: `${AA}: divzero BT 3223 - native 889 (a fault into the VMM and back into the guest)` },
  inlineSequence: { cycles: 35, basis: 'published', source: `${AA}: cr8wr under BT (a privileged register write done in the translation cache)` },
  callout: { cycles: 391, basis: 'published', source: `${AA}: ptemod under BT (a call-out from translated code into the VMM)` },
  indirectBranch: { cycles: 40, basis: 'derived', source: `${AA}: call/ret BT 51 - native 11` },
  translation: { cycles: 1000, basis: 'modelled', source: 'no published figure: about 80 host cycles per guest instruction for a unit of 12' },
  vmExit: { cycles: 10149, basis: 'derived', source: `${AA}: pgfault VT 11242 - native 1093 (an exit, VMM work and re-entry)` },
  vtShadowUpdate: { cycles: 12733, basis: 'published', source: `${AA}: ptemod under VT` },
  vtReflectedFault: { cycles: 125, basis: 'derived', source: `${AA}: divzero VT 1014 - native 889 (no exit: delivered in the guest)` },
  hypercall: { cycles: 2334, basis: 'derived', source: `an int 0x82 round trip takes the path of a fault into the VMM (${AA}: divzero BT - native)` },
  worldSwitch: { cycles: 5000, basis: 'modelled', source: 'no published figure: a type 2 VMM saves and restores the host OS context on each exit it forwards' },
} as const satisfies Record<string, CostConstant>;

export type CostName = keyof typeof COSTS;

/** One line of a cost breakdown: how many of what, at how many cycles each. */
export interface CostLine { name: CostName; count: number; cycles: number }

/** The breakdown's lines, already summed per constant. */
export class CostSheet {
  private readonly counts = new Map<CostName, number>();

  add(name: CostName, count: number): this {
    if (count !== 0) this.counts.set(name, (this.counts.get(name) ?? 0) + count);
    return this;
  }

  lines(): CostLine[] {
    return [...this.counts].map(([name, count]) => ({ name, count, cycles: count * COSTS[name].cycles }));
  }

  total(): number {
    let sum = 0;
    for (const [name, count] of this.counts) sum += count * COSTS[name].cycles;
    return sum;
  }
}

/**
 * Exceptions and interrupts the guest itself took (what native hardware would deliver): every
 * event the CPU raised, less those that only reached the VMM (emulated traps, hypercalls).
 */
export function guestEventCount(eventsRaised: ArrayLike<number>, counters: VmmCounters | null): number {
  let n = 0;
  for (let i = 0; i < eventsRaised.length; i++) n += eventsRaised[i]!;
  return counters === null ? n : Math.max(0, n - counters.traps - counters.hypercalls);
}
