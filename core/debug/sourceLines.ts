// The assembler's source map as the debugger asks it: the first instruction at or after a line
// (breakpoints move to the next instruction, as other debuggers move them), the line of an
// address, and labels by name and by address. Files are compared as the assembler named them.

import type { AsmResult, AsmSymbol, SourceMapEntry } from '../asm';

export interface LineLocation { readonly file: string; readonly line: number; readonly column: number }

export class SourceLines {
  private readonly code: SourceMapEntry[];
  private readonly byFile = new Map<string, SourceMapEntry[]>();
  private readonly labels: AsmSymbol[];

  constructor(asm: AsmResult | undefined) {
    this.code = (asm?.sourceMap ?? []).filter((e) => e.isCode).slice().sort((a, b) => a.addr - b.addr);
    for (const e of this.code) {
      let list = this.byFile.get(e.file);
      if (list === undefined) { list = []; this.byFile.set(e.file, list); }
      list.push(e);
    }
    for (const list of this.byFile.values()) list.sort((a, b) => a.line - b.line || a.addr - b.addr);
    this.labels = (asm?.symbols ?? []).filter((s) => s.kind === 'label').slice().sort((a, b) => a.value - b.value);
  }

  get files(): string[] { return [...this.byFile.keys()]; }

  /** The first instruction on `line` or the next line that has one (within the same file). */
  instructionAtOrAfter(file: string, line: number): SourceMapEntry | undefined {
    const list = this.byFile.get(file);
    if (list === undefined) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.line < line) lo = mid + 1; else hi = mid;
    }
    return list[lo];
  }

  /** The instruction whose bytes hold `addr`, or undefined (data, or not from this source). */
  entryAt(addr: number): SourceMapEntry | undefined {
    const a = addr >>> 0;
    let lo = 0;
    let hi = this.code.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.code[mid]!;
      if (a < e.addr) hi = mid - 1;
      else if (a >= e.addr + e.length) lo = mid + 1;
      else return e;
    }
    return undefined;
  }

  /** Whether `addr` starts an instruction of the source. */
  startsInstruction(addr: number): boolean {
    return this.entryAt(addr)?.addr === addr >>> 0;
  }

  label(name: string): AsmSymbol | undefined {
    return this.labels.find((s) => s.name === name) ?? this.labels.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  symbol(name: string, all: readonly AsmSymbol[]): AsmSymbol | undefined {
    return all.find((s) => s.name === name);
  }

  /** The nearest label at or below `addr` (a frame's function name): `puts`, `puts+0x12`. */
  nameOf(addr: number): string | undefined {
    const a = addr >>> 0;
    let best: AsmSymbol | undefined;
    for (const s of this.labels) {
      if (s.value > a) break;
      // Prefer a global label over the local `.x` labels inside it.
      if (!s.name.includes('.') || best === undefined) best = s;
      else if (best !== undefined && !s.name.startsWith(best.name + '.')) best = s;
    }
    if (best === undefined) return undefined;
    const global = best.name.includes('.') ? best.name.slice(0, best.name.indexOf('.')) || best.name : best.name;
    const base = this.labels.find((s) => s.name === global) ?? best;
    return a === base.value ? base.name : `${base.name}+0x${(a - base.value).toString(16)}`;
  }
}
