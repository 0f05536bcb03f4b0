// Small text helpers shared by the editor features: line splitting, addresses, locations.

import type { DocumentAnalysis } from './analysis';

/**
 * A text's lines as the assembler numbers them and as LSP counts them (\n, \r\n and a lone \r
 * each end a line): the index, hovers, completion and semantic tokens split with this.
 */
export { splitSourceLines as splitLines } from '../asm/preprocess';

/** `0x` and eight hex digits, as addresses are shown everywhere in RingLab. */
export function formatAddress(value: number): string {
  return '0x' + (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** `line N` in the document itself, `FILE line N` in an included file. */
export function locationText(analysis: DocumentAnalysis, file: string, line: number): string {
  return file === analysis.file ? `line ${line}` : `${file} line ${line}`;
}
