// Small text helpers shared by hovers and completion.

import type { DocumentAnalysis } from './analysis';

/** `0x` and eight hex digits, as addresses are shown everywhere in RingLab. */
export function formatAddress(value: number): string {
  return '0x' + (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** `line N` in the document itself, `FILE line N` in an included file. */
export function locationText(analysis: DocumentAnalysis, file: string, line: number): string {
  return file === analysis.file ? `line ${line}` : `${file} line ${line}`;
}
