// The assembler's public shapes: what `assemble` returns to the CLI, the debugger and the linter.

import type { AsmCache } from './lineCache';

/**
 * The most a host reads of one file (the assembler's output limit): a larger file, or incbin
 * part, is refused rather than read, so no file can exhaust the editor's or the CLI's memory.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A file the host will not read, and why (shown in the diagnostic). */
export interface FileRefused {
  readonly refused: string;
}

/**
 * Reads source files for %include and incbin (convention: host I/O reaches core only through
 * interfaces). A host reads regular files only: a device, a FIFO or a socket may never end
 * (`/dev/zero`) or block, so it is unreadable, as is a file past MAX_FILE_BYTES.
 */
export interface SourceFiles {
  /** The file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
  /**
   * The file's bytes from byte `offset` on, at most `length` of them (incbin): undefined when it
   * cannot be opened, FileRefused when it is not a regular file or that part is larger than
   * MAX_FILE_BYTES. An open editor document's bytes are its text's UTF-8 encoding. Without it,
   * the assembler takes `read`'s text as UTF-8 (right for text, not for arbitrary bytes).
   */
  readBytes?(path: string, offset: number, length: number): Uint8Array | FileRefused | undefined;
  /** The path an `%include "name"` in file `from` refers to. */
  resolve(from: string, name: string): string;
}

export type Severity = 'error' | 'warning';

/** An assembler message with its position (1-based line and column) and a stable RL1xx code. */
export interface AsmDiagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** 1-based column just past the offending text on the same line (for editor ranges). */
  readonly endColumn: number;
}

/** One emitted instruction or data item: the bytes at [addr, addr + length) came from file:line. */
export interface SourceMapEntry {
  readonly addr: number;
  readonly length: number;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** True for instructions, false for data and reservations (db, times db, resb, align). */
  readonly isCode: boolean;
}

export interface AsmSymbol {
  readonly name: string;
  readonly value: number;
  readonly kind: 'label' | 'equ';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The section a label lives in (undefined for equ). */
  readonly section?: string;
}

export interface SectionLayout {
  readonly name: string;
  /** Load address of the section's first byte (`vstart`). */
  readonly start: number;
  readonly size: number;
  /** .bss-like sections occupy addresses but no bytes of the output. */
  readonly nobits: boolean;
}

export interface AsmResult {
  /** No diagnostic of severity error. */
  readonly ok: boolean;
  /** The flat binary, exactly as `nasm -f bin` writes it (empty when !ok). */
  readonly bytes: Uint8Array;
  /** Address of bytes[0] (the `org`, 0 by default as in NASM). */
  readonly origin: number;
  readonly diagnostics: readonly AsmDiagnostic[];
  readonly sourceMap: readonly SourceMapEntry[];
  readonly symbols: readonly AsmSymbol[];
  readonly sections: readonly SectionLayout[];
}

export interface AsmOptions {
  /** Name used in diagnostics and the source map for the main text. */
  readonly file?: string;
  /** Needed for %include; without it an %include is an RL106 error. */
  readonly files?: SourceFiles;
  /** Predefined single-line macros, as `nasm -D NAME=VALUE`. */
  readonly defines?: Readonly<Record<string, string>>;
  /**
   * Parsed lines kept for the next assembly of the same document (an editor's): unchanged lines
   * are not parsed or encoded again. The output is the same with or without it.
   */
  readonly cache?: AsmCache;
}
