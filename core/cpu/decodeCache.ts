// Decoded instructions kept per physical page, so a loop is decoded once, not on every pass.
// A page holding cached code is marked; the TLB gives its mappings no fast write path (TLB.NOT_CODE
// missing), so every write to it passes invalidateWrite() and drops the records it overlaps
// (self-modifying code stays correct). The number of cached pages is bounded: memory stays small
// however much of RAM a guest executes.

import type { Decoded } from '../disasm/decoded';
import { MAX_INSTRUCTION_LENGTH } from '../disasm/decoder';

const PAGE_BYTES = 4096;
/** Pages of code kept at once (2 MiB of code); past this everything is dropped and refilled. */
const MAX_CODE_PAGES = 512;
/** Records kept at once (about 40 MiB of host memory); a guest executing garbage hits this. */
const MAX_RECORDS = 1 << 18;

export class DecodeCache {
  /** Per physical page of RAM: 1 when records of it are cached. */
  readonly codePage: Uint8Array;
  private readonly pages: ((Decoded | undefined)[] | undefined)[];
  private pageCount = 0;
  private recordCount = 0;
  /** Bumped by clear(): TLB entries made while a page was code may now be stale (only slower). */
  generation = 0;
  /** Compiled blocks made from these pages (core/jit): dropped with the records they came from. */
  blocks: { invalidateWrite(physAddr: number): void; clear(): void } | null = null;

  constructor(ramBytes: number) {
    const pages = Math.ceil(ramBytes / PAGE_BYTES);
    this.codePage = new Uint8Array(pages);
    this.pages = new Array(pages);
  }

  /**
   * The record slots of physical page `physPage` (which must be in RAM), creating them. `created`
   * tells the caller the page just became code, so mappings that allow fast writes must go.
   */
  slots(physPage: number): (Decoded | undefined)[] {
    let page = this.pages[physPage];
    if (page === undefined) {
      if (this.pageCount >= MAX_CODE_PAGES) this.clear();
      page = new Array<Decoded | undefined>(PAGE_BYTES).fill(undefined);
      this.pages[physPage] = page;
      this.codePage[physPage] = 1;
      this.pageCount++;
      this.created = true;
    }
    return page;
  }

  /** Set by slots() when it made a page code; the CPU clears it after flushing the TLB. */
  created = false;

  /** A write of up to 4 bytes at `physAddr`: drops the records of instructions it overlaps. */
  invalidateWrite(physAddr: number): void {
    this.blocks?.invalidateWrite(physAddr);
    const page = this.pages[physAddr >>> 12];
    if (page === undefined) return;
    const off = physAddr & 0xfff;
    const first = Math.max(0, off - (MAX_INSTRUCTION_LENGTH - 1));
    const last = Math.min(PAGE_BYTES - 1, off + 3);
    for (let i = first; i <= last; i++) {
      const rec = page[i];
      if (rec !== undefined && i + rec.length > off) page[i] = undefined;
    }
  }

  /** Counts a new record; true when the bound was reached and everything was dropped (the
   *  caller's slot array is then orphaned: harmless, but its fetch window must be refilled). */
  countRecord(): boolean {
    if (++this.recordCount <= MAX_RECORDS) return false;
    this.clear();
    return true;
  }

  /** Drops everything (the bound was reached, or the host rewrote memory). */
  clear(): void {
    this.blocks?.clear();
    this.pages.fill(undefined);
    this.codePage.fill(0);
    this.pageCount = 0;
    this.recordCount = 0;
    this.generation++;
  }

  /** Every cached record still decodes the same from memory (self-modifying code was noticed). */
  assertInvariants(check: (physAddr: number, rec: Decoded) => string | undefined): void {
    this.pages.forEach((page, physPage) => {
      if (page === undefined) return;
      if (this.codePage[physPage] !== 1) throw new Error(`decode cache: page 0x${physPage.toString(16)} cached but not marked`);
      page.forEach((rec, off) => {
        if (rec === undefined) return;
        const why = check(physPage * PAGE_BYTES + off, rec);
        if (why !== undefined) throw new Error(`decode cache: stale record at 0x${(physPage * PAGE_BYTES + off).toString(16)}: ${why}`);
      });
    });
  }
}
