// The interpreter: one x86-32 CPU bound to a machine. Guest memory through segmentation and the
// TLB (fast paths for flat segments and TLB hits), the fetch-decode-dispatch loop over one
// reusable Decoded record, exceptions and external interrupts between instructions, HLT on
// virtual time, and the hooks a hypervisor uses to intercept exceptions and chosen forms.

import { DecodeStatus, Decoded } from '../disasm/decoded';
import { decode } from '../disasm/decoder';
import { FORMS } from '../isa';
import type { CpuBus, StopReason } from '../machine/machine';
import type { InterruptController } from '../machine/interrupts';
import type { PhysicalMemory } from '../machine/physicalMemory';
import { VIRT_NS_PER_INSTRUCTION } from '../machine/virtualClock';
import { CpuFault, VECTOR } from './cpuFault';
import { ARITH_FLAGS, CR0, CR4, CpuState, EFLAGS, type SegmentCache } from './cpuState';
import type { ExecContext } from './execContext';
import { buildHandlerTable, type Handler } from './execute/registry';
import { deliverEvent, EVENT, type EventKind } from './interrupts';
import { LazyFlags } from './lazyFlags';
import { PageWalker } from './paging';
import { checkedLinear } from './segmentation';
import { Tlb, TLB } from './tlb';
import { DecodeCache } from './decodeCache';
import { checkIoPermission } from './ioPermission';
import { lockFaults } from './lockPrefix';
import { Jit, type CompiledBlock, type JitOptions } from '../jit';
import './execute/allSemantics';

/** Why run() returned: the machine's reasons, plus what only the CPU can tell. */
export type CpuStopReason = StopReason | 'unsupported' | 'step' | 'breakpoint';
export interface CpuStop {
  reason: CpuStopReason;
  /** Exit status `ringlab run` reports (DESIGN: guest code, 0 halt, 124 budget, 3 triple fault). */
  code: number;
  /** What was not supported, or other detail for the user. */
  detail?: string;
}

/** The machine as the CPU needs it: CpuBus plus virtual time, which HLT skips ahead on. */
export interface CpuMachine extends CpuBus {
  readonly clock: { readonly nowNs: number };
  nextEventNs(): number;
}

/** Where a hypervisor (or debugger) plugs in; every exception and every flagged form passes here. */
export interface CpuHooks {
  /** Before an event goes through the IDT. Return true when it was handled (no delivery). */
  onEvent?(vector: number, errorCode: number, kind: EventKind): boolean;
  /** Before a form flagged in `interceptForms` executes (state.eip already at the next
   *  instruction). Return true when the hook emulated it; false executes it normally. */
  onIntercept?(d: Decoded): boolean;
  /** A triple fault (VM exit 2 under `hw`). Return true when handled (no shutdown). */
  onTripleFault?(): boolean;
  /** Before a write lands on a page marked in `watchedPages` (the VMM write-protects guest page
   *  tables, descriptor tables and translated code this way). */
  onWatchedWrite?(physAddr: number): void;
  /** A TLB miss filled from the page tables (or the identity map with paging off): the VMM's
   *  hidden page fault or EPT walk. Returns the entry to insert (it may refuse by throwing a
   *  CpuFault or stopping the run). */
  onTlbFill?(linear: number, entry: number, write: boolean): number;
  /** Before a TLB miss walks the guest's tables: a VMM maps its own linear region (hidden from
   *  the guest's page tables, as VMware's VMM sat at the top of every address space). Returns a
   *  TLB entry, or 0 to walk normally. */
  mapHostLinear?(linear: number): number;
}

/** A VMM's virtual interrupt line: it decides when an external interrupt may be taken (the
 *  guest's virtual IF while the hardware IF stays 1) and what is pending (the virtual PIC, or
 *  the VMM's own events such as a PV upcall). */
export interface VirtualInterrupts extends InterruptController {
  readonly interruptsEnabled: boolean;
}

const PAGE_BYTES = 4096;
/** The form id of a debugger's breakpoint record (one past the table): its handler stops the run. */
const BREAK_FORM_ID = FORMS.length;
const EXIT_CODE_BUDGET = 124;
const EXIT_CODE_TRIPLE_FAULT = 3;
const EXIT_CODE_UNSUPPORTED = 2;
const EXIT_CODE_GUEST_ERROR = 6;
const ALL_TLB_RIGHTS = TLB.VALID | TLB.USER_READ | TLB.USER_WRITE | TLB.SUPER_WRITE;
const SUPER_READ_MASK = TLB.VALID;
const USER_READ_MASK = TLB.VALID | TLB.USER_READ;
// Write masks include NOT_CODE: a write to a page with cached instructions takes the slow path.
const SUPER_WRITE_MASK = TLB.VALID | TLB.SUPER_WRITE | TLB.NOT_CODE;
const USER_WRITE_MASK = TLB.VALID | TLB.USER_WRITE | TLB.NOT_CODE;

export class Cpu implements ExecContext {
  readonly state = new CpuState();
  readonly flags = new LazyFlags();
  readonly memory: PhysicalMemory;
  readonly tlb = new Tlb();
  readonly walker: PageWalker;
  /** The record of instructions that are not cached (crossing a page, outside RAM). */
  readonly decoded = new Decoded();
  /** The last instruction fetched through the slow path, intercepted, or that faulted (the
   *  loop does not store every record: one write fewer per instruction). */
  current: Decoded = this.decoded;
  readonly decodeCache: DecodeCache;
  hooks: CpuHooks = {};
  /** Per form id: non-zero sends the form to hooks.onIntercept first (null: no intercepts). */
  get interceptForms(): Uint8Array | null { return this.kernelIntercepts; }
  set interceptForms(table: Uint8Array | null) { this.kernelIntercepts = table; this.refreshIntercepts(); }
  /** The same while CPL is 3, when a VMM lets user code run with fewer intercepts (undefined:
   *  interceptForms at every CPL). */
  get userInterceptForms(): Uint8Array | null | undefined { return this.userIntercepts; }
  set userInterceptForms(table: Uint8Array | null | undefined) { this.userIntercepts = table; this.refreshIntercepts(); }
  private kernelIntercepts: Uint8Array | null = null;
  private userIntercepts: Uint8Array | null | undefined = undefined;
  /** The table in effect at the current CPL (what the loop and compiled blocks consult). */
  activeIntercepts: Uint8Array | null = null;
  /** Per physical page of RAM: non-zero makes every write to it call hooks.onWatchedWrite
   *  first (change through watchPage/unwatchPage, which keep the TLB consistent). */
  readonly watchedPages: Uint8Array;
  /** When set (by a VMM), external interrupts come from it and are taken when it says so,
   *  rather than from the PIC when EFLAGS.IF is set. */
  virtualInterrupts: VirtualInterrupts | null = null;

