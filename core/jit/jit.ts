// The compiled translation cache: hot guest code becomes JavaScript functions that V8 compiles,
// looked up by physical address. The interpreter stays the reference and runs everything the
// cache does not (cold code, instructions with debugger breakpoints: blocks end before them,
// single steps past a block's budget); compiled blocks call the interpreter's handlers for every instruction they do not
// compile inline, so each instruction's semantics is written once.
//
// No guest byte reaches the generated source as text: it is built from the decoder's numbers
// (blockSource, operandCode.lit) and fixed templates; test/unit/jit feeds hostile bytes and
// checks every identifier and literal of the output.

import type { Decoded } from '../disasm/decoded';
import type { Handler } from '../cpu/execute/registry';
import { conditionHolds } from '../cpu/execute/condition';
import { BlockCache, DEFAULT_MAX_BLOCKS } from './blockCache';
import { decodeBlock } from './blockDecoder';
import { blockSource } from './blockSource';
import type { BlockRunner, CompiledBlock } from './compiledBlock';
import { JitStats } from './jitStats';

export interface JitOptions {
  /** Interpreted executions of an address before its block is compiled (default 16). */
  readonly threshold?: number;
  /** Live blocks before the cache is flushed (default DEFAULT_MAX_BLOCKS). */
  readonly maxBlocks?: number;
  /** Host clock in ms for compile-time statistics (default performance.now). */
  readonly clockMs?: () => number;
}

export const DEFAULT_JIT_THRESHOLD = 16;

type BlockFactory = (records: readonly Decoded[], handlers: readonly Handler[], condition: typeof conditionHolds, self: { readonly live: boolean }) => BlockRunner;

export class Jit {
  readonly stats = new JitStats();
  readonly cache: BlockCache;
  readonly threshold: number;
  private readonly clockMs: () => number;

  constructor(private readonly handlers: readonly Handler[], options: JitOptions = {}) {
    this.threshold = Math.max(1, Math.min(255, options.threshold ?? DEFAULT_JIT_THRESHOLD));
    this.cache = new BlockCache(this.stats, options.maxBlocks ?? DEFAULT_MAX_BLOCKS);
    this.clockMs = options.clockMs ?? (() => performance.now());
  }

  /** Compiles the block at `physAddr` (EIP `eip`); undefined when its first instruction cannot
   *  be decoded within the page (the interpreter takes it, and raises what it must) or has a
   *  breakpoint. `breakOffsets`: page offsets of the debugger's breakpoints on linear page
   *  `breakLinPage`, which the block ends before. */
  compile(bytes: Uint8Array, physAddr: number, eip: number, intercepts: Uint8Array | null,
    breakOffsets: ReadonlySet<number> | null = null, breakLinPage = -1): CompiledBlock | undefined {
    const t0 = this.clockMs();
    const records = decodeBlock(bytes, physAddr, eip, breakOffsets);
    if (records.length === 0) return undefined;
    const source = blockSource(records, intercepts);
    const factory = new Function('D', 'H', 'CH', 'K', `return function block_${(eip >>> 0).toString(16)}(c) {\n${source}\n};`) as BlockFactory;
    const last = records[records.length - 1]!;
    const block: { -readonly [K in keyof CompiledBlock]: CompiledBlock[K] } = {
      eip: eip >>> 0,
      physAddr,
      byteLength: ((last.addr - records[0]!.addr) >>> 0) + last.length,
      length: records.length,
      run: () => 0,
      records,
      source,
      intercepts,
      breakLinPage,
      live: true,
      next: null,
    };
    block.run = factory(records, this.handlers, conditionHolds, block);
    this.stats.compiled++;
    this.stats.compileMs += this.clockMs() - t0;
    return block;
  }
}
