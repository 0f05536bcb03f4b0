// The TLB: one Int32 entry per linear 4 KiB page (a direct table, as v86's tlb_data), holding the
// physical page and the permissions the last page walk granted. Allocation-free; a list of filled
// pages makes a flush cost what was filled, not 4 GiB worth of entries.

/** Entry bits below the 4 KiB physical page number. */
export const TLB = {
  VALID: 1 << 0,
  /** CPL 3 may read (and fetch). */
  USER_READ: 1 << 1,
  /** CPL 3 may write (only once the PTE's dirty bit is set, so a first write walks again). */
  USER_WRITE: 1 << 2,
  /** CPL 0-2 may write (R/W, or CR0.WP clear; dirty bit set as above). */
  SUPER_WRITE: 1 << 3,
  /** From a PTE with G set under CR4.PGE: survives a CR3 load. */
  GLOBAL: 1 << 4,
  /** Reserved for the translator: the page holds translated code (CONVENTIONS 17). */
  HAS_CODE: 1 << 5,
  /** The physical page holds no cached decoded instructions: writes may take the fast path.
   *  Without it a write goes through the CPU's slow path, which drops the records it overlaps. */
  NOT_CODE: 1 << 6,
} as const;

const PAGE_COUNT = 1 << 20;

export class Tlb {
  /** Indexed by linear page number (linAddr >>> 12): physPageBase | TLB bits, 0 when empty. */
  readonly entries = new Int32Array(PAGE_COUNT);
  /** Pages whose entry may be non-zero, in fill order: entries[filled[i]] for i < filledCount. */
  private readonly filled = new Int32Array(PAGE_COUNT);
  private filledCount = 0;
  /** 1 when the page is in `filled` (so it is listed once however often it is refilled). */
  private readonly listed = new Uint8Array(PAGE_COUNT);
  /** Bumped on every flush or invalidation so cached translations (the fetch window) notice. */
  generation = 0;

  insert(linPage: number, entry: number): void {
    if (this.listed[linPage] === 0) {
      this.listed[linPage] = 1;
      this.filled[this.filledCount++] = linPage;
    }
    this.entries[linPage] = entry | TLB.VALID;
  }

  /** INVLPG: drops one page, global or not. */
  invalidatePage(linPage: number): void {
    this.entries[linPage] = 0; // left in `filled`; a later flush skips it cheaply
    this.generation++;
  }

  /** Drops every entry, or every non-global one (a CR3 load keeps global pages). */
  flush(keepGlobal: boolean): void {
    let kept = 0;
    for (let i = 0; i < this.filledCount; i++) {
      const page = this.filled[i]!;
      const e = this.entries[page]!;
      if (keepGlobal && (e & TLB.GLOBAL) !== 0) {
        this.filled[kept++] = page;
      } else {
        this.entries[page] = 0;
        this.listed[page] = 0;
      }
    }
    this.filledCount = kept;
    this.generation++;
  }

  /** Number of filled entries (statistics, tests). */
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.filledCount; i++) if (this.entries[this.filled[i]!] !== 0) n++;
    return n;
  }

  /** Every non-empty entry is listed once in `filled`, so a flush cannot miss it (CONVENTIONS 18). */
  assertInvariants(): void {
    const listed = new Set<number>();
    for (let i = 0; i < this.filledCount; i++) {
      const page = this.filled[i]!;
      if (listed.has(page)) throw new Error(`tlb: page 0x${page.toString(16)} listed twice`);
      if (this.listed[page] !== 1) throw new Error(`tlb: page 0x${page.toString(16)} in the list but not marked`);
      listed.add(page);
    }
    for (let page = 0; page < PAGE_COUNT; page++) {
      const e = this.entries[page]!;
      if (e === 0) continue;
      if (!listed.has(page)) throw new Error(`tlb: page 0x${page.toString(16)} filled but not listed`);
      if ((e & TLB.VALID) === 0) throw new Error(`tlb: page 0x${page.toString(16)} has bits but no VALID`);
    }
  }
}