  /** Instructions retired since power-on. */
  instructionsRetired = 0;
  /** Events delivered because of a fault (they use up a run's budget too, so a fault loop ends). */
  faultsDelivered = 0;
  /** Events raised, by EventKind (exceptions, software interrupts, external interrupts, INT1). */
  readonly eventsDelivered = new Float64Array(4);
  /** HLT skips of virtual time that woke nothing (they use up the budget, so a halt with every
   *  IRQ masked at the PIC still ends at --max-instructions). */
  idleSkips = 0;

  private readonly handlers: Handler[];
  private readonly tlbEntries: Int32Array;
  /** TLB masks for the current CPL: an entry matching all bits allows the access. */
  // (Compiled blocks read both for their inline memory fast path; only setCpl writes them.)
  readMask = SUPER_READ_MASK;
  writeMask = SUPER_WRITE_MASK;
  /** EIP of the instruction that faulted, was intercepted or raised a software interrupt (the
   *  loop keeps the executing instruction's start in a local: one store fewer per instruction). */
  instructionStart = 0;
  /** Instructions already reported to the machine's clock. */
  private timeSyncedInstructions = 0;
  /** The current slice ends when instructionsRetired reaches this (I/O, HLT and stops set it
   *  to 0 to end the slice after the current instruction; a delivered fault lowers it by one).
   *  Compiled blocks read it (core/jit/blockSource.ts): only this class writes it. */
  retiredEnd = 0;
  /** Something may have made an interrupt deliverable: look before the next instruction. */
  private irqCheck = true;
  private stop: CpuStop | null = null;
  // The fetch window: the physical page of the last fetch. Every TLB change and CPL change goes
  // through this class and resets fetchLinPage, so the loop compares one number per instruction.
  // Compiled blocks read fetchLinPage to notice that the mapping they run under went away.
  fetchLinPage = -1;
  private fetchPhysPage = 0;
  /** Decoded records of the fetch window's page, or null when it is not cached. */
  private fetchSlots: (Decoded | undefined)[] | null = null;
  /** The compiled translation cache (null: everything is interpreted). */
  jit: Jit | null = null;
  /** Compiled blocks and execution counts of the fetch window's page (null: interpret it). */
  private fetchBlocks: (CompiledBlock | undefined)[] | null = null;
  private fetchHeat: Uint8Array | null = null;
  /** A compiled block is running: a fault it throws has already put EIP at its instruction. */
  private inBlock = false;
  /** The fetch window's linear page when it holds breakpoints, else -1 (see runnable). */
  private fetchBreakLinPage = -1;
  private readonly fetchScratch = new Uint8Array(16);
  // Debugger breakpoints cost nothing per instruction: when the fetch window moves to a linear
  // page that holds one, a breakpoint record (BREAK_FORM_ID) is put in the decode-cache slot of
  // each address, and its handler stops the run before the instruction executes.
  private breakPages: Uint8Array | null = null;
  /** The per-linear-page map behind breakPages, kept while no breakpoint is set. */
  private breakPageMap: Uint8Array | null = null;
  private breakLinear: readonly number[] = [];
  private readonly armedBreaks = new Map<number, { slots: (Decoded | undefined)[]; off: number; rec: Decoded }>();
  /** The linear address step() executes past (its breakpoint is not armed for that step). */
  private skipBreakLinear = -1;
  /** Set by step(): an interrupt delivered before the instruction ends the step at the handler. */
  private stepping = false;

  constructor(readonly bus: CpuMachine) {
    this.memory = bus.memory;
    this.walker = new PageWalker(bus.memory);
    this.decodeCache = new DecodeCache(bus.memory.sizeBytes);
    this.watchedPages = new Uint8Array(Math.ceil(bus.memory.sizeBytes / PAGE_BYTES));
    this.tlbEntries = this.tlb.entries;
    this.handlers = buildHandlerTable((c) => c.raise(VECTOR.UD));
    this.handlers[BREAK_FORM_ID] = () => this.hitBreakpoint();
  }

  // ---- run control ------------------------------------------------------------------------

  /** Runs until the machine stops, the guest halts for good, or `maxInstructions` are used. */
  run(maxInstructions: number): CpuStop {
    this.stop = null;
    const budgetEnd = this.budgetUsed() + maxInstructions;
    while (this.stop === null) {
      const request = this.bus.stopRequest;
      if (request !== null) { this.stop = { reason: request.reason, code: request.code, ...(request.detail === undefined ? {} : { detail: request.detail }) }; break; }
      const left = budgetEnd - this.budgetUsed();
      if (left <= 0) { this.stop = { reason: 'max-instructions', code: EXIT_CODE_BUDGET }; break; }
      if (this.state.halted) { this.waitForInterrupt(); continue; }
      const untilEvent = Math.ceil((this.bus.nextEventNs() - this.bus.clock.nowNs) / VIRT_NS_PER_INSTRUCTION);
      const slice = untilEvent < left ? Math.max(1, untilEvent) : left;
      this.retiredEnd = this.instructionsRetired + slice;
      this.irqCheck = true;
      this.runSlice();
      this.syncTime();
    }
    return this.stop;
  }

