// What a VMM did, counted per event kind. The cost model turns these counts into simulated
// cycles; `ringlab run --json`, `ringlab compare` and the debugger show them as they are.

import { EXIT_REASON_NAMES } from './exitReasons';

export class VmmCounters {
  /** Privileged or IOPL-sensitive instructions that trapped (#GP at ring 1) and were emulated. */
  traps = 0;
  /** Guest exceptions and interrupts the VMM delivered through the guest's own tables. */
  reflections = 0;
  /** Virtual interrupts (timer, UART) delivered to the guest. */
  virtualInterrupts = 0;
  /** BT: translation units made, guest instructions translated, translations dropped. */
  translations = 0;
  translatedInstructions = 0;
  invalidations = 0;
  /** BT: sensitive instructions replaced by an inline safe sequence, and call-outs to the VMM. */
  inlineSequences = 0;
  callouts = 0;
  /** BT: indirect control transfers (ret, jmp/call through a register or memory) looked up. */
  indirectBranches = 0;
  hypercalls = 0;
  /** VM exits by basic exit reason number. */
  readonly vmExits = new Map<number, number>();
  /** Exits or traps routed through the host OS (type 2: a world switch each way). */
  worldSwitches = 0;
  /** Guest page-table writes the VMM saw through write protection and mirrored. */
  shadowUpdates = 0;
  /** TLB misses filled by the VMM from the guest's tables (shadow paging's hidden page faults). */
  hiddenPageFaults = 0;
  /** Device accesses emulated by the VMM (trapped or exiting I/O). */
  deviceEmulations = 0;
  /** Non-virtualizable instructions executed by the deprivileged kernel (trap). */
  holes = 0;

  exit(reason: number): void {
    this.vmExits.set(reason, (this.vmExits.get(reason) ?? 0) + 1);
  }

  get totalExits(): number {
    let n = 0;
    for (const v of this.vmExits.values()) n += v;
    return n;
  }

  /** `{ HLT: 3, IO_INSTRUCTION: 12 }`, in exit reason order. */
  exitsByName(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const reason of [...this.vmExits.keys()].sort((a, b) => a - b)) {
      out[EXIT_REASON_NAMES[reason] ?? `REASON_${reason}`] = this.vmExits.get(reason)!;
    }
    return out;
  }
}
