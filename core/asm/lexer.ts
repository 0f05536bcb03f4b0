// Splits one logical source line into tokens with their columns. A hand-written char loop:
// the assembler lexes every line once, so this is the hot path of parsing.

import { mixBits } from './mixBits';

export const enum T {
  End, Id, Num, Str, Op, Here, Base, Bad,
}

export interface Token {
  readonly t: T;
  /** Identifier or operator text (identifiers keep their case), string contents for Str. */
  readonly text: string;
  /** Numeric value of a Num token. */
  readonly value: number;
  /** Quote character of a Str token (' " `), or the message of a Bad token. */
  readonly quote: string;
  /** 0-based start and end offsets in the line. */
  readonly start: number;
  readonly end: number;
  /** Exact value of a Num token past 2^53 (dq literals). */
  readonly big: bigint | undefined;
}

/** The lexer's own mutable token: one pool of them serves every line (no allocation per token). */
class PooledToken implements Token {
  t = T.End;
  text = '';
  value = 0;
  quote = '';
  start = 0;
  end = 0;
  big: bigint | undefined = undefined;
}

const pool: PooledToken[] = [];
/** Tokens of the current line so far: pool[0, count). */
let count = 0;
/**
 * The line's tokens as lex returns them: for n tokens, the array of pool[0, n), made once per n.
 * Emptying and refilling one array would give it a new backing store for nearly every line.
 */
const arraysByCount: (readonly Token[] | undefined)[] = [];

function push(t: T, text: string, value: number, quote: string, start: number, end: number): void {
  let tok = pool[count];
  if (tok === undefined) { tok = new PooledToken(); pool.push(tok); }
  tok.t = t; tok.text = text; tok.value = value; tok.quote = quote; tok.start = start; tok.end = end; tok.big = undefined;
  count++;
}

const INDENT = '        ';

/** Interned one-character operator strings by char code. */
const SINGLE: (string | undefined)[] = [];
for (const ch of '+-*/%()[],:~!&|^<>=?{}') SINGLE[ch.charCodeAt(0)] = ch;

const TWO_CHAR_OPS = ['<<', '>>', '<=', '>=', '==', '!=', '<>', '&&', '||', '^^', '//', '%%'];
/** Two-character operators by (first char code << 8 | second): interned, no substring per token. */
const TWO: Map<number, string> = new Map(TWO_CHAR_OPS.map((o) => [(o.charCodeAt(0) << 8) | o.charCodeAt(1), o]));

/**
 * Identifier and number spellings seen so far, found by a hash of their characters computed while
 * scanning: a repeated spelling costs no new string, and the one returned already carries V8's
 * hash, so the parser's Map look-ups on it (words, symbols) do not hash it again. Open addressing,
 * kept at most half full.
 */
/** Initial slots: room for the names of a large file, so the lexer's first lint does not grow the
 * table (and deoptimise intern, which had not called growIntern before) several times. */
const INITIAL_INTERN_SLOTS = 1 << 14;
let internKeys: (string | undefined)[] = new Array<string | undefined>(INITIAL_INTERN_SLOTS).fill(undefined);
let internHashes = new Int32Array(INITIAL_INTERN_SLOTS);
let internCount = 0;

function intern(line: string, start: number, end: number, hash: number): string {
  // The scan's polynomial hash gives consecutive numbers (0, 1, 2...) consecutive values.
  const h = mixBits(hash);
  let mask = internKeys.length - 1;
  let i = h & mask;
  const len = end - start;
  for (;;) {
    const k = internKeys[i];
    if (k === undefined) break;
    if (internHashes[i] === h && k.length === len && line.startsWith(k, start)) return k;
    i = (i + 1) & mask;
  }
  const text = line.slice(start, end);
  if (2 * (internCount + 1) > internKeys.length) {
    growIntern();
    mask = internKeys.length - 1;
    i = h & mask;
    while (internKeys[i] !== undefined) i = (i + 1) & mask;
  }
  internKeys[i] = text; internHashes[i] = h; internCount++;
  return text;
}

/** Past this many entries the table starts again (a long editor session must not keep every name). */
const MAX_INTERN_SLOTS = 1 << 21;