  /** Executes one instruction (or delivers one pending event): the debugger's single step. */
  step(): CpuStop {
    this.stepping = true;
    if (this.breakPages !== null) {
      // Execute the instruction at EIP even when a breakpoint sits there (a debugger resuming).
      const lin = (this.state.segs[1]!.base + this.state.eip) >>> 0;
      const armed = this.armedBreaks.get(lin);
      if (armed !== undefined && armed.slots[armed.off] === armed.rec) armed.slots[armed.off] = undefined;
      this.skipBreakLinear = lin;
      this.fetchLinPage = -1;
    }
    try {
      const stop = this.run(1);
      return stop.reason === 'max-instructions' ? { reason: 'step', code: 0 } : stop;
    } finally {
      this.stepping = false;
      if (this.skipBreakLinear !== -1) { this.skipBreakLinear = -1; this.fetchLinPage = -1; }
    }
  }

  /** Debugger: stop (reason `breakpoint`) before executing at any of these linear addresses. */
  setBreakpoints(linearAddrs: readonly number[]): void {
    for (const a of this.armedBreaks.values()) if (a.slots[a.off] === a.rec) a.slots[a.off] = undefined;
    this.armedBreaks.clear();
    const pages = this.breakPageMap ??= new Uint8Array(1 << 20);
    for (const a of this.breakLinear) pages[a >>> 12] = 0;
    const next = linearAddrs.map((a) => a >>> 0);
    // Compiled blocks stop before the breakpoints they were compiled with: a new set drops them.
    if (this.jit !== null && (next.length !== this.breakLinear.length || next.some((a, i) => a !== this.breakLinear[i]))) this.jit.cache.clear();
    this.breakLinear = next;
    for (const a of this.breakLinear) pages[a >>> 12] = 1;
    this.breakPages = this.breakLinear.length === 0 ? null : pages;
    this.fetchLinPage = -1;
  }

  /** Debugger: end the run (reason `breakpoint`) once the current instruction completes. */
  requestBreak(): void {
    if (this.stop === null) this.stop = { reason: 'breakpoint', code: 0 };
    this.retiredEnd = 0;
  }

  private hitBreakpoint(): never {
    this.stop = { reason: 'breakpoint', code: 0 };
    this.retiredEnd = 0;
    throw STOP_SIGNAL;
  }

  /** Puts breakpoint records into the fetch window's slots for the breakpoints on its page. */
  private armBreakpoints(linPage: number): void {
    const slots = this.fetchSlots!;
    const csBase = this.state.segs[1]!.base;
    for (const lin of this.breakLinear) {
      if ((lin >>> 12) !== linPage || lin === this.skipBreakLinear) continue;
      const off = lin & 0xfff;
      const rec = new Decoded();
      rec.addr = (lin - csBase) >>> 0;
      rec.formId = BREAK_FORM_ID;
      rec.status = DecodeStatus.Ok;
      slots[off] = rec;
      this.armedBreaks.set(lin, { slots, off, rec });
    }
  }

  /** After an interrupt was delivered: a single step ends there, at the handler's first instruction. */
  private stepEndsAtEvent(): boolean {
    if (!this.stepping) return false;
    if (this.stop === null) this.stop = { reason: 'step', code: 0 };
    this.retiredEnd = 0;
    return true;
  }

  /** Ends the run after the current instruction with a reason the machine does not know. */
  stopUnsupported(detail: string): never {
    this.stop = { reason: 'unsupported', code: EXIT_CODE_UNSUPPORTED, detail };
    this.retiredEnd = 0;
    throw STOP_SIGNAL;
  }

  /** Ends the run now because a VMM refused what the guest did (reason `guest-error`). */
  stopGuest(detail: string): never {
    this.bus.requestStop('guest-error', EXIT_CODE_GUEST_ERROR, detail);
    this.retiredEnd = 0;
    throw STOP_SIGNAL;
  }

  /** Shutdown after a triple fault (DESIGN: exit status 3). */
  tripleFault(): void {
    if (this.hooks.onTripleFault?.()) return;
    this.bus.requestStop('triple-fault', EXIT_CODE_TRIPLE_FAULT);
    this.state.halted = true;
    this.retiredEnd = 0;
  }

  private budgetUsed(): number { return this.instructionsRetired + this.faultsDelivered + this.idleSkips; }

  private runSlice(): void {
    const st = this.state;
    const handlers = this.handlers;
    const cs = st.segs[1]!; // segment caches are updated in place: the object never changes
    // Where the executing instruction starts, in a local rather than a field written on every
    // instruction: a fault (caught below) restarts the instruction from it.
    let start = st.eip;
    while (this.instructionsRetired < this.retiredEnd) {
      try {
        // Interrupts are looked at here, not before every instruction: whatever may make one
        // deliverable (STI, POPF, IRET, MOV SS, I/O) ends the slice, and a new slice starts here.
        start = st.eip;
        if (this.irqCheck) {
          if (this.acceptInterrupt()) {
            if (this.stepEndsAtEvent()) return;
            continue;
          }
          // Held off by an STI/MOV SS shadow: look again after one instruction.
          if (this.irqCheck && this.retiredEnd > this.instructionsRetired + 1) this.retiredEnd = this.instructionsRetired + 1;
        }
        // The count in a local, stored after each instruction (handlers read the field, through
        // syncTime, but only the loop writes it): one load fewer per instruction.
        let retired = this.instructionsRetired;
        while (retired < this.retiredEnd) {
          start = st.eip;
          // Fast path: flat CS, same page as the last fetch, record cached for this EIP.
          const lin = (cs.base + start) | 0;
          let d: Decoded | undefined;
          if ((lin >>> 12) === this.fetchLinPage && cs.fastRead) {
            const off = lin & 0xfff;
            const blocks = this.fetchBlocks;
            if (blocks !== null) {
              // The compiled translation cache: hot code runs as a block when a whole pass fits the slice.
              let b = blocks[off];
              if (b === undefined && ++this.fetchHeat![off]! >= this.jit!.threshold) b = this.compileBlock(off, start);
              if (b !== undefined && b.eip === start && retired + b.length <= this.retiredEnd && this.runnable(b)) {
                retired = this.runBlocks(b, retired);
                continue;
              }
            }
            d = this.fetchSlots![off];
            if (d === undefined || d.addr !== start) d = this.fetchDecode(start);
          } else {
            d = this.fetchDecode(start);
          }
          st.eip = (start + d.length) >>> 0;
          // `> 0`: a breakpoint record's id lies past the table (undefined), never intercepted.
          const intercept = this.activeIntercepts; // follows the CPL
          if (intercept !== null && intercept[d.formId]! > 0) this.runIntercepted(d, start);
          else handlers[d.formId]!(this, d);
          this.instructionsRetired = ++retired;
        }
        return;
      } catch (e) {
        if (this.inBlock) { this.inBlock = false; start = st.eip; } // the block put EIP at the instruction
        this.instructionStart = start;
        if (e === STOP_SIGNAL) { st.eip = start; return; }
        if (!(e instanceof CpuFault)) throw e;
        st.eip = start;
        this.faultsDelivered++;
        this.raiseEvent(e.vector, e.errorCode, EVENT.EXCEPTION);
        if (this.stop !== null || st.halted) return;
        this.retiredEnd--;
      }
    }
  }

