// Virtual time: the machine's only clock, a deterministic function of instructions retired.
// No device reads the host clock, so the same program and input give the same run.

/** One retired instruction advances virtual time by 1 ns: a 1 GHz, 1-IPC machine. Simple to
 *  reason about (1 ms = 1,000,000 instructions) and close enough to real PCs for tick rates. */
export const VIRT_NS_PER_INSTRUCTION = 1;
export const NS_PER_SECOND = 1_000_000_000;

export class VirtualClock {
  /** Virtual nanoseconds since power-on; exact as an integer up to 2^53 ns (about 104 days). */
  nowNs = 0;

  advanceInstructions(instructionsRetired: number): void {
    this.nowNs += instructionsRetired * VIRT_NS_PER_INSTRUCTION;
  }
}

/** Ticks of a `hz` clock elapsed by `ns` (floor), without overflowing 2^53 on long runs. */
export function nsToTicks(ns: number, hz: number): number {
  const wholeSeconds = Math.floor(ns / NS_PER_SECOND);
  const remainderNs = ns - wholeSeconds * NS_PER_SECOND;
  return wholeSeconds * hz + Math.floor((remainderNs * hz) / NS_PER_SECOND);
}

/** The first virtual ns at which `ticks` ticks of a `hz` clock have elapsed (ceil), inverse of nsToTicks. */
export function ticksToNs(ticks: number, hz: number): number {
  const wholeSeconds = Math.floor(ticks / hz);
  const remainderTicks = ticks - wholeSeconds * hz;
  return wholeSeconds * NS_PER_SECOND + Math.ceil((remainderTicks * NS_PER_SECOND) / hz);
}
