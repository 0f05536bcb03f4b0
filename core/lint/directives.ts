// The comments the linter obeys (DESIGN, "Diagnostics"): a first-line `; ringlab: mode=pv` and a
// per-line `; ringlab-ignore RL202 [RL201...]`, plus the extent of an instruction's text on its
// line (the diagnostic range: from the source map's column to the comment or the line's end).

import { parseMode, type Mode } from '../run/modes';

// Keywords in any case, as the mode names are (parseMode). The name runs to a blank, comma or
// semicolon: `mode=pv2` names `pv2` (an unknown mode, RL200), not `pv` followed by noise.
const MODE_DIRECTIVE = /^\s*;\s*ringlab:\s*mode\s*=\s*([^\s,;]+)/i;
const IGNORE_DIRECTIVE = /;.*?\bringlab-ignore\b([^;]*)/i;
/** Whole words shaped like a code: `RL2011` is one (it names no code and silences no RL201). */
const CODE_WORD = /\bRL\d\w*/gi;

export interface ModeDirective {
  /** The mode named, or undefined when the name is not a mode. */
  readonly mode: Mode | undefined;
  readonly name: string;
  /** 1-based columns of the name, for a diagnostic on a bad one. */
  readonly column: number;
  readonly endColumn: number;
}

/** The mode directive on the source's first line, if any. */
export function modeDirective(firstLine: string): ModeDirective | undefined {
  const m = MODE_DIRECTIVE.exec(firstLine);
  if (!m) return undefined;
  const name = m[1]!;
  const column = m.index + m[0].length - name.length + 1;
  return { mode: parseMode(name), name, column, endColumn: column + name.length };
}

/**
 * The codes a line silences: undefined when it has no ignore comment, an empty set when the
 * comment names no code (which silences every RL2xx code on the line).
 */
export function ignoredCodes(line: string): ReadonlySet<string> | undefined {
  if (line.indexOf(';') < 0) return undefined; // no comment: no need to run the expression
  const m = IGNORE_DIRECTIVE.exec(line);
  if (!m) return undefined;
  return new Set((m[1]!.match(CODE_WORD) ?? []).map((c) => c.toUpperCase()));
}

/** 1-based column just past the code on the line, ignoring a comment and trailing blanks. */
export function codeEnd(line: string, column: number): number {
  let quote = 0;
  let end = line.length;
  for (let i = Math.max(0, column - 1); i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === 34 /* " */ || ch === 39 /* ' */ || ch === 96 /* ` */) {
      quote = ch;
    } else if (ch === 59 /* ; */) {
      end = i;
      break;
    }
  }
  while (end > column - 1 && isSpace(line.charCodeAt(end - 1))) end--;
  return Math.max(end + 1, column + 1);
}

/** What `\s` matches in a regular expression (ECMAScript WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
