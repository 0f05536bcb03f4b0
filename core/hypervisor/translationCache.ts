// The translation cache: units keyed by the physical address of their first instruction (so a
// page mapped twice shares its translations, and a remapped linear address gets new ones), with
// the physical pages each unit reads, so a write to translated code drops exactly the units it
// overlaps (QEMU and VMware invalidate per written code page the same way). Bounded: when full it
// is flushed whole, as QEMU's code buffer is, and entries are translated again on next use.

import type { TranslationUnit } from './translator';

/** Units the cache holds before it is flushed whole. */
export const DEFAULT_CACHE_UNITS = 4096;

/** What the cache tells its owner about pages (the bt engine write-protects them). */
export interface PageWatcher {
  /** The first unit reading physical page `page` was added. */
  pageUsed(page: number): void;
  /** The last unit reading `page` was dropped. */
  pageFree(page: number): void;
}

export class TranslationCache {
  private readonly byPhys = new Map<number, TranslationUnit>();
  private readonly byPage = new Map<number, Set<TranslationUnit>>();
  /** Times the cache was full and flushed whole. */
  flushes = 0;

  constructor(private readonly watcher: PageWatcher, readonly capacity = DEFAULT_CACHE_UNITS) {}

  get size(): number { return this.byPhys.size; }

  lookup(physAddr: number): TranslationUnit | undefined { return this.byPhys.get(physAddr); }

  /** Adds a unit (the caller checked there is none at its address); a full cache is flushed first. */
  insert(unit: TranslationUnit): void {
    if (this.byPhys.size >= this.capacity) { this.clear(); this.flushes++; }
    this.byPhys.set(unit.physAddr, unit);
    for (const page of pagesOf(unit)) {
      let set = this.byPage.get(page);
      if (set === undefined) { set = new Set(); this.byPage.set(page, set); this.watcher.pageUsed(page); }
      set.add(unit);
    }
  }

  /** Drops the units whose bytes overlap [physAddr, physAddr + bytes); returns them. */
  invalidate(physAddr: number, bytes: number): TranslationUnit[] {
    const dropped: TranslationUnit[] = [];
    const set = this.byPage.get(physAddr >>> 12);
    if (set === undefined) return dropped;
    for (const unit of set) {
      if (physAddr < unit.physAddr + Math.max(1, unit.byteLength) && physAddr + bytes > unit.physAddr) dropped.push(unit);
    }
    for (const unit of dropped) this.remove(unit);
    return dropped;
  }

  /** Drops every unit. */
  clear(): void {
    for (const page of this.byPage.keys()) this.watcher.pageFree(page);
    this.byPage.clear();
    this.byPhys.clear();
  }

  /** Every unit, by guest address then physical address. */
  units(): TranslationUnit[] {
    return [...this.byPhys.values()].sort((a, b) => a.eip - b.eip || a.physAddr - b.physAddr);
  }

  /** The cache's own consistency (tests): every unit is on the page sets of exactly its pages. */
  assertInvariants(): void {
    let onPages = 0;
    for (const [page, set] of this.byPage) {
      if (set.size === 0) throw new Error(`translation cache: empty page set ${page}`);
      for (const unit of set) {
        if (this.byPhys.get(unit.physAddr) !== unit) throw new Error(`translation cache: stale unit at 0x${unit.physAddr.toString(16)} on page ${page}`);
        if (!pagesOf(unit).includes(page)) throw new Error(`translation cache: unit 0x${unit.physAddr.toString(16)} filed under page ${page}`);
        onPages++;
      }
    }
    let expected = 0;
    for (const unit of this.byPhys.values()) expected += pagesOf(unit).length;
    if (onPages !== expected) throw new Error(`translation cache: ${onPages} page entries, expected ${expected}`);
  }

  private remove(unit: TranslationUnit): void {
    this.byPhys.delete(unit.physAddr);
    for (const page of pagesOf(unit)) {
      const set = this.byPage.get(page);
      if (set === undefined) continue;
      set.delete(unit);
      if (set.size === 0) { this.byPage.delete(page); this.watcher.pageFree(page); }
    }
  }
}

/** The physical pages a unit's bytes lie on (one, or two when its last instruction crosses). */
function pagesOf(unit: TranslationUnit): number[] {
  const first = unit.physAddr >>> 12;
  const last = (unit.physAddr + Math.max(1, unit.byteLength) - 1) >>> 12;
  return first === last ? [first] : [first, last];
}
