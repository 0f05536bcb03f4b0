// What the compiled translation cache did, for `ringlab run` reports and the benchmark.

export class JitStats {
  /** Blocks compiled to JavaScript. */
  compiled = 0;
  /** Host milliseconds spent generating and compiling them. */
  compileMs = 0;
  /** Block entries found by lookup in the cache. */
  hits = 0;
  /** Block entries through the predecessor's chain pointer (no lookup). */
  chained = 0;
  /** Blocks dropped because the guest wrote to their bytes. */
  invalidations = 0;
  /** Times the whole cache was dropped (its bound was reached, or the decode cache's). */
  flushes = 0;
  /** Guest instructions retired by compiled code. */
  instructions = 0;

  toJSON(): Record<string, number> {
    return {
      compiled: this.compiled, compileMs: Math.round(this.compileMs * 10) / 10, hits: this.hits, chained: this.chained,
      invalidations: this.invalidations, flushes: this.flushes, instructions: this.instructions,
    };
  }
}
