// The PV guest's one-shot timer (set_timer_op): a deadline on virtual time that the machine
// drives like its PIT (Machine.attachTimer), so a blocked guest's idle time is skipped to it.
// When it is due, the VMM marks an upcall pending in shared_info.

import type { TimerSource } from '../machine/machine';

export class PvTimer implements TimerSource {
  /** Virtual ns of the armed deadline, or Infinity. */
  nextEventNs = Number.POSITIVE_INFINITY;

  constructor(private readonly fire: (nowNs: number) => void) {}

  /** Arms the timer at `deadlineNs` (0 cancels); a deadline already past fires at once. */
  set(deadlineNs: number, nowNs: number): void {
    if (deadlineNs === 0) { this.nextEventNs = Number.POSITIVE_INFINITY; return; }
    this.nextEventNs = deadlineNs;
    if (deadlineNs <= nowNs) this.runDueEvents(nowNs);
  }

  get armed(): boolean { return Number.isFinite(this.nextEventNs); }

  runDueEvents(nowNs: number): void {
    if (nowNs < this.nextEventNs) return;
    this.nextEventNs = Number.POSITIVE_INFINITY;
    this.fire(nowNs);
  }
}