function growIntern(): void {
  const oldKeys = internKeys, oldHashes = internHashes;
  if (oldKeys.length >= MAX_INTERN_SLOTS) {
    internKeys = new Array<string | undefined>(INITIAL_INTERN_SLOTS).fill(undefined);
    internHashes = new Int32Array(INITIAL_INTERN_SLOTS);
    internCount = 0;
    return;
  }
  internKeys = new Array<string | undefined>(oldKeys.length * 2).fill(undefined);
  internHashes = new Int32Array(oldKeys.length * 2);
  const mask = internKeys.length - 1;
  for (let j = 0; j < oldKeys.length; j++) {
    const k = oldKeys[j];
    if (k === undefined) continue;
    let i = oldHashes[j]! & mask;
    while (internKeys[i] !== undefined) i = (i + 1) & mask;
    internKeys[i] = k; internHashes[i] = oldHashes[j]!;
  }
}

// NASM reads bytes, and takes every byte past 0x7F for a letter (nasmlib/nctype.c): `café` is one
// identifier, and so is a UTF-8 byte order mark (U+FEFF) with whatever follows it. Every UTF-16
// code unit past 0x7F comes from such bytes, so it is an identifier character here.
export function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 63 || c === 64 || c >= 128;
}
export function isIdChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    c === 95 || c === 46 || c === 63 || c === 64 || c === 36 || c === 35 || c === 126 || c >= 128;
}
function isDigit(c: number): boolean { return c >= 48 && c <= 57; }

/**
 * isIdChar as a table for the lexer's loops: one load per character instead of a call and a
 * chain of comparisons (a cold process runs these loops unoptimised for thousands of lines).
 * It covers ASCII only: codes past 127 are identifier characters (see isIdStart), except in a number.
 */
export const ID_CHAR: Readonly<Uint8Array> = new Uint8Array(128);
for (let c = 0; c < 128; c++) (ID_CHAR as Uint8Array)[c] = isIdChar(c) ? 1 : 0;
/** The blanks the lexer skips: space, tab, CR, FF, VT. */
export function isBlank(c: number): boolean { return c === 32 || c === 9 || c === 13 || c === 12 || c === 11; }

/**
 * Tokenizes `line` up to a `;` comment (outside quotes). Never throws: bad input gives Bad tokens.
 * The array and its tokens belong to the lexer and are overwritten by the next call: callers copy
 * what they keep (every caller finishes with a line before lexing the next).
 */
