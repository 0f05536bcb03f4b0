// The architectural state of one x86-32 CPU: registers, segment caches, control and system
// registers. Plain fields and typed arrays so the interpreter (and later compiled code) reach
// them without indirection. Arithmetic flags live in LazyFlags, not here.

/** A segment register with its hidden descriptor cache (what the CPU really uses). */
export class SegmentCache {
  selector = 0;
  base = 0;
  /** Limit in bytes (already scaled by the granularity bit), inclusive. */
  limit = 0xffff_ffff;
  /** Descriptor type (4 bits) and S bit: code/data when s is true. */
  type = 0;
  s = true;
  dpl = 0;
  present = true;
  /** D/B bit: 32-bit default operand size (code) or big stack (SS). */
  db = true;
  /** Cleared by loading a null selector: any access through it raises #GP(0). */
  usable = true;
  /**
   * Derived by refreshAccess(): a read (write) at any offset needs no limit or rights check
   * (usable, flat 4 GiB, expand-up, readable / writable data). The CPU's fast path reads these,
   * so whoever changes the fields above directly calls refreshAccess() afterwards.
   */
  fastRead = false;
  fastWrite = false;

  constructor() { this.refreshAccess(); }

  copyFrom(o: SegmentCache): void {
    this.selector = o.selector; this.base = o.base; this.limit = o.limit; this.type = o.type;
    this.s = o.s; this.dpl = o.dpl; this.present = o.present; this.db = o.db; this.usable = o.usable;
    this.refreshAccess();
  }

  /** Recomputes fastRead/fastWrite from the descriptor fields. */
  refreshAccess(): void {
    const flat = this.usable && this.present && this.s && (this.limit >>> 0) === 0xffff_ffff;
    const code = (this.type & 8) !== 0;
    const expandDown = !code && (this.type & 4) !== 0;
    this.fastRead = flat && !expandDown && (!code || (this.type & 2) !== 0);
    this.fastWrite = flat && !code && !expandDown && (this.type & 2) !== 0;
  }
}

export interface TableRegister {
  base: number;
  limit: number;
}

/** EFLAGS bits (SDM vol. 1, 3.4.3). */
export const EFLAGS = {
  CF: 1 << 0, PF: 1 << 2, AF: 1 << 4, ZF: 1 << 6, SF: 1 << 7, TF: 1 << 8, IF: 1 << 9,
  DF: 1 << 10, OF: 1 << 11, IOPL: 3 << 12, NT: 1 << 14, RF: 1 << 16, VM: 1 << 17,
  AC: 1 << 18, VIF: 1 << 19, VIP: 1 << 20, ID: 1 << 21,
} as const;
/** The six flags computed lazily from the last arithmetic operation. */
export const ARITH_FLAGS = EFLAGS.CF | EFLAGS.PF | EFLAGS.AF | EFLAGS.ZF | EFLAGS.SF | EFLAGS.OF;

export const CR0 = { PE: 1 << 0, MP: 1 << 1, EM: 1 << 2, TS: 1 << 3, ET: 1 << 4, NE: 1 << 5, WP: 1 << 16, AM: 1 << 18, NW: 1 << 29, CD: 1 << 30, PG: 1 << 31 } as const;
export const CR4 = { VME: 1 << 0, PVI: 1 << 1, TSD: 1 << 2, DE: 1 << 3, PSE: 1 << 4, PAE: 1 << 5, PGE: 1 << 7, PCE: 1 << 8 } as const;

export class CpuState {
  /** EAX ECX EDX EBX ESP EBP ESI EDI, indexed by register number. */
  readonly regs = new Int32Array(8);
  eip = 0;
  /** EFLAGS without the six arithmetic flags (those are in LazyFlags); bit 1 is always 1. */
  flagsRest = 0x2;
  /** ES CS SS DS FS GS, indexed by segment register number. */
  readonly segs: readonly SegmentCache[] = [0, 1, 2, 3, 4, 5].map(() => new SegmentCache());
  /** Current privilege level (CS.RPL in protected mode). */
  cpl = 0;
  cr0 = CR0.PE | CR0.ET;
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  readonly gdtr: TableRegister = { base: 0, limit: 0xffff };
  readonly idtr: TableRegister = { base: 0, limit: 0xffff };
  readonly ldtr = new SegmentCache();
  readonly tr = new SegmentCache();
  readonly dr = new Uint32Array(8);
  /** Time-stamp counter (instructions retired, as virtual time advances with them). */
  tsc = 0;
  /** Model-specific registers that a small kernel uses, as 64-bit values. */
  readonly msrs = new Map<number, bigint>();
  /** Halted by HLT until an interrupt (or forever with IF = 0). */
  halted = false;
  /** STI and MOV SS block interrupts until after the next instruction. */
  interruptShadow = false;

  constructor() {
    // Power-on caches of a flat 32-bit machine (the loader's entry state overwrites them):
    // read/write data everywhere, execute/read code in CS.
    for (const s of this.segs) { s.type = 0x3; s.refreshAccess(); }
    const cs = this.segs[1]!;
    cs.type = 0xb;
    cs.refreshAccess();
  }
}
