// What the VMM did, one record per trap, exit, hypercall, hole, reflection or translation: the
// last few are kept for the debugger's log and reports, and a listener (the debugger) sees each
// as it happens.

export type VmmEventKind =
  | 'trap' | 'exit' | 'hypercall' | 'hole' | 'reflection' | 'interrupt'
  | 'translation' | 'callout' | 'inline' | 'invalidation' | 'shadow-update' | 'guest-error';

export interface VmmEvent {
  readonly kind: VmmEventKind;
  /** Guest EIP of the instruction (or where the event was taken). */
  readonly eip: number;
  /** The instruction in NASM syntax, when there is one. */
  readonly instruction?: string;
  readonly detail: string;
  /** `hw`: basic exit reason and exit qualification. */
  readonly reason?: number;
  readonly qualification?: number;
  /** Guest instructions retired when it happened (a timestamp on virtual time). */
  readonly at: number;
}

const KEEP = 256;

export class VmmEventLog {
  private readonly ring: VmmEvent[] = [];
  private next = 0;
  /** Every event as it happens (the debugger stops on some). */
  listener: ((e: VmmEvent) => void) | null = null;
  total = 0;

  add(e: VmmEvent): void {
    if (this.ring.length < KEEP) this.ring.push(e); else this.ring[this.next] = e;
    this.next = (this.next + 1) % KEEP;
    this.total++;
    this.listener?.(e);
  }

  /** The last events, oldest first. */
  recent(): VmmEvent[] {
    return this.ring.length < KEEP ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  get last(): VmmEvent | undefined {
    return this.ring.length === 0 ? undefined : this.ring[(this.next + KEEP - 1) % KEEP] ?? this.ring[this.ring.length - 1];
  }
}

/** A non-virtualizable instruction the deprivileged kernel executed (trap-and-emulate's holes),
 *  one per address: what the guest saw against what it should have seen, and how often. */
export interface Hole {
  eip: number;
  instruction: string;
  detail: string;
  count: number;
}

export class HoleLog {
  private readonly byEip = new Map<number, Hole>();

  record(eip: number, instruction: string, detail: string): boolean {
    const known = this.byEip.get(eip);
    if (known !== undefined) { known.count++; return false; }
    this.byEip.set(eip, { eip, instruction, detail, count: 1 });
    return true;
  }

  list(): Hole[] { return [...this.byEip.values()].sort((a, b) => a.eip - b.eip); }
  get size(): number { return this.byEip.size; }
}
