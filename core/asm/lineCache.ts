// Parsed lines kept from one assembly to the next (the language server assembles a document again
// on every keystroke): a line whose text is unchanged is neither lexed nor parsed again, and its
// constant bytes are not encoded again. What one assembly learns about a statement (its symbol,
// a forward TIMES count) is stamped with that assembly's number, so a statement carries no state
// from the assembly that made it into the next one.

import type { Stmt } from './parser';
import { LineParser, S } from './parser';
import { ByteWriter } from './output';
import type { SourceLines } from './preprocess';

/** A parser message without its place: replayed with the line's file and number. */
interface LineDiag {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly column: number;
  readonly endColumn: number;
}

interface CachedLine {
  readonly stmt: Stmt | undefined;
  readonly diags: readonly LineDiag[];
  /** The `.local` scope the line opens (a non-local label), or undefined. */
  readonly scope: string | undefined;
  /**
   * A label-less instruction (or a line with no statement): several lines of one assembly may
   * share it, as LineParser's own repeats do. Any other statement is one line's in an assembly.
   */
  readonly shareable: boolean;
  /** The last assembly that used it. */
  gen: number;
}

/** Constant bytes past this size are dropped with every cached line (they are re-made once). */
const MAX_ARENA_BYTES = 16 * 1024 * 1024;
/** Entries unused by the last assembly are dropped once they outnumber the used ones by this. */
const SLACK_ENTRIES = 4096;

let assemblies = 0;

/** A new assembly number (never 0, so 0 can mean "none"). */
export function nextAssembly(): number {
  return ++assemblies;
}

/** What `assemble` keeps between assemblies of one document; pass the same one each time. */
export class AsmCache {
  readonly lines = new Map<string, CachedLine>();
  /** The constant bytes of the cached statements (their cacheAt/cacheLen point here). */
  constants = new ByteWriter();
  /** `align`'s filler, whose cached bytes live in `constants`. */
  nop: Stmt = nopStatement();
}

/** `align`'s filler in NASM's standard macro: the NOP instruction from the table. */
export function nopStatement(): Stmt {
  return new LineParser(undefined).parse('nop', '', 0)!;
}

/**
 * Parses every line, reusing the cache's statements for unchanged lines. Its own function (as is
 * each pass) so that V8 optimises this loop alone.
 */
export function parseLinesCached(parser: LineParser, lines: SourceLines, cache: AsmCache, gen: number): { stmts: Stmt[]; stmtAt: number[] } {
  if (cache.constants.length > MAX_ARENA_BYTES) {
    cache.lines.clear();
    cache.constants = new ByteWriter();
    cache.nop = nopStatement();
  }
  const stmts: Stmt[] = [];
  const stmtAt: number[] = [];
  const { texts, files, lines: lineNos } = lines;
  const map = cache.lines;
  const diags = parser.diagnostics;
  let used = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    // A `.local` name means `scope.local`: such a line is keyed by the scope too.
    const key = text.indexOf('.') >= 0 ? `${parser.scope}\u0000${text}` : text;
    const hit = map.get(key);
    let st: Stmt | undefined;
    if (hit !== undefined && (hit.gen !== gen || hit.shareable)) {
      if (hit.gen !== gen) used++;
      hit.gen = gen;
      if (hit.scope !== undefined) parser.scope = hit.scope;
      for (const d of hit.diags) diags.push({ ...d, file: files[i]!, line: lineNos[i]! });
      st = hit.stmt;
    } else {
      const sets = parser.scopeSets;
      const before = diags.length;
      const reads = parser.fileReads;
      st = parser.parse(text, files[i]!, lineNos[i]!);
      // incbin reads a file, which may change while the text does not: never cached.
      if (hit === undefined && parser.fileReads === reads) {
        const lineDiags: LineDiag[] = [];
        for (let d = before; d < diags.length; d++) {
          const { code, severity, message, column, endColumn } = diags[d]!;
          lineDiags.push({ code, severity, message, column, endColumn });
        }
        const shareable = st === undefined || (st.label === undefined && (st.kind === S.Insn || st.kind === S.Empty));
        map.set(key, { stmt: st, diags: lineDiags, scope: parser.scopeSets !== sets ? parser.scope : undefined, shareable, gen });
        used++;
      }
    }
    if (st) { stmts.push(st); stmtAt.push(i); }
  }
  if (map.size > 2 * used + SLACK_ENTRIES) {
    for (const [k, e] of map) if (e.gen !== gen) map.delete(k);
  }
  return { stmts, stmtAt };
}