  /** The one door every exception and interrupt goes through (the hypervisor's hook point). */
  raiseEvent(vector: number, errorCode: number, kind: EventKind): void {
    this.eventsDelivered[kind]!++;
    try {
      if (this.hooks.onEvent?.(vector, errorCode, kind)) return;
      deliverEvent(this, vector, errorCode, kind);
    } catch (e) {
      if (e === STOP_SIGNAL) return;
      throw e;
    }
  }

  private acceptInterrupt(): boolean {
    const st = this.state;
    if (st.interruptShadow) { st.interruptShadow = false; return false; }
    const source = this.virtualInterrupts ?? this.bus.pic;
    if (!this.interruptsEnabled() || !source.hasPendingInterrupt()) {
      this.irqCheck = false;
      return false;
    }
    st.halted = false;
    this.raiseEvent(source.acknowledge(), 0, EVENT.EXTERNAL);
    return true;
  }

  /** HLT: skip virtual time to the next device event; stop with `halt` when nothing can wake us. */
  private waitForInterrupt(): void {
    const st = this.state;
    this.syncTime();
    const canWake = this.interruptsEnabled();
    if (canWake && (this.virtualInterrupts ?? this.bus.pic).hasPendingInterrupt()) {
      this.irqCheck = true;
      st.halted = false;
      this.retiredEnd = this.instructionsRetired + 1;
      this.acceptInterrupt();
      this.stepEndsAtEvent();
      return;
    }
    const next = this.bus.nextEventNs();
    if (!canWake || !Number.isFinite(next)) { this.stop = { reason: 'halt', code: 0 }; return; }
    const idleNs = Math.max(1, Math.ceil(next - this.bus.clock.nowNs));
    this.bus.tick(idleNs / VIRT_NS_PER_INSTRUCTION);
    this.idleSkips++;
  }

  /** Brings the machine's clock up to the instructions retired (before I/O and at slice ends). */
  syncTime(): void {
    const n = this.instructionsRetired - this.timeSyncedInstructions;
    if (n > 0) {
      this.timeSyncedInstructions = this.instructionsRetired;
      this.bus.tick(n);
    }
  }

  /** Whether an external interrupt may be taken now (EFLAGS.IF, or the VMM's virtual IF). */
  interruptsEnabled(): boolean {
    const v = this.virtualInterrupts;
    return v === null ? (this.state.flagsRest & EFLAGS.IF) !== 0 : v.interruptsEnabled;
  }

  /** An intercepted form (state.eip already past it): the hook emulates it, or it executes. */
  runIntercepted(d: Decoded, start: number): void {
    this.current = d;
    this.instructionStart = start;
    if (!this.hooks.onIntercept?.(d)) this.handlers[d.formId]!(this, d);
  }

  // ---- the compiled translation cache (core/jit) ----------------------------------------------

  /** Turns the compiled translation cache on (or off with null); blocks are compiled lazily. */
  setJit(options: JitOptions | null): void {
    this.jit = options === null ? null : new Jit(this.handlers, options);
    this.decodeCache.blocks = this.jit?.cache ?? null;
    this.fetchLinPage = -1;
  }

  /** Whether a cached block may run now: compiled against the intercepts in effect, and on a
   *  page with breakpoints compiled through this linear page (so it ends before each of them). */
  private runnable(b: CompiledBlock): boolean {
    return b.intercepts === this.activeIntercepts && (this.fetchBreakLinPage === -1 || b.breakLinPage === this.fetchBreakLinPage);
  }

  private compileBlock(off: number, eip: number): CompiledBlock | undefined {
    const jit = this.jit!;
    const linPage = this.fetchBreakLinPage;
    const stops = linPage === -1 ? null : new Set(this.breakLinear.filter((a) => (a >>> 12) === linPage).map((a) => a & 0xfff));
    const block = jit.compile(this.memory.bytes, this.fetchPhysPage + off, eip, this.activeIntercepts, stops, linPage);
    if (block === undefined) { this.fetchHeat![off] = 0; return undefined; }
    // Past the cache's bound everything was dropped: this window's slots are stale.
    if (jit.cache.add(block)) this.fetchLinPage = -1;
    return block;
  }

