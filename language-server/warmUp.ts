// Warms the JIT while the server is idle after start-up: the first lint of a process runs the
// assembler's code cold (interpreted, then recompiled as it gets hot), several times slower than
// later ones, and only code that has seen the variety of real programs (every form of the table,
// varied operands, labels, comments, data: core/lang/samples.ts) is compiled for them. So: a few
// lints of such a program, one per event-loop turn, so a request that arrives meanwhile waits for
// one round at most; none once a document is open (real work warms the code then). The first
// round waits a moment: an editor opens its document right after `initialized`, and that lint
// must not queue behind the warm-up's. Most rounds also fill a fresh line cache (as a document's
// first edit does) and every fourth reuses one with a line changed, so the cached path is
// compiled too. Forty rounds rather than sixteen: the first 50,000-line lint after them took
// about a tenth less (interleaved runs in the server, ~220 against ~240 ms on a loaded host);
// each round stays as short (2,000 lines), so a request waits no longer behind one.

import { AsmCache } from '../core/asm';
import { DocumentAnalysis, tableSampleProgram } from '../core/lang';

const ROUNDS = 40;
const LINES = 2000;
/** Time for a document opened with `initialized` to arrive before the first round. */
const START_DELAY_MS = 150;

/** Starts the rounds; `busy()` stops them. */
export function warmUpWhileIdle(busy: () => boolean): void {
  let lines: string[] | undefined;
  let round = 0;
  const cache = new AsmCache();
  const step = (): void => {
    if (busy()) return;
    // Making the program assembles it once (to drop lines the assembler refuses): its own round.
    if (lines === undefined) { lines = tableSampleProgram(LINES).split('\n'); setImmediate(step); return; }
    if (round++ >= ROUNDS) return;
    // Mostly a fresh cache (a first lint fills one: the parser's work), every fourth round the
    // same one, so reusing its lines is warmed too.
    const text = lines.map((l, k) => (k === round ? `${l} ` : l)).join('\n');
    const a = new DocumentAnalysis('<warm-up>', text, { mode: round % 2 ? 'paravirtual' : 'trap-and-emulate', cache: round % 4 === 0 ? cache : new AsmCache() });
    void a.lint.asm.sourceMap;
    setImmediate(step);
  };
  setTimeout(step, START_DELAY_MS);
}
