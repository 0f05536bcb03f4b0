// A line scanner for editor features (semantic tokens, symbols, hovers): cheaper and more
// forgiving than the assembler's lexer, it never fails and keeps every token's columns, so a
// half-typed line still colours and navigates.

import { isIdChar, isIdStart as isAsmIdStart } from '../asm/lexer';

export type TokenKind = 'identifier' | 'number' | 'string' | 'comment' | 'preprocessor' | 'operator';

export interface Token {
  readonly kind: TokenKind;
  /** 0-based column of the first character (UTF-16 units, as editors count). */
  readonly start: number;
  /** 0-based column just past the token. */
  readonly end: number;
}

/** The assembler's identifier characters (non-ASCII letters too, as NASM's), and `$`, which
 * starts a name written `$name` (NASM's escape for a name that reads as a keyword). */
const isIdStart = (c: number): boolean => isAsmIdStart(c) || c === 36 /* $ */;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The tokens of one line (no line break inside `text`). Unterminated strings end at the line's end. */
export function scanLine(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  let first = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) { i++; continue; }
    const start = i;
    if (c === 59 /* ; */) {
      out.push({ kind: 'comment', start, end: n });
      break;
    }
    if (c === 34 || c === 39 || c === 96 /* " ' ` */) {
      i++;
      while (i < n && text.charCodeAt(i) !== c) i += c === 96 && text.charCodeAt(i) === 92 /* \ */ ? 2 : 1;
      i = Math.min(n, i + 1);
      out.push({ kind: 'string', start, end: i });
    } else if (c === 37 /* % */ && first && i + 1 < n && isIdStart(text.charCodeAt(i + 1))) {
      i++;
      while (i < n && isIdChar(text.charCodeAt(i))) i++;
      out.push({ kind: 'preprocessor', start, end: i });
    } else if (isDigit(c) || (c === 36 && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n && (isIdChar(text.charCodeAt(i)))) i++;
      out.push({ kind: 'number', start, end: i });
    } else if (isIdStart(c)) {
      i++;
      while (i < n && isIdChar(text.charCodeAt(i))) i++;
      const lone = text.slice(start, i);
      out.push({ kind: lone === '$' || lone === '$$' ? 'operator' : 'identifier', start, end: i });
    } else {
      i++;
      out.push({ kind: 'operator', start, end: i });
    }
    first = false;
  }
  return out;
}
