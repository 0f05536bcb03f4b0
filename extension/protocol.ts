// The custom DAP messages between extension/ and the debug adapter (`ringlab dap`), declared once:
// the adapter can import these types (no vscode import here) and the views only read them.
// Everything is optional beyond `mode`: a view shows what the adapter sends and says what is missing.

/** Request `ringlab/state` (no arguments): where the CPU is and what the VMM believes, when stopped. */
export const STATE_REQUEST = 'ringlab/state';
/** Request `ringlab/translationCache` (no arguments): the blocks in the cache (`bt` only). */
export const TRANSLATION_CACHE_REQUEST = 'ringlab/translationCache';
/** Request `ringlab/pageTables` (arguments: {cr3?: number}): a walk of the current (or given) CR3. */
export const PAGE_TABLES_REQUEST = 'ringlab/pageTables';
/** Event `ringlab/vmmEvent`: one trap, VM exit, hypercall, hole or translation, as it happens. */
export const VMM_EVENT = 'ringlab/vmmEvent';

export type ModeName = 'native' | 'trap-and-emulate' | 'binary-translation' | 'paravirtual' | 'hardware-assisted';

/** Who owns the CPU at the moment the guest stopped. */
export type CpuOwner = 'guest-user' | 'guest-kernel' | 'vmm' | 'host';

export interface CpuView {
  /** Current privilege level: the guest's believed one (vcpl) or the hardware's. */
  readonly cpl: number;
  /** Interrupt flag: the guest's virtual IF (VIF) or the real EFLAGS.IF. */
  readonly if: boolean;
  readonly cr3: number;
}

export interface RingLabState {
  readonly mode: ModeName;
  /** Null under native. */
  readonly hypervisor: 'type1' | 'type2' | null;
  /** What the guest believes (its CPL, its IF = the VIF, its CR3). */
  readonly guest: CpuView;
  /** What the CPU really holds (deprivileged CPL, real IF, shadow CR3). */
  readonly hardware: CpuView;
  /** `hw`: whether the CPU is in VMX root mode (the VMM, "ring -1") or non-root (the guest). */
  readonly vmxRoot?: boolean;
  /** Who runs now; stepping into a trap stops with `vmm`. */
  readonly owner: CpuOwner;
  /** Virtual interrupts pending for the guest (vectors). */
  readonly pendingInterrupts?: readonly number[];
  readonly eip: number;
  /** The last trap, exit or hypercall, if any. */
  readonly lastEvent?: VmmEvent;
  readonly counters?: {
    readonly instructions: number;
    readonly traps: number;
    readonly translations: number;
    readonly hypercalls: number;
    readonly vmExits: Readonly<Record<string, number>>;
    readonly worldSwitches?: number;
    readonly simulatedCycles: number;
  };
}

export type VmmEventKind = 'trap' | 'vmexit' | 'hypercall' | 'hole' | 'translation' | 'callout' | 'upcall' | 'worldSwitch' | 'exception';

export interface VmmEvent {
  readonly kind: VmmEventKind;
  /** Guest address of the instruction that caused it. */
  readonly eip: number;
  /** The instruction in NASM syntax (`mov cr3, eax`). */
  readonly instruction?: string;
  /** One line for the user: what the VMM did (`emulated MOV to CR3: shadow page table rebuilt`). */
  readonly detail: string;
  /** `hw`: Intel's basic exit reason number and name, and the exit qualification. */
  readonly exitReason?: number;
  readonly exitReasonName?: string;
  readonly qualification?: number;
  /** `pv`: hypercall number and name. */
  readonly hypercall?: number;
  readonly hypercallName?: string;
  /** Instructions retired when it happened (virtual time). */
  readonly instructions?: number;
  /** The VMM listing (a DAP Source with a sourceReference, or a path) and its line, to open. */
  readonly source?: { readonly name?: string; readonly path?: string; readonly sourceReference?: number };
  readonly line?: number;
}

export interface TranslationBlock {
  readonly guestAddr: number;
  readonly guestEnd?: number;
  /** The translated code as the listing shows it, one instruction a line. */
  readonly listing: readonly string[];
  readonly executions?: number;
  /** The guest instructions translated, for the tooltip. */
  readonly guest?: readonly string[];
}

export interface TranslationCacheResponse {
  readonly blocks: readonly TranslationBlock[];
  readonly source?: VmmEvent['source'];
}

export interface PageTableEntry {
  /** Virtual address of the 4 KiB page (or 4 MiB with `large`). */
  readonly virt: number;
  readonly phys: number;
  /** P, RW, US, A, D, PS... as letters. */
  readonly flags: string;
  readonly large?: boolean;
}

export interface PageTablesResponse {
  readonly cr3: number;
  /** Paging enabled (CR0.PG)? Without it the list is empty. */
  readonly paging: boolean;
  /** Which table this is: the guest's own, the shadow one the CPU uses, or EPT. */
  readonly kind?: 'guest' | 'shadow' | 'ept';
  readonly entries: readonly PageTableEntry[];
  /** Whether entries were cut (a large table). */
  readonly truncated?: boolean;
}

/** `0x` and zero-padded to 8 digits (conventions: hex in user-facing text). */
export function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