  /** Runs compiled block `first`, then its successors while they are compiled and in budget. */
  private runBlocks(first: CompiledBlock, retired: number): number {
    const st = this.state, cs = st.segs[1]!, stats = this.jit!.stats;
    stats.hits++;
    let b = first;
    this.inBlock = true;
    for (;;) {
      const done = b.run(this);
      retired += done;
      this.instructionsRetired = retired;
      stats.instructions += done;
      if (retired >= this.retiredEnd || this.fetchBlocks === null || !cs.fastRead) break;
      // Chaining: the successor must be on the fetch window's page, whose mapping is unchanged.
      const lin = (cs.base + st.eip) | 0;
      if ((lin >>> 12) !== this.fetchLinPage) break;
      const phys = this.fetchPhysPage + (lin & 0xfff);
      let next: CompiledBlock | null | undefined = b.next;
      if (next !== null && next.live && next.physAddr === phys && next.eip === st.eip && this.runnable(next)) {
        stats.chained++;
      } else {
        next = this.fetchBlocks[lin & 0xfff];
        if (next === undefined || next.eip !== st.eip || !this.runnable(next)) break;
        b.next = next;
        stats.hits++;
      }
      if (retired + next.length > this.retiredEnd) break;
      b = next;
    }
    this.inBlock = false;
    return retired;
  }

  /** Runs one decoded instruction's semantics now (state.eip already past it): how a VMM
   *  emulates an instruction on the virtual CPU with the reference semantics. */
  execute(d: Decoded): void {
    this.handlers[d.formId]!(this, d);
  }

  /** Write-protects physical page `physPage` for the VMM: writes to it call hooks.onWatchedWrite. */
  watchPage(physPage: number, bit = 1): void {
    if (physPage < 0 || physPage >= this.watchedPages.length) return;
    const was = this.watchedPages[physPage]!;
    this.watchedPages[physPage] = was | bit;
    if (was === 0) this.tlb.flush(false);
  }

  unwatchPage(physPage: number, bit = 1): void {
    if (physPage < 0 || physPage >= this.watchedPages.length) return;
    this.watchedPages[physPage] = this.watchedPages[physPage]! & ~bit;
  }

  /** Ends the current slice after this instruction (HLT: the run loop then waits). */
  endSlice(): void { this.retiredEnd = 0; }

  /** After something changed what may interrupt (IF set, STI/MOV SS shadow, device I/O). */
  noteInterruptCheck(): void { this.irqCheck = true; this.retiredEnd = 0; }

  // ---- fetch and decode -------------------------------------------------------------------

  private fetchDecode(eip: number): Decoded {
    const cs = this.state.segs[1]!;
    const lin = (cs.base + eip) | 0;
    if ((lin >>> 12) !== this.fetchLinPage) this.refillFetchWindow(lin);
    let d: Decoded;
    const slots = this.fetchSlots;
    if (slots !== null) {
      const off = lin & 0xfff;
      const cached = slots[off];
      d = cached !== undefined && cached.addr === eip ? cached : this.decodeIntoSlot(slots, off, eip, lin);
    } else {
      d = this.decoded;
      this.fetchDecodeSlow(eip, lin);
    }
    this.current = d;
    if (!cs.fastRead) {
      if (((eip + d.length - 1) >>> 0) > (cs.limit >>> 0) || eip > (cs.limit >>> 0)) this.raise(VECTOR.GP, 0);
    }
    return d;
  }

  /** Decodes at page offset `off` of the fetch window and caches the record when it lies within the page. */
  private decodeIntoSlot(slots: (Decoded | undefined)[], off: number, eip: number, lin: number): Decoded {
    let rec = slots[off];
    if (rec === undefined) {
      rec = new Decoded();
      if (this.decodeCache.countRecord()) this.fetchLinPage = -1; // cache dropped: refill next time
    }
    decode(this.memory.bytes, this.fetchPhysPage + off, eip, rec, this.fetchPhysPage + PAGE_BYTES);
    if (rec.status === DecodeStatus.Ok && !lockFaults(rec)) {
      slots[off] = rec;
      return rec;
    }
    this.fetchDecodeSlow(eip, lin);
    return this.decoded;
  }

  private refillFetchWindow(lin: number): void {
    const phys = this.translate(lin & ~0xfff, this.readMask, false, this.state.cpl === 3);
    this.fetchSlots = null;
    this.fetchBlocks = null;
    this.fetchLinPage = lin >>> 12;
    if (!this.memory.contains(phys, PAGE_BYTES)) {
      this.fetchLinPage = -1; // outside RAM: every fetch takes the slow path
    } else {
      this.fetchPhysPage = phys;
      this.fetchSlots = this.decodeCache.slots(phys >>> 12);
      if (this.decodeCache.created) {
        // The page just became code: mappings that let writes bypass invalidation must go.
        this.decodeCache.created = false;
        this.tlb.flush(false);
      }
      const breakHere = this.breakPages !== null && this.breakPages[lin >>> 12] !== 0;
      if (breakHere) this.armBreakpoints(lin >>> 12);
      // On a page with breakpoints, blocks end before them (the interpreter's breakpoint record
      // then stops the run) and only blocks compiled through this linear page run.
      this.fetchBreakLinPage = breakHere ? lin >>> 12 : -1;
      if (this.jit !== null) {
        const page = this.jit.cache.page(phys >>> 12);
        this.fetchBlocks = page.slots;
        this.fetchHeat = page.heat;
      }
    }
  }

  /** An instruction that crosses a page (or lies outside RAM): gather its bytes, then decode. */
  private fetchDecodeSlow(eip: number, lin: number): void {
    const d = this.decoded;
    const buf = this.fetchScratch;
    const user = this.state.cpl === 3;
    const inPage = Math.min(15, PAGE_BYTES - (lin & 0xfff));
    let phys = this.translate(lin, this.readMask, false, user);
    for (let i = 0; i < inPage; i++) buf[i] = this.memory.read8(phys + i);
    decode(buf, 0, eip, d, inPage);
    if (d.status === DecodeStatus.Truncated && inPage < 15) {
      phys = this.translate((lin + inPage) | 0, this.readMask, false, user);
      for (let i = inPage; i < 15; i++) buf[i] = this.memory.read8(phys + i - inPage);
      decode(buf, 0, eip, d, 15);
    }
    if (d.status === DecodeStatus.TooLong) this.raise(VECTOR.GP, 0);
    if (d.status !== DecodeStatus.Ok || lockFaults(d)) this.raise(VECTOR.UD);
  }