export function lex(line: string): readonly Token[] {
  count = 0;
  const n = line.length;
  let i = 0;
  // Indentation, the commonest run of blanks, eight spaces at a time: one native comparison
  // instead of eight rounds of the loop below while the lexer is not yet optimised.
  while (line.startsWith(INDENT, i)) i += 8;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (isBlank(c)) { i++; continue; }
    if (c === 59) break; // ';'
    const start = i;
    if (isDigit(c) || (c === 36 && i + 1 < n && isDigit(line.charCodeAt(i + 1)))) {
      let h = c;
      i++;
      for (; i < n; i++) {
        const d = line.charCodeAt(i);
        if (d >= 128 || ID_CHAR[d] === 0 || d === 64) break;
        h = (h * 31 + d) | 0; // exact below 2^53, so the same bits as Math.imul
      }
      const text = intern(line, start, i, h);
      const v = quickNumber(line, start, i) ?? parseNumber(text);
      if (v === undefined) push(T.Bad, text, 0, `invalid number '${text}'`, start, i);
      else if (v > Number.MAX_SAFE_INTEGER || i - start > 13) {
        // Long literals may pass 2^53 (or wrap at 2^64): keep the exact bits beside the number.
        const big = parseBig(text);
        push(T.Num, text, Number(big), '', start, i);
        pool[count - 1]!.big = big;
      } else push(T.Num, text, v, '', start, i);
      continue;
    }
    if (c === 63 && !(i + 1 < n && isIdChar(line.charCodeAt(i + 1)))) { push(T.Op, '?', 0, '', start, i + 1); i++; continue; }
    if (isIdStart(c) || c === 36) {
      if (c === 36) {
        // `$` alone is here, `$$` the section base, `$name` an identifier that may clash with a keyword.
        if (i + 1 < n && line.charCodeAt(i + 1) === 36) { push(T.Base, '$$', 0, '', start, i + 2); i += 2; continue; }
        if (i + 1 >= n || !isIdStart(line.charCodeAt(i + 1))) { push(T.Here, '$', 0, '', start, i + 1); i++; continue; }
        i++;
        const s2 = i;
        while (i < n && isIdChar(line.charCodeAt(i))) i++;
        push(T.Id, line.slice(s2, i), 1, '', start, i); // value 1 marks an escaped name
        continue;
      }
      let h = c;
      i++;
      for (; i < n; i++) {
        const d = line.charCodeAt(i);
        if (d < 128 && ID_CHAR[d] === 0) break;
        h = (h * 31 + d) | 0;
      }
      push(T.Id, intern(line, start, i, h), 0, '', start, i);
      continue;
    }
    if (c === 39 || c === 34 || c === 96) {
      const q = line[i]!;
      i++;
      let s = '';
      let closed = false;
      if (c === 96) {
        const r = readBackquoted(line, i);
        s = r.text; i = r.end; closed = r.closed;
      } else {
        const close = line.indexOf(q, i);
        if (close >= 0) { s = line.slice(i, close); i = close + 1; closed = true; } else { s = line.slice(i); i = n; }
        s = encodeUtf8(s);
      }
      if (closed) push(T.Str, s, 0, q, start, i); else push(T.Bad, s, 0, 'unterminated string', start, i);
      continue;
    }
    const ch = SINGLE[c];
    if (ch !== undefined) {
      // Only characters that can begin a longer operator need a look at the next ones.
      if ((c === 60 || c === 62 || c === 61 || c === 33 || c === 38 || c === 124 || c === 94 || c === 47 || c === 37) && i + 1 < n) {
        const c1 = line.charCodeAt(i + 1);
        if (i + 2 < n) {
          const c2 = line.charCodeAt(i + 2);
          const three = c === 60 && c1 === 60 && c2 === 60 ? '<<<' : c === 62 && c1 === 62 && c2 === 62 ? '>>>' : c === 60 && c1 === 61 && c2 === 62 ? '<=>' : undefined;
          if (three !== undefined) { push(T.Op, three, 0, '', start, i + 3); i += 3; continue; }
        }
        const two = TWO.get((c << 8) | c1);
        if (two !== undefined) { push(T.Op, two, 0, '', start, i + 2); i += 2; continue; }
      }
      push(T.Op, ch, 0, '', start, i + 1); i++; continue;
    }
    const bad = line[i]!;
    push(T.Bad, bad, 0, `unexpected character '${bad}'`, start, i + 1);
    i++;
  }
  push(T.End, '', 0, '', i > n ? n : i, i > n ? n : i);
  return arraysByCount[count] ?? (arraysByCount[count] = pool.slice(0, count));
}

/**
 * The common spellings (plain decimal, 0x hex) read straight from the line; undefined sends the
 * token to parseNumber, which knows every NASM form.
 */
