// Sections of a flat binary and their layout as `nasm -f bin` does it: .text first at the origin,
// then the other progbits sections in order of first appearance, then the nobits ones (.bss),
// each start rounded up to the section's alignment (4 unless `align=` or `align` raised it).

import { ByteWriter } from './output';

export interface SectionAttrs {
  align?: number;
  vstart?: number;
  start?: number;
  follows?: string;
  nobits?: boolean;
}

export class Section {
  readonly w = new ByteWriter();
  /** Size of a nobits section (it has no bytes). */
  reserved = 0;
  align = 4;
  nobits: boolean;
  vstart: number | undefined;
  start: number | undefined;
  follows: string | undefined;
  /** Load address and the address labels are relative to (differ only with vstart). */
  loadAddr = 0;
  labelBase = 0;

  constructor(readonly name: string, readonly index: number, attrs: SectionAttrs) {
    this.nobits = attrs.nobits ?? (name === '.bss');
    this.applyAttrs(attrs);
  }

  applyAttrs(attrs: SectionAttrs): void {
    if (attrs.align !== undefined) this.align = Math.max(this.align, attrs.align);
    if (attrs.vstart !== undefined) this.vstart = attrs.vstart;
    if (attrs.start !== undefined) this.start = attrs.start;
    if (attrs.follows !== undefined) this.follows = attrs.follows;
    if (attrs.nobits !== undefined) this.nobits = attrs.nobits;
  }

  get size(): number { return this.nobits ? this.reserved : this.w.length; }
  get offset(): number { return this.nobits ? this.reserved : this.w.length; }

  reset(): void { this.w.reset(); this.reserved = 0; }
}

function alignUp(v: number, a: number): number { return a > 1 ? Math.ceil(v / a) * a : v; }

/** Assigns load and label addresses; returns the sections in file order. */
export function layout(sections: readonly Section[], origin: number): Section[] {
  const text = sections[0]!;
  const progbits = sections.filter((s) => !s.nobits && s !== text);
  const nobits = sections.filter((s) => s.nobits && s !== text);
  const ordered: Section[] = [];
  const place = (s: Section): void => { if (!ordered.includes(s)) ordered.push(s); };
  place(text);
  for (const s of progbits) if (s.follows === undefined) place(s);
  for (const s of progbits) if (s.follows !== undefined) {
    const after = ordered.findIndex((o) => o.name === s.follows);
    if (after >= 0) ordered.splice(after + 1, 0, s); else place(s);
  }
  for (const s of nobits) place(s);
  let addr = origin;
  for (const s of ordered) {
    s.loadAddr = s.start !== undefined ? s.start : s === text ? origin : alignUp(addr, s.align);
    s.labelBase = s.vstart !== undefined ? s.vstart : s.loadAddr;
    addr = s.loadAddr + s.size;
  }
  return ordered;
}