  // ---- paging -------------------------------------------------------------------------------

  /** Linear to physical for an access whose TLB bits must include `mask`; #PF on failure. */
  translate(lin: number, mask: number, write: boolean, user: boolean): number {
    const e = this.tlbEntries[lin >>> 12]!;
    if ((e & mask) === mask) return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
    return this.translateSlow(lin, write, user);
  }

  private translateSlow(lin: number, write: boolean, user: boolean): number {
    const st = this.state;
    lin >>>= 0;
    let entry: number;
    const host = this.hooks.mapHostLinear === undefined ? 0 : this.hooks.mapHostLinear(lin);
    if (host !== 0) {
      if (user) { st.cr2 = lin; this.raise(VECTOR.PF, (write ? 2 : 0) | 4 | 1); }
      this.tlb.insert(lin >>> 12, host | TLB.NOT_CODE);
      return ((host & ~0xfff) | (lin & 0xfff)) >>> 0;
    } else if ((st.cr0 & CR0.PG) === 0) {
      entry = ((lin & 0xfffff000) | ALL_TLB_RIGHTS) | 0;
    } else {
      entry = this.walker.walk(lin, st.cr0, st.cr3, st.cr4, write, user);
      if (entry === 0) {
        st.cr2 = lin;
        this.raise(VECTOR.PF, this.walker.errorCode);
      }
    }
    if (this.hooks.onTlbFill !== undefined) entry = this.hooks.onTlbFill(lin, entry, write);
    const physPage = (entry >>> 12);
    if (physPage >= this.decodeCache.codePage.length || (this.decodeCache.codePage[physPage] === 0 && this.watchedPages[physPage] === 0)) entry |= TLB.NOT_CODE;
    this.tlb.insert(lin >>> 12, entry);
    return ((entry & ~0xfff) | (lin & 0xfff)) >>> 0;
  }

  /** Linear to physical for a write: like translate, and a write into cached code drops the records it overlaps. */
  translateWrite(lin: number, mask: number, user: boolean): number {
    const e = this.tlbEntries[lin >>> 12]!;
    if ((e & mask) === mask) return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
    const rights = mask & ~TLB.NOT_CODE;
    const phys = (e & rights) === rights ? ((e & ~0xfff) | (lin & 0xfff)) >>> 0 : this.translateSlow(lin, true, user);
    const physPage = phys >>> 12;
    const code = this.decodeCache.codePage;
    const watched = physPage < code.length && this.watchedPages[physPage] !== 0;
    if (watched) this.hooks.onWatchedWrite?.(phys);
    if (physPage < code.length && code[physPage] !== 0) {
      this.decodeCache.invalidateWrite(phys);
      // The write may have dropped a breakpoint record: refilling the fetch window re-arms it.
      if (this.breakPages !== null) this.fetchLinPage = -1;
    } else if (!watched) this.tlbEntries[lin >>> 12] |= TLB.NOT_CODE; // no longer code (cache was cleared)
    return phys;
  }

  /** Drops every translation (or every non-global one: a CR3 load). */
  flushTlb(keepGlobal: boolean): void {
    this.tlb.flush(keepGlobal && (this.state.cr4 & CR4.PGE) !== 0);
    this.fetchLinPage = -1;
  }

  invalidatePage(lin: number): void {
    this.tlb.invalidatePage(lin >>> 12);
    this.fetchLinPage = -1;
  }

  // ---- linear memory (explicit privilege: descriptor tables, TSS and interrupt stacks) -----

  readLin8(lin: number, user = false): number {
    return this.memory.read8(this.translate(lin, user ? USER_READ_MASK : SUPER_READ_MASK, false, user));
  }
  readLin16(lin: number, user = false): number {
    if ((lin & 0xfff) > 0xffe) return this.readLin8(lin, user) | (this.readLin8(lin + 1, user) << 8);
    return this.memory.read16(this.translate(lin, user ? USER_READ_MASK : SUPER_READ_MASK, false, user));
  }
  readLin32(lin: number, user = false): number {
    if ((lin & 0xfff) > 0xffc) return (this.readLin16(lin, user) | (this.readLin16(lin + 2, user) << 16)) >>> 0;
    return this.memory.read32(this.translate(lin, user ? USER_READ_MASK : SUPER_READ_MASK, false, user));
  }
  writeLin8(lin: number, value: number, user = false): void {
    this.memory.write8(this.translateWrite(lin, user ? USER_WRITE_MASK : SUPER_WRITE_MASK, user), value);
  }
  writeLin16(lin: number, value: number, user = false): void {
    this.writeLinSized(lin, value, 2, user ? USER_WRITE_MASK : SUPER_WRITE_MASK, user);
  }
  writeLin32(lin: number, value: number, user = false): void {
    this.writeLinSized(lin, value, 4, user ? USER_WRITE_MASK : SUPER_WRITE_MASK, user);
  }

  // ---- ExecContext: memory through segments -------------------------------------------------

  effectiveAddress(d: Decoded): number {
    const r = this.state.regs;
    if (d.addrsize16) {
      let ea = d.disp;
      if (d.base >= 0) ea += r[d.base]! & 0xffff;
      if (d.index >= 0) ea += r[d.index]! & 0xffff;
      return ea & 0xffff;
    }
    let ea = d.disp;
    if (d.base >= 0) ea += r[d.base]!;
    if (d.index >= 0) ea += r[d.index]! << d.scaleShift;
    return ea >>> 0;
  }

  read8(seg: number, offset: number): number {
    const s = this.state.segs[seg]!;
    const lin = s.fastRead ? (s.base + offset) | 0 : checkedLinear(this, seg, offset, 1, false);
    const e = this.tlbEntries[lin >>> 12]!;
    const m = this.readMask;
    if ((e & m) === m) return this.memory.read8((e & ~0xfff) | (lin & 0xfff));
    return this.memory.read8(this.translateSlow(lin, false, this.state.cpl === 3));
  }

