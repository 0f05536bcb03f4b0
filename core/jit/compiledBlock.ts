// A guest block compiled to a JavaScript function, and what the dispatcher keeps about it.

import type { Decoded } from '../disasm/decoded';

/** The CPU as compiled code sees it (the block's source reaches the fields by name). */
export type BlockRunner = (cpu: object) => number;

export interface CompiledBlock {
  /** EIP of the first instruction (blocks are looked up by physical address, then checked by EIP). */
  readonly eip: number;
  readonly physAddr: number;
  readonly byteLength: number;
  /** Guest instructions in one pass. */
  readonly length: number;
  /** Runs the block: the instructions retired (several passes when it loops on itself). */
  readonly run: BlockRunner;
  /** The decoded instructions it was compiled from (copies: the decode cache reuses its own). */
  readonly records: readonly Decoded[];
  /** The intercept table it was compiled against: it runs only while that table is in effect
   *  (a VMM may intercept fewer forms at CPL 3). */
  readonly intercepts: Uint8Array | null;
  /** The linear page whose breakpoints it ends before, or -1 (compiled on a page without any). */
  readonly breakLinPage: number;
  /** The generated source, for tests and `ringlab run --jit-listing`-style inspection. */
  readonly source: string;
  /** Cleared when a write or a flush drops it (a chained predecessor may still point at it). */
  live: boolean;
  /** The block that ran after this one last time, on the same physical page (the chain). */
  next: CompiledBlock | null;
}
