// A listing in NASM's spirit: address, bytes, source line, and (for the demo) the disassembly of
// those bytes beside them, so a reader sees the assembler and the decoder agree line by line.

import { disassemble } from '../core/disasm';
import { splitSourceLines } from '../core/asm/preprocess';
import type { AsmResult, SourceMapEntry } from '../core/asm/types';
import { hex32, hexBytes } from './usage';

const BYTES_PER_ROW = 8;
const BYTES_WIDTH = BYTES_PER_ROW * 3 - 1;
const SOURCE_WIDTH = 40;

export interface ListingOptions {
  /** Add a column with the disassembly of each instruction's bytes. */
  readonly disassembly: boolean;
  /** Source text of files other than the main one (%include); missing files show only their name. */
  readonly readSource?: (file: string) => string | undefined;
}

export function formatListing(source: string, file: string, result: AsmResult, options: ListingOptions): string[] {
  const texts = new Map<string, string[]>([[file, splitSourceLines(source)]]);
  const lineText = (f: string, line: number): string => {
    let lines = texts.get(f);
    if (!lines) {
      lines = splitSourceLines(options.readSource?.(f) ?? '');
      texts.set(f, lines);
    }
    return lines[line - 1] ?? '';
  };

  const out: string[] = [];
  const header = `${'address'.padEnd(10)}  ${'bytes'.padEnd(BYTES_WIDTH)}  ${options.disassembly ? 'source'.padEnd(SOURCE_WIDTH) + '  disassembly' : 'source'}`;
  out.push(header.trimEnd(), '-'.repeat(header.trimEnd().length));

  const row = (addr: string, bytes: string, text: string, disasm: string): void => {
    const src = options.disassembly ? clip(text, SOURCE_WIDTH).padEnd(SOURCE_WIDTH) + '  ' + disasm : text;
    out.push(`${addr.padEnd(10)}  ${bytes.padEnd(BYTES_WIDTH)}  ${src}`.trimEnd());
  };

  const mainLines = texts.get(file)!;
  let nextLine = 1;
  const entries = [...result.sourceMap].sort((a, b) => a.addr - b.addr);
  for (const e of entries) {
    if (e.file === file) {
      for (; nextLine < e.line; nextLine++) row('', '', mainLines[nextLine - 1] ?? '', '');
      nextLine = Math.max(nextLine, e.line + 1);
    }
    const text = e.file === file ? lineText(e.file, e.line) : `${e.file}:${e.line}: ${lineText(e.file, e.line).trim()}`;
    emitEntry(e, text, result, options, row);
  }
  for (; nextLine <= mainLines.length; nextLine++) row('', '', mainLines[nextLine - 1] ?? '', '');
  // A trailing newline in the file is not a line of its own.
  while (out.length > 2 && out[out.length - 1] === '') out.pop();
  return out;
}

function emitEntry(
  e: SourceMapEntry, text: string, result: AsmResult, options: ListingOptions,
  row: (addr: string, bytes: string, text: string, disasm: string) => void,
): void {
  const offset = e.addr - result.origin;
  const bytes = offset >= 0 && offset + e.length <= result.bytes.length ? result.bytes.subarray(offset, offset + e.length) : undefined;
  if (!bytes) {
    row(hex32(e.addr), `<res ${e.length}>`, text, '');
    return;
  }
  const disasm = options.disassembly && e.isCode ? disassemble(bytes, e.addr).map((l) => l.text).join(' ; ') : '';
  for (let i = 0; i < Math.max(1, bytes.length); i += BYTES_PER_ROW) {
    const chunk = bytes.subarray(i, i + BYTES_PER_ROW);
    if (i === 0) row(hex32(e.addr), hexBytes(chunk), text, disasm);
    else row(hex32(e.addr + i), hexBytes(chunk), '', '');
  }
}

/** Fits a source line in its column: an inline comment goes first, then the line is cut. */
function clip(text: string, width: number): string {
  let t = text.replace(/\t/g, '    ').trimEnd();
  if (t.length > width) {
    const code = withoutComment(t);
    if (code.trim() !== '') t = code;
  }
  return t.length <= width ? t : t.slice(0, width - 1) + '…';
}

function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) { if (c === quote) quote = undefined; }
    else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === ';') return line.slice(0, i).trimEnd();
  }
  return line;
}