  read16(seg: number, offset: number): number {
    const s = this.state.segs[seg]!;
    const lin = s.fastRead ? (s.base + offset) | 0 : checkedLinear(this, seg, offset, 2, false);
    if ((lin & 0xfff) <= 0xffe) {
      const e = this.tlbEntries[lin >>> 12]!;
      const m = this.readMask;
      if ((e & m) === m) return this.memory.read16((e & ~0xfff) | (lin & 0xfff));
    }
    return this.readLinSplit(lin, 2);
  }

  read32(seg: number, offset: number): number {
    const s = this.state.segs[seg]!;
    const lin = s.fastRead ? (s.base + offset) | 0 : checkedLinear(this, seg, offset, 4, false);
    if ((lin & 0xfff) <= 0xffc) {
      const e = this.tlbEntries[lin >>> 12]!;
      const m = this.readMask;
      if ((e & m) === m) return this.memory.read32((e & ~0xfff) | (lin & 0xfff));
    }
    return this.readLinSplit(lin, 4);
  }

  write8(seg: number, offset: number, value: number): void {
    const s = this.state.segs[seg]!;
    const lin = s.fastWrite ? (s.base + offset) | 0 : checkedLinear(this, seg, offset, 1, true);
    const e = this.tlbEntries[lin >>> 12]!;
    const m = this.writeMask;
    if ((e & m) === m) this.memory.write8((e & ~0xfff) | (lin & 0xfff), value);
    else this.memory.write8(this.translateWrite(lin, m, this.state.cpl === 3), value);
  }

  write16(seg: number, offset: number, value: number): void {
    const s = this.state.segs[seg]!;
    const lin = s.fastWrite ? (s.base + offset) | 0 : checkedLinear(this, seg, offset, 2, true);
    const e = this.tlbEntries[lin >>> 12]!;
    const m = this.writeMask;
    if ((e & m) === m && (lin & 0xfff) <= 0xffe) this.memory.write16((e & ~0xfff) | (lin & 0xfff), value);
    else this.writeLinSized(lin, value, 2, m, this.state.cpl === 3);
  }

  write32(seg: number, offset: number, value: number): void {
    const s = this.state.segs[seg]!;
    const lin = s.fastWrite ? (s.base + offset) | 0 : checkedLinear(this, seg, offset, 4, true);
    const e = this.tlbEntries[lin >>> 12]!;
    const m = this.writeMask;
    if ((e & m) === m && (lin & 0xfff) <= 0xffc) this.memory.write32((e & ~0xfff) | (lin & 0xfff), value);
    else this.writeLinSized(lin, value, 4, m, this.state.cpl === 3);
  }

  /** A read at the current CPL that may cross a page: each byte through its own translation. */
  private readLinSplit(lin: number, bytes: number): number {
    const user = this.state.cpl === 3;
    const m = this.readMask;
    if ((lin & 0xfff) <= PAGE_BYTES - bytes) {
      const phys = this.translate(lin, m, false, user);
      return bytes === 2 ? this.memory.read16(phys) : this.memory.read32(phys);
    }
    let value = 0;
    for (let i = bytes - 1; i >= 0; i--) {
      value = value * 256 + this.memory.read8(this.translate((lin + i) | 0, m, false, user));
    }
    return value >>> 0;
  }

  /** A write that may cross a page: both pages are translated (and may fault) before any byte is written. */
  private writeLinSized(lin: number, value: number, bytes: number, mask: number, user: boolean): void {
    const off = lin & 0xfff;
    const phys = this.translateWrite(lin, mask, user);
    if (off <= PAGE_BYTES - bytes) {
      if (bytes === 2) this.memory.write16(phys, value); else this.memory.write32(phys, value);
      return;
    }
    const firstBytes = PAGE_BYTES - off;
    const phys2 = this.translateWrite((lin + firstBytes) | 0, mask, user);
    for (let i = 0; i < bytes; i++) {
      const byte = (value >>> (8 * i)) & 0xff;
      this.memory.write8(i < firstBytes ? phys + i : phys2 + i - firstBytes, byte);
    }
  }

  // ---- ExecContext: stack ---------------------------------------------------------------------

  push16(value: number): void {
    const r = this.state.regs;
    if (this.state.segs[2]!.db) {
      const esp = (r[4]! - 2) >>> 0;
      this.write16(2, esp, value);
      r[4] = esp;
    } else {
      const sp = (r[4]! - 2) & 0xffff;
      this.write16(2, sp, value);
      r[4] = (r[4]! & ~0xffff) | sp;
    }
  }

  push32(value: number): void {
    const r = this.state.regs;
    if (this.state.segs[2]!.db) {
      const esp = (r[4]! - 4) >>> 0;
      this.write32(2, esp, value);
      r[4] = esp;
    } else {
      const sp = (r[4]! - 4) & 0xffff;
      this.write32(2, sp, value);
      r[4] = (r[4]! & ~0xffff) | sp;
    }
  }

  pop16(): number {
    const r = this.state.regs;
    if (this.state.segs[2]!.db) {
      const v = this.read16(2, r[4]! >>> 0);
      r[4] = r[4]! + 2;
      return v;
    }
    const v = this.read16(2, r[4]! & 0xffff);
    r[4] = (r[4]! & ~0xffff) | ((r[4]! + 2) & 0xffff);
    return v;
  }

  pop32(): number {
    const r = this.state.regs;
    if (this.state.segs[2]!.db) {
      const v = this.read32(2, r[4]! >>> 0);
      r[4] = r[4]! + 4;
      return v;
    }
    const v = this.read32(2, r[4]! & 0xffff);
    r[4] = (r[4]! & ~0xffff) | ((r[4]! + 4) & 0xffff);
    return v;
  }

  // ---- ExecContext: ports ---------------------------------------------------------------------

  ioIn(port: number, bytes: 1 | 2 | 4): number {
    checkIoPermission(this, port, bytes);
    this.beforeIo();
    const io = this.bus.io;
    return bytes === 1 ? io.in8(port) : bytes === 2 ? io.in16(port) : io.in32(port);
  }

