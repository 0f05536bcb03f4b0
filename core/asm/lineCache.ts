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
  /** The scope its key names (the line has a `.local` name), or undefined. */
  readonly keyScope: string | undefined;
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
  /**
   * Entries by key (the text, with the scope for a line with `.local` names), for lines that moved
   * further than the aligned look-up sees. Filled only once an assembly needs it, from the last
   * assembly's lines: a document's first lint pays no hashing for it.
   */
  readonly lines = new Map<string, CachedLine>();
  /** Whether `lines` holds every entry of `prevEntries`. */
  mapped = false;
  /** The constant bytes of the cached statements (their cacheAt/cacheLen point here). */
  constants = new ByteWriter();
  /** `align`'s filler, whose cached bytes live in `constants`. */
  nop: Stmt = nopStatement();
  /**
   * The last assembly's line texts and the entry each used: most lines of an edited document are
   * where they were (or one or two lines off), and comparing a text with the one at its old place
   * costs a third of hashing it for the map.
   */
  prevTexts: readonly string[] = [];
  prevEntries: Array<CachedLine | undefined> = [];
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
    cache.prevTexts = [];
    cache.prevEntries = [];
    cache.mapped = false;
  }
  const stmts: Stmt[] = [];
  const stmtAt: number[] = [];
  const { texts, files, lines: lineNos } = lines;
  const map = cache.lines;
  const diags = parser.diagnostics;
  const { prevTexts, prevEntries } = cache;
  const entries: Array<CachedLine | undefined> = new Array(texts.length);
  let used = 0;
  /** Where this line's text was in the last assembly, if the lines above moved by less than 3. */
  let j = 0;
  /** Lines in a row not found at their old place: from 3 on, the lines have moved (a block was
   * deleted or pasted) and the map finds them; one changed line alone needs no map. */
  let misses = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    const dotted = text.indexOf('.') >= 0;
    let hit: CachedLine | undefined;
    misses++;
    for (let d = 0; d < 3 && j + d < prevTexts.length; d++) {
      if (prevTexts[j + d] === text) {
        misses = 0;
        const e = prevEntries[j + d];
        if (e !== undefined && e.keyScope === (dotted ? parser.scope : undefined)) hit = e;
        j += d + 1;
        break;
      }
    }
    // A `.local` name means `scope.local`: such a line is keyed by the scope too.
    const key = hit !== undefined ? '' : dotted ? `${parser.scope}\u0000${text}` : text;
    if (hit === undefined && (cache.mapped || (misses >= 3 && prevTexts.length > 0))) {
      if (!cache.mapped) mapAll(cache);
      hit = map.get(key);
    }
    let st: Stmt | undefined;
    if (hit !== undefined && (hit.gen !== gen || hit.shareable)) {
      if (hit.gen !== gen) used++;
      hit.gen = gen;
      if (hit.scope !== undefined) parser.scope = hit.scope;
      for (const d of hit.diags) diags.push({ ...d, file: files[i]!, line: lineNos[i]! });
      st = hit.stmt;
      entries[i] = hit;
    } else {
      const sets = parser.scopeSets;
      const keyScope = parser.scope;
      const before = diags.length;
      const reads = parser.fileReads;
      st = parser.parse(text, files[i]!, lineNos[i]!);
      // incbin reads a file, which may change while the text does not: never cached.
      if (hit === undefined && parser.fileReads === reads) {
        let lineDiags = NO_DIAGS;
        if (diags.length > before) {
          const own: LineDiag[] = [];
          for (let d = before; d < diags.length; d++) {
            const { code, severity, message, column, endColumn } = diags[d]!;
            own.push({ code, severity, message, column, endColumn });
          }
          lineDiags = own;
        }
        const shareable = st === undefined || (st.label === undefined && (st.kind === S.Insn || st.kind === S.Empty));
        const e: CachedLine = { stmt: st, diags: lineDiags, scope: parser.scopeSets !== sets ? parser.scope : undefined, keyScope: dotted ? keyScope : undefined, shareable, gen };
        if (cache.mapped) map.set(key, e);
        entries[i] = e;
        used++;
      }
    }
    if (st) { stmts.push(st); stmtAt.push(i); }
  }
  cache.prevTexts = texts;
  cache.prevEntries = entries;
  if (cache.mapped && map.size > 2 * used + SLACK_ENTRIES) {
    for (const [k, e] of map) if (e.gen !== gen) map.delete(k);
  }
  return { stmts, stmtAt };
}

const NO_DIAGS: readonly LineDiag[] = [];

/** Puts the last assembly's entries in the map (its first miss of the aligned look-up). */
function mapAll(cache: AsmCache): void {
  const { prevTexts, prevEntries, lines } = cache;
  for (let i = 0; i < prevTexts.length; i++) {
    const e = prevEntries[i];
    if (e === undefined) continue;
    const text = prevTexts[i]!;
    lines.set(e.keyScope === undefined ? text : `${e.keyScope}\u0000${text}`, e);
  }
  cache.mapped = true;
}
