// Protected-mode segmentation: descriptors read from the GDT/LDT, the checks of loading a data,
// stack or code segment register (SDM vol. 2 MOV, POP, LDS, JMP, CALL, RET, IRET; vol. 3 ch. 5),
// the accessed bit, and the limit/rights checks of an access whose segment is not flat.

import { VECTOR } from './cpuFault';
import { CR0, SegmentCache } from './cpuState';
import type { Cpu } from './cpu';

/** A raw 8-byte descriptor and where it was read from (to set its accessed bit). */
export class Descriptor {
  lo = 0;
  hi = 0;
  /** Linear address of the descriptor. */
  linAddr = 0;

  get base(): number { return ((this.lo >>> 16) | ((this.hi & 0xff) << 16) | (this.hi & 0xff000000)) >>> 0; }
  get limit(): number {
    const raw = (this.lo & 0xffff) | (this.hi & 0xf0000);
    return (this.hi & 0x800000) !== 0 ? ((raw << 12) | 0xfff) >>> 0 : raw;
  }
  /** Type field (4 bits); with `s` false it is a system type (TSS, gate, LDT). */
  get type(): number { return (this.hi >>> 8) & 0xf; }
  get s(): boolean { return (this.hi & 0x1000) !== 0; }
  get dpl(): number { return (this.hi >>> 13) & 3; }
  get present(): boolean { return (this.hi & 0x8000) !== 0; }
  get db(): boolean { return (this.hi & 0x400000) !== 0; }
  get isCode(): boolean { return this.s && (this.type & 8) !== 0; }
  get isData(): boolean { return this.s && (this.type & 8) === 0; }
  get conforming(): boolean { return this.isCode && (this.type & 4) !== 0; }
  get readable(): boolean { return this.isData || (this.type & 2) !== 0; }
  get writableData(): boolean { return this.isData && (this.type & 2) !== 0; }
}

/** True for selectors 0-3 (index 0 of the GDT). */
export function isNullSelector(selector: number): boolean {
  return (selector & 0xfffc) === 0;
}

/**
 * Reads the descriptor `selector` names into `out` (supervisor reads: the CPU's own access).
 * False when its index lies beyond the GDT's (or LDT's) limit, or TI=1 without an LDT.
 */
export function readDescriptor(cpu: Cpu, selector: number, out: Descriptor): boolean {
  const st = cpu.state;
  let base: number;
  let limit: number;
  if ((selector & 4) !== 0) {
    if (!st.ldtr.usable) return false;
    base = st.ldtr.base; limit = st.ldtr.limit;
  } else {
    base = st.gdtr.base; limit = st.gdtr.limit;
  }
  const index = selector & 0xfff8;
  if (index + 7 > limit >>> 0) return false;
  out.linAddr = (base + index) | 0;
  out.lo = cpu.readLin32(out.linAddr);
  out.hi = cpu.readLin32((out.linAddr + 4) | 0);
  return true;
}

/** Sets the accessed bit in memory, as a descriptor load does (one locked byte write). */
export function setAccessed(cpu: Cpu, d: Descriptor): void {
  if ((d.hi & 0x100) !== 0) return;
  d.hi |= 0x100;
  cpu.writeLin8((d.linAddr + 5) | 0, (d.hi >>> 8) & 0xff);
}

/** Fills a hidden segment cache from a descriptor. */
export function fillCache(cache: SegmentCache, selector: number, d: Descriptor): void {
  cache.selector = selector & 0xffff;
  cache.base = d.base;
  cache.limit = d.limit;
  cache.type = d.type;
  cache.s = d.s;
  cache.dpl = d.dpl;
  cache.present = d.present;
  cache.db = d.db;
  cache.usable = true;
  cache.refreshAccess();
}

/** A null selector in DS/ES/FS/GS: loads fine, any access through it is #GP(0). */
export function fillNull(cache: SegmentCache, selector: number): void {
  cache.selector = selector & 0xffff;
  cache.usable = false;
  cache.refreshAccess();
}

const scratch = new Descriptor();

/** MOV/POP/LDS...: loads segment register `sreg` (not CS) with the checks of protected mode. */
export function loadSegmentRegister(cpu: Cpu, sreg: number, selector: number): void {
  selector &= 0xffff;
  const st = cpu.state;
  const cache = st.segs[sreg]!;
  if ((st.cr0 & CR0.PE) === 0) {
    // Real mode: base = selector * 16, the rest of the cache unchanged.
    cache.selector = selector; cache.base = selector << 4; cache.usable = true; cache.refreshAccess();
    return;
  }
  if (sreg === 2) { loadStackSegment(cpu, selector); return; }
  if (isNullSelector(selector)) { fillNull(cache, selector); return; }
  const d = scratch;
  const err = selector & 0xfffc;
  if (!readDescriptor(cpu, selector, d)) cpu.raise(VECTOR.GP, err);
  if (!d.s || !d.readable) cpu.raise(VECTOR.GP, err);
  if (!d.conforming && ((selector & 3) > d.dpl || st.cpl > d.dpl)) cpu.raise(VECTOR.GP, err);
  if (!d.present) cpu.raise(VECTOR.NP, err);
  setAccessed(cpu, d);
  fillCache(cache, selector, d);
}