  ioOut(port: number, bytes: 1 | 2 | 4, value: number): void {
    checkIoPermission(this, port, bytes);
    this.beforeIo();
    const io = this.bus.io;
    if (bytes === 1) io.out8(port, value & 0xff);
    else if (bytes === 2) io.out16(port, value & 0xffff);
    else io.out32(port, value >>> 0);
  }

  /** Devices see exact virtual time; the slice ends so a new timer deadline, an IRQ or a stop request takes effect. */
  private beforeIo(): void {
    this.syncTime();
    this.retiredEnd = 0;
    this.irqCheck = true;
  }

  raise(vector: number, errorCode = 0): never {
    throw new CpuFault(vector, errorCode);
  }

  // ---- flags, privilege, control registers ------------------------------------------------------

  /** The whole EFLAGS register. */
  getEflags(): number {
    return ((this.state.flagsRest & ~ARITH_FLAGS) | this.flags.get() | 0x2) >>> 0;
  }

  /** Writes the bits of `mask` from `value` (the caller applied CPL/IOPL rules to the mask). */
  setEflags(value: number, mask: number): void {
    const st = this.state;
    const old = this.getEflags();
    const next = ((old & ~mask) | (value & mask)) >>> 0;
    this.flags.load(next & ARITH_FLAGS);
    st.flagsRest = ((next & ~ARITH_FLAGS) | 0x2) >>> 0;
    if ((next & EFLAGS.IF) !== 0 && (old & EFLAGS.IF) === 0) this.noteInterruptCheck();
  }

  /** Changes the CPL (CS.RPL): the TLB masks follow it. */
  setCpl(cpl: number): void {
    this.state.cpl = cpl;
    this.refreshIntercepts();
    this.fetchLinPage = -1;
    this.readMask = cpl === 3 ? USER_READ_MASK : SUPER_READ_MASK;
    this.writeMask = cpl === 3 ? USER_WRITE_MASK : SUPER_WRITE_MASK;
  }

  private refreshIntercepts(): void {
    this.activeIntercepts = this.state.cpl === 3 && this.userIntercepts !== undefined ? this.userIntercepts : this.kernelIntercepts;
  }

  // The privilege checks, one function per class of core/isa's PrivilegeClass: 'privileged'
  // (requireCpl0), 'iopl' (requireIopl) and 'io' (ioIn/ioOut through checkIoPermission). A
  // failure is #GP(0), which a hypervisor sees through hooks.onEvent.

  /** Privileged instructions: CPL 0 or #GP(0). */
  requireCpl0(): void {
    if (this.state.cpl !== 0) this.raise(VECTOR.GP, 0);
  }

  /** CLI/STI: CPL <= IOPL or #GP(0). */
  requireIopl(): void {
    if (this.state.cpl > ((this.state.flagsRest & EFLAGS.IOPL) >>> 12)) this.raise(VECTOR.GP, 0);
  }

  /** MOV CR0 / LMSW / CLTS: a change of PG, PE or WP drops every translation. */
  writeCr0(value: number): void {
    const st = this.state;
    value = (value | CR0.ET) >>> 0;
    if ((value & CR0.PG) !== 0 && (value & CR0.PE) === 0) this.raise(VECTOR.GP, 0);
    if (((value & CR0.NW) !== 0) && (value & CR0.CD) === 0) this.raise(VECTOR.GP, 0);
    const changed = (st.cr0 ^ value) & (CR0.PG | CR0.PE | CR0.WP);
    st.cr0 = value;
    if (changed !== 0) this.flushTlb(false);
  }

  writeCr3(value: number): void {
    this.state.cr3 = value >>> 0;
    this.flushTlb(true);
  }

  writeCr4(value: number): void {
    const st = this.state;
    const supported = CR4.TSD | CR4.DE | CR4.PSE | CR4.PGE | CR4.PCE;
    if ((value & ~supported) !== 0) this.raise(VECTOR.GP, 0);
    const changed = (st.cr4 ^ value) & (CR4.PSE | CR4.PGE | CR4.PAE);
    st.cr4 = value >>> 0;
    if (changed !== 0) this.flushTlb(false);
  }

  /** Virtual time-stamp counter: virtual ns since power-on (a 1 GHz clock) plus the offset
   *  a WRMSR to IA32_TSC left in state.tsc; deterministic. */
  readTsc(): number {
    this.syncTime();
    return this.bus.clock.nowNs + this.state.tsc;
  }

  writeTsc(value: number): void {
    this.syncTime();
    this.state.tsc = value - this.bus.clock.nowNs;
  }

  /** After segment caches were written directly (loader, debugger, hypervisor): re-derive CPL and fast paths. */
  segmentsChanged(): void {
    for (const s of this.state.segs) s.refreshAccess();
    this.setCpl(this.state.segs[1]!.selector & 3);
  }

  /** The TLB, the decode cache and the CPL are consistent (always on in tests). */
  assertInvariants(): void {
    this.tlb.assertInvariants();
    const probe = new Decoded();
    this.decodeCache.assertInvariants((physAddr, rec) => {
      decode(this.memory.bytes, physAddr, rec.addr, probe, (physAddr & ~0xfff) + PAGE_BYTES);
      if (probe.formId !== rec.formId || probe.length !== rec.length || probe.imm !== rec.imm || probe.disp !== rec.disp) {
        return `cached ${rec.form?.source ?? '?'} (${rec.length} bytes), memory now holds ${probe.form?.source ?? 'no instruction'}`;
      }
      return undefined;
    });
    const cs: SegmentCache = this.state.segs[1]!;
    if ((cs.selector & 3) !== this.state.cpl && (this.state.cr0 & CR0.PE) !== 0) {
      throw new Error(`cpu: CPL ${this.state.cpl} differs from CS.RPL ${cs.selector & 3}`);
    }
  }
}

/** Thrown to unwind a handler when the run must stop (not a guest fault). */
const STOP_SIGNAL = { stop: true };
