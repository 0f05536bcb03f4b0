// Compiled blocks by physical address, a page at a time, as the decode cache keeps records: the
// dispatcher holds the current fetch page's slot array and looks a block up by page offset.
// A write into a page drops the blocks whose bytes it overlaps (self-modifying code); the
// number of live blocks is bounded and past it everything is dropped at once (QEMU's policy
// too: no per-block bookkeeping on the hot path), so a guest that rewrites its code in a loop
// cannot grow the cache. Execution counts per offset decide when code is hot enough to compile.

import type { CompiledBlock } from './compiledBlock';
import type { JitStats } from './jitStats';

const PAGE_BYTES = 4096;
/** Live blocks kept at once (a few MiB of generated code); past this the cache is flushed. */
export const DEFAULT_MAX_BLOCKS = 4096;
/** Largest guest write the CPU reports at one address (a 32-bit store). */
const WRITE_BYTES = 4;

export class BlockPage {
  /** By page offset of the first instruction. */
  readonly slots: (CompiledBlock | undefined)[] = new Array<CompiledBlock | undefined>(PAGE_BYTES).fill(undefined);
  /** Interpreted executions per offset (saturating below 256 by the caller's threshold). */
  readonly heat = new Uint8Array(PAGE_BYTES);
  /** The live blocks of this page, for invalidation by range. */
  readonly blocks: CompiledBlock[] = [];
}

export class BlockCache {
  private readonly pages = new Map<number, BlockPage>();
  private liveCount = 0;

  constructor(private readonly stats: JitStats, readonly maxBlocks = DEFAULT_MAX_BLOCKS) {}

  get live(): number { return this.liveCount; }

  /** The page record of physical page `physPage`, created on first use. */
  page(physPage: number): BlockPage {
    let page = this.pages.get(physPage);
    if (page === undefined) {
      page = new BlockPage();
      this.pages.set(physPage, page);
    }
    return page;
  }

  /** Adds a compiled block; true when the bound was reached and everything else was dropped
   *  first (a caller holding a page's slots must fetch them again). */
  add(block: CompiledBlock): boolean {
    const flushed = this.liveCount >= this.maxBlocks;
    if (flushed) this.clear();
    const page = this.page(block.physAddr >>> 12);
    page.slots[block.physAddr & 0xfff] = block;
    page.blocks.push(block);
    this.liveCount++;
    return flushed;
  }

  /** A guest write of up to 4 bytes at `physAddr`: drops the blocks whose bytes it overlaps. */
  invalidateWrite(physAddr: number): void {
    const page = this.pages.get(physAddr >>> 12);
    if (page === undefined || page.blocks.length === 0) return;
    const off = physAddr & 0xfff;
    const kept: CompiledBlock[] = [];
    for (const b of page.blocks) {
      const start = b.physAddr & 0xfff;
      if (start < off + WRITE_BYTES && off < start + b.byteLength) {
        b.live = false;
        page.slots[start] = undefined;
        page.heat[start] = 0;
        this.liveCount--;
        this.stats.invalidations++;
      } else {
        kept.push(b);
      }
    }
    if (kept.length !== page.blocks.length) page.blocks.splice(0, page.blocks.length, ...kept);
  }

  /** Drops every block (the bound, the decode cache's flush, a new intercept table). */
  clear(): void {
    if (this.pages.size === 0) return;
    for (const page of this.pages.values()) {
      for (const b of page.blocks) b.live = false;
      // Emptied as well as dropped: the dispatcher may still hold this page's slot array.
      page.slots.fill(undefined);
      page.heat.fill(0);
    }
    this.pages.clear();
    this.liveCount = 0;
    this.stats.flushes++;
  }
}