/** SS: writable data at exactly the CPL (RPL and DPL), present or #SS(selector). */
export function loadStackSegment(cpu: Cpu, selector: number): void {
  const st = cpu.state;
  const d = scratch;
  checkStackSelector(cpu, selector, st.cpl, d, VECTOR.GP, 0);
  setAccessed(cpu, d);
  fillCache(st.segs[2]!, selector, d);
}

/**
 * The checks of a stack segment for privilege `cpl`, reading its descriptor into `d`. Faults use
 * `vector` (#GP for MOV/POP/IRET/RET, #TS for a TSS stack) with `ext` added to the error code.
 */
export function checkStackSelector(cpu: Cpu, selector: number, cpl: number, d: Descriptor, vector: number, ext: number): void {
  const err = (selector & 0xfffc) + ext;
  if (isNullSelector(selector)) cpu.raise(vector, ext);
  if (!readDescriptor(cpu, selector, d)) cpu.raise(vector, err);
  if ((selector & 3) !== cpl || !d.writableData || d.dpl !== cpl) cpu.raise(vector, err);
  if (!d.present) cpu.raise(VECTOR.SS, err);
}

/**
 * Far JMP/CALL/RET and IRET: checks a code segment selector for a transfer that ends at `rpl`
 * (the CPL for JMP/CALL, the return RPL for RET/IRET), reading the descriptor into `d`.
 */
export function checkCodeSelector(cpu: Cpu, selector: number, d: Descriptor, forReturn: boolean): void {
  const st = cpu.state;
  const err = selector & 0xfffc;
  if (isNullSelector(selector)) cpu.raise(VECTOR.GP, 0);
  if (!readDescriptor(cpu, selector, d)) cpu.raise(VECTOR.GP, err);
  if (!d.isCode) cpu.raise(VECTOR.GP, err);
  const rpl = selector & 3;
  if (forReturn) {
    if (rpl < st.cpl) cpu.raise(VECTOR.GP, err);
    if (d.conforming ? d.dpl > rpl : d.dpl !== rpl) cpu.raise(VECTOR.GP, err);
  } else if (d.conforming ? d.dpl > st.cpl : rpl > st.cpl || d.dpl !== st.cpl) {
    cpu.raise(VECTOR.GP, err);
  }
  if (!d.present) cpu.raise(VECTOR.NP, err);
}

/** Loads CS from a checked descriptor at privilege `cpl` (CS.RPL = CPL). */
export function commitCodeSegment(cpu: Cpu, selector: number, d: Descriptor, cpl: number): void {
  setAccessed(cpu, d);
  fillCache(cpu.state.segs[1]!, (selector & 0xfffc) | cpl, d);
  cpu.setCpl(cpl);
}

/** On a return to an outer ring: data segment registers the new CPL may not use become null. */
export function nullInaccessibleSegments(cpu: Cpu): void {
  const st = cpu.state;
  for (const sreg of [0, 3, 4, 5]) {
    const s = st.segs[sreg]!;
    if (!s.usable) continue;
    const conformingCode = (s.type & 0xc) === 0xc;
    if (s.s && !conformingCode && s.dpl < st.cpl) fillNull(s, 0);
  }
}

/**
 * The slow path of a segmented access: null segment, rights and limit checks (#GP(0), or
 * #SS(0) through SS). Returns the linear address.
 */
export function checkedLinear(cpu: Cpu, seg: number, offset: number, sizeBytes: number, write: boolean): number {
  const s = cpu.state.segs[seg]!;
  const vector = seg === 2 ? VECTOR.SS : VECTOR.GP;
  offset >>>= 0;
  if (!s.usable) cpu.raise(VECTOR.GP, 0);
  const code = (s.type & 8) !== 0;
  if ((cpu.state.cr0 & CR0.PE) !== 0) {
    const rightsOk = write ? !code && (s.type & 2) !== 0 : !code || (s.type & 2) !== 0;
    if (!rightsOk) cpu.raise(VECTOR.GP, 0);
  }
  const last = offset + sizeBytes - 1;
  const limit = s.limit >>> 0;
  if (!code && (s.type & 4) !== 0) {
    const upper = s.db ? 0xffff_ffff : 0xffff;
    if (offset <= limit || last > upper) cpu.raise(vector, 0);
  } else if (last > limit) {
    cpu.raise(vector, 0);
  }
  return (s.base + offset) | 0;
}