function quickNumber(line: string, start: number, end: number): number | undefined {
  let base = 10;
  let i = start;
  if (end - start > 2 && line.charCodeAt(start) === 48 && (line.charCodeAt(start + 1) | 0x20) === 120) { base = 16; i += 2; }
  if (end - i > 13) return undefined; // may pass 2^53: the exact path handles it
  let v = 0;
  for (; i < end; i++) {
    const c = line.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (base === 16 && (c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
    else return undefined;
    v = v * base + d;
  }
  return v;
}

/** Backquoted strings take C escapes (NASM manual 3.4.2). Returns the bytes as char codes 0..255. */
function readBackquoted(line: string, i: number): { text: string; end: number; closed: boolean } {
  const n = line.length;
  let s = '';
  while (i < n) {
    const ch = line[i]!;
    if (ch === '`') return { text: s, end: i + 1, closed: true };
    if (ch !== '\\' || i + 1 >= n) {
      // A character past U+FFFF is two code units: encoded as one (each half alone is not UTF-8).
      const c = line.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? line.charCodeAt(i + 1) : 0;
      const units = pair >= 0xdc00 && pair <= 0xdfff ? 2 : 1;
      s += encodeUtf8(units === 2 ? line.slice(i, i + 2) : ch);
      i += units;
      continue;
    }
    const e = line[i + 1]!;
    i += 2;
    switch (e) {
      case 'n': s += '\n'; break;
      case 't': s += '\t'; break;
      case 'r': s += '\r'; break;
      case 'a': s += '\x07'; break;
      case 'b': s += '\b'; break;
      case 'f': s += '\f'; break;
      case 'v': s += '\v'; break;
      case 'e': s += '\x1b'; break;
      case 'x': {
        let v = 0; let k = 0;
        while (k < 2 && i < n && /[0-9a-fA-F]/.test(line[i]!)) { v = v * 16 + parseInt(line[i]!, 16); i++; k++; }
        s += String.fromCharCode(v);
        break;
      }
      case 'u': case 'U': {
        const len = e === 'u' ? 4 : 8;
        let v = 0; let k = 0;
        while (k < len && i < n && /[0-9a-fA-F]/.test(line[i]!)) { v = v * 16 + parseInt(line[i]!, 16); i++; k++; }
        s += encodeUtf8(String.fromCodePoint(Math.min(v, 0x10ffff)));
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          let v = e.charCodeAt(0) - 48; let k = 1;
          while (k < 3 && i < n && line[i]! >= '0' && line[i]! <= '7') { v = v * 8 + line.charCodeAt(i) - 48; i++; k++; }
          s += String.fromCharCode(v & 0xff);
        } else s += e;
    }
  }
  return { text: s, end: n, closed: false };
}

/**
 * Source text is Unicode; NASM reads the file's bytes, so a string is its UTF-8 bytes (one char
 * code 0..255 each, as the data and character-constant writers expect).
 */
export function encodeUtf8(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) { plain = false; break; }
  if (plain) return s;
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** The text of a string token's bytes (encodeUtf8 undone), for a file name. */
export function decodeUtf8(bytes: string): string {
  let plain = true;
  for (let i = 0; i < bytes.length; i++) if (bytes.charCodeAt(i) > 0x7f) { plain = false; break; }
  if (plain) return bytes;
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/**
 * A NASM number: 0x/0h/$ hex, trailing h; 0b/0y, trailing b/y binary; 0o/0q, trailing o/q octal;
 * 0d or trailing d decimal; `_` separators anywhere after the first digit.
 */
export function parseNumber(raw: string): number | undefined {
  let s = raw.replace(/_/g, '').toLowerCase();
  if (s.startsWith('$')) return digits(s.slice(1), 16);
  if (s.length > 2 && s[0] === '0') {
    const p = s[1];
    const rest = s.slice(2);
    if (p === 'x' || p === 'h') return digits(rest, 16);
    if (p === 'b' || p === 'y') return digits(rest, 2);
    if (p === 'o' || p === 'q') return digits(rest, 8);
    if (p === 'd' || p === 't') return digits(rest, 10);
  }
  const last = s[s.length - 1];
  if (last === 'h') return digits(s.slice(0, -1), 16);
  if (last === 'q' || last === 'o') return digits(s.slice(0, -1), 8);
  if (last === 'b' || last === 'y') { const v = digits(s.slice(0, -1), 2); if (v !== undefined) return v; }
  if (last === 'd' || last === 't') { const v = digits(s.slice(0, -1), 10); if (v !== undefined) return v; }
  s = s.toLowerCase();
  return digits(s, 10);
}

function digits(s: string, base: number): number | undefined {
  if (s.length === 0) return undefined;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 99;
    if (d >= base) return undefined;
    v = v * base + d;
  }
  // NASM keeps 64 bits; values past 2^53 lose precision here (documented limitation).
  return v >= 2 ** 64 ? v % 2 ** 64 : v;
}

/** The exact 64-bit value of a number too large for a double. */
function parseBig(raw: string): bigint {
  let s = raw.replace(/_/g, '').toLowerCase();
  let base = 10;
  if (s.startsWith('$')) { base = 16; s = s.slice(1); } else if (/^0[xh]/.test(s)) { base = 16; s = s.slice(2); } else if (/^0[by]/.test(s)) { base = 2; s = s.slice(2); } else if (/^0[oq]/.test(s)) { base = 8; s = s.slice(2); } else if (/^0[dt]/.test(s)) s = s.slice(2);
  else if (s.endsWith('h')) { base = 16; s = s.slice(0, -1); } else if (/[qo]$/.test(s)) { base = 8; s = s.slice(0, -1); } else if (/[by]$/.test(s)) { base = 2; s = s.slice(0, -1); } else if (/[dt]$/.test(s)) s = s.slice(0, -1);
  let v = 0n;
  for (const ch of s) v = v * BigInt(base) + BigInt(parseInt(ch, base));
  return BigInt.asUintN(64, v);
}
