// Warms the JIT while the server is idle after start-up: the first lint of a process runs the
// assembler's code cold (interpreted, then recompiled as it gets hot), several times slower than
// later ones, and only code that has seen the variety of real programs (every form of the table,
// varied operands and indentation, labels, comments, data: core/lang/samples.ts) is compiled for
// them. So: a few lints of such a program, one per event-loop turn, so a request that arrives
// meanwhile waits for one round at most; none once a document is open (real work warms the code
// then). The first round waits a moment: an editor opens its document right after `initialized`,
// and that lint must not queue behind the warm-up's.
//
// Each round takes the server's own path for a document: an Analyses entry for a TextDocument
// with a file: URI (its path made at run time, as a client's are) and its conversion to LSP
// diagnostics. In each four rounds, two open a new document, whose first lint goes without a line
// cache (the path of a file just opened, the one waited for), and two edit it: the first edit
// fills its line cache, the second reuses it (a keystroke's path). V8 compiles a function for
// what it has run: a warm-up that only took the cached path, saw a third of the table, indented
// with four spaces only and named its file with a literal left the first real file to deoptimise
// lex, flag and LineSource.line and to run parseLines cold while they were recompiled.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { tableSampleLines, tableSampleProgram, type DocumentAnalysis } from '../core/lang';
import type { Mode } from '../core/run/modes';
import { Analyses } from './analyses';
import { documentDiagnostics } from './diagnostics';
import type { WorkspaceFiles } from './workspaceFiles';

const ROUNDS = 40;
const LINES = 2000;
/** Time for a document opened with `initialized` to arrive before the first round. */
const START_DELAY_MS = 150;
/** Samples in a program of LINES lines (16 in each block of about 24 lines). */
const SAMPLES_PER_PROGRAM = Math.floor(LINES / 24) * 16;
/** Where the rounds' documents claim to live (never read or written: their text is given). */
const URI_BASE = 'file:///ringlab-warm-up/round';

/**
 * The last round's analysis, kept for the server's life (about 1 MB): V8 frees a hidden class no
 * live object has at a full GC, with the code optimised for it (see LATEST in
 * core/asm/assembler.ts), and a lint's results are such objects until a document is open.
 */
const KEPT: { round: DocumentAnalysis | undefined } = { round: undefined };

/**
 * Starts the rounds (their analyses apart from the server's, and dropped after but the last, in
 * KEPT); `busy()` stops them. `onRound` sees each round's document and analysis (the tests'
 * window on the rounds). Resolves when the rounds end or stop.
 */
export function warmUpWhileIdle(busy: () => boolean, files: WorkspaceFiles, onRound?: (doc: TextDocument, analysis: DocumentAnalysis) => void): Promise<void> {
  let ended: () => void = () => {};
  const done = new Promise<void>((resolve) => { ended = resolve; });
  let mode: Mode = 'paravirtual';
  const analyses = new Analyses(files, () => mode);
  /** Programs over successive windows of the samples, so that the rounds see every form. */
  const programs: string[][] = [];
  let windows = 0;
  let round = 0;
  let doc: TextDocument | undefined;
  const step = (): void => {
    if (busy() || round >= ROUNDS) {
      if (doc) { KEPT.round = analyses.peek(doc.uri); analyses.forget(doc.uri, true); }
      ended();
      return;
    }
    // Making the samples assembles them once (to drop lines the assembler refuses): its own turn,
    // as is making each program the first time.
    if (windows === 0) { windows = Math.ceil(tableSampleLines().length / SAMPLES_PER_PROGRAM); setImmediate(step); return; }
    const w = Math.floor(round / 4) % windows;
    if (programs[w] === undefined) { programs[w] = tableSampleProgram(LINES, w * SAMPLES_PER_PROGRAM).split('\n'); setImmediate(step); return; }
    const lines = programs[w]!;
    round++;
    const text = lines.map((l, k) => (k === round ? `${l} ` : l)).join('\n');
    if ((round % 4 === 3 || round % 4 === 0) && doc !== undefined) doc = TextDocument.create(doc.uri, doc.languageId, doc.version + 1, text);
    else {
      if (doc) analyses.forget(doc.uri, true);
      doc = TextDocument.create(`${URI_BASE}${round}.gasm`, 'guest-asm', 1, text);
    }
    mode = round % 2 ? 'paravirtual' : 'trap-and-emulate';
    const analysis = analyses.get(doc);
    documentDiagnostics(analysis, files);
    void analysis.lint.asm.sourceMap;
    onRound?.(doc, analysis);
    setImmediate(step);
  };
  setTimeout(step, START_DELAY_MS);
  return done;
}
