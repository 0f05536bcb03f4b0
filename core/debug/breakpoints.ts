// The debugger's breakpoints: by source line (moved to the next instruction through the source
// map), by label (function breakpoints) and by address (instruction breakpoints), each with an
// optional condition, hit condition and log message. This table decides; the CPU only stops at
// the addresses it is given (Cpu.setBreakpoints).

import type { AsmSymbol } from '../asm';
import type { SourceLines } from './sourceLines';

export type BreakpointKind = 'source' | 'function' | 'instruction';

export interface BreakpointOptions {
  readonly condition?: string;
  /** VS Code's hit condition: `5` or `>= 5` (from the fifth hit on), `== 5`, `> 5`, `% 5`. */
  readonly hitCondition?: string;
  /** A logpoint: print this (with `{expression}` interpolated) instead of stopping. */
  readonly logMessage?: string;
}

export interface Breakpoint extends BreakpointOptions {
  readonly id: number;
  readonly kind: BreakpointKind;
  readonly verified: boolean;
  /** The guest address it stops at (EIP), when verified. */
  readonly addr?: number;
  readonly file?: string;
  /** 1-based line it was moved to. */
  readonly line?: number;
  readonly column?: number;
  /** Why it is not verified, or where it moved. */
  readonly message?: string;
  hits: number;
}

export interface SourceBreakpointRequest extends BreakpointOptions { readonly line: number; readonly column?: number }
export interface FunctionBreakpointRequest extends BreakpointOptions { readonly name: string }
export interface InstructionBreakpointRequest extends BreakpointOptions { readonly addr: number }

let nextId = 1;

export class BreakpointTable {
  private readonly bySource = new Map<string, Breakpoint[]>();
  private functions: Breakpoint[] = [];
  private instructions: Breakpoint[] = [];
  private byAddr = new Map<number, Breakpoint[]>();

  constructor(private readonly lines: SourceLines, private readonly symbols: readonly AsmSymbol[]) {}

  /** Replaces the breakpoints of `file` (the path as the assembler named it, or null for a file
   *  that is not part of the program). */
  setSource(file: string | null, requests: readonly SourceBreakpointRequest[], shownAs: string): Breakpoint[] {
    const out = requests.map((r): Breakpoint => {
      const base = { id: nextId++, kind: 'source' as const, hits: 0, ...options(r) };
      if (file === null) return { ...base, verified: false, line: r.line, message: `${shownAs} is not part of the program being debugged` };
      const e = this.lines.instructionAtOrAfter(file, r.line);
      if (e === undefined) return { ...base, verified: false, line: r.line, message: `no instruction on or after line ${r.line}` };
      return {
        ...base, verified: true, addr: e.addr, file: e.file, line: e.line, column: e.column,
        ...(e.line !== r.line ? { message: `moved to line ${e.line}, the next instruction` } : {}),
      };
    });
    this.bySource.set(file ?? `\0${shownAs}`, out);
    this.reindex();
    return out;
  }

  setFunctions(requests: readonly FunctionBreakpointRequest[]): Breakpoint[] {
    this.functions = requests.map((r): Breakpoint => {
      const base = { id: nextId++, kind: 'function' as const, hits: 0, ...options(r) };
      const sym = this.symbols.find((s) => s.kind === 'label' && s.name === r.name) ?? this.lines.label(r.name);
      if (sym === undefined) return { ...base, verified: false, message: `no label '${r.name}' in the program` };
      const e = this.lines.instructionAtOrAfter(sym.file, sym.line);
      const addr = e !== undefined && e.addr >= sym.value && e.addr - sym.value < 16 ? e.addr : sym.value;
      const at = this.lines.entryAt(addr);
      return { ...base, verified: true, addr, file: at?.file ?? sym.file, line: at?.line ?? sym.line, column: at?.column ?? sym.column };
    });
    this.reindex();
    return this.functions;
  }

  setInstructions(requests: readonly InstructionBreakpointRequest[]): Breakpoint[] {
    this.instructions = requests.map((r): Breakpoint => {
      const base = { id: nextId++, kind: 'instruction' as const, hits: 0, ...options(r) };
      const at = this.lines.entryAt(r.addr);
      return { ...base, verified: true, addr: r.addr >>> 0, ...(at !== undefined ? { file: at.file, line: at.line, column: at.column } : {}) };
    });
    this.reindex();
    return this.instructions;
  }

  /** Every address a breakpoint stops at. */
  addresses(): number[] { return [...this.byAddr.keys()]; }

  at(addr: number): readonly Breakpoint[] { return this.byAddr.get(addr >>> 0) ?? []; }

  private reindex(): void {
    this.byAddr = new Map();
    for (const bp of [...[...this.bySource.values()].flat(), ...this.functions, ...this.instructions]) {
      if (!bp.verified || bp.addr === undefined) continue;
      const list = this.byAddr.get(bp.addr);
      if (list === undefined) this.byAddr.set(bp.addr, [bp]); else list.push(bp);
    }
  }
}

function options(r: BreakpointOptions): BreakpointOptions {
  return {
    ...(r.condition !== undefined && r.condition.trim() !== '' ? { condition: r.condition } : {}),
    ...(r.hitCondition !== undefined && r.hitCondition.trim() !== '' ? { hitCondition: r.hitCondition } : {}),
    ...(r.logMessage !== undefined && r.logMessage !== '' ? { logMessage: r.logMessage } : {}),
  };
}

/** Whether hit number `hits` (1-based) satisfies a hit condition; an error for a bad one. */
export function hitConditionMet(hitCondition: string, hits: number): boolean | { error: string } {
  const m = /^\s*(>=|==|>|<=|<|%)?\s*(\d+)\s*$/.exec(hitCondition);
  if (m === null) return { error: `hit condition '${hitCondition}' is not a number, '>= N', '== N', '> N' or '% N'` };
  const n = Number(m[2]);
  switch (m[1]) {
    case undefined: case '>=': return hits >= n;
    case '==': return hits === n;
    case '>': return hits > n;
    case '<=': return hits <= n;
    case '<': return hits < n;
    case '%': return n > 0 && hits % n === 0;
    default: return false;
  }
}
