// The emitted instructions of an assembly as parallel arrays, for the linter, which decodes every
// one of them: the same facts as the source map's code entries without an object per entry (a
// 50,000-line file has 30,000), plus a key that tells which spans hold the same constant bytes.

import type { AsmResult } from './types';

export interface CodeSpans {
  /** The spans are [0, count) of each array (the arrays may be longer). */
  readonly count: number;
  /** Address of each span's first byte (as the source map's `addr`) and its length in bytes. */
  readonly addr: Float64Array;
  readonly length: Float64Array;
  readonly file: readonly string[];
  readonly line: Int32Array;
  readonly column: Int32Array;
  /**
   * Spans with the same key >= 0 hold the same bytes: one instruction whose encoding is constant
   * (no symbol, no position), shared by every line of the same text. -1: not known to be shared.
   */
  readonly bytesKey: Int32Array;
}

/** The builders the assembler registers for its results (a result it did not build has none). */
const BUILDERS = new WeakMap<AsmResult, () => CodeSpans>();

export function registerCodeSpans(result: AsmResult, build: () => CodeSpans): void {
  BUILDERS.set(result, build);
}

/**
 * The bytes of an assembly with errors as its last pass wrote them, laid out as the output would
 * be (a result with errors has no `bytes`): the linter decodes the instructions that assembled,
 * so that an error on one line does not hide the findings on every other.
 */
const DRAFTS = new WeakMap<AsmResult, () => Uint8Array>();

export function registerDraftBytes(result: AsmResult, build: () => Uint8Array): void {
  DRAFTS.set(result, build);
}

/**
 * The bytes the code spans of `result` point into (at their address minus the origin): its output,
 * or after errors its draft (empty when the assembler registered none). In the draft, a line with
 * an error of its own may hold guessed bytes (0 for an undefined symbol).
 */
export function codeBytes(result: AsmResult): Uint8Array {
  if (result.ok) return result.bytes;
  return DRAFTS.get(result)?.() ?? result.bytes;
}

/** The code entries of `result`'s source map, in its order. */
export function codeSpans(result: AsmResult): CodeSpans {
  const build = BUILDERS.get(result);
  if (build) return build();
  const entries = result.sourceMap.filter((e) => e.isCode);
  const n = entries.length;
  const spans = { count: n, addr: new Float64Array(n), length: new Float64Array(n), file: entries.map((e) => e.file), line: new Int32Array(n), column: new Int32Array(n), bytesKey: new Int32Array(n).fill(-1) };
  entries.forEach((e, k) => { spans.addr[k] = e.addr; spans.length[k] = e.length; spans.line[k] = e.line; spans.column[k] = e.column; });
  return spans;
}
