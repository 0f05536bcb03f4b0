// The assembler's entry points: `assemble` for whole programs (CLI, debugger, linter) and
// `encodeInstruction` for one instruction (the disassembler checks its output re-encodes).

import { assembleSource } from './assembler';
import type { AsmDiagnostic, AsmOptions, AsmResult } from './types';

export * from './types';
export { ASM_CODES, type AsmCode } from './diagnosticCodes';
export { AsmCache } from './lineCache';

/** Assembles NASM-syntax 32-bit source into a flat binary; never throws. */
export function assemble(source: string, options?: AsmOptions): AsmResult {
  try {
    return assembleSource(source, options);
  } catch (err) {
    // A bug must not take the editor or the CLI down: report it as a diagnostic instead.
    const file = options?.file ?? '<input>';
    return {
      ok: false, bytes: new Uint8Array(0), origin: 0, sourceMap: [], symbols: [], sections: [],
      diagnostics: [{ code: 'RL100', severity: 'error', message: `internal assembler error: ${String(err)}`, file, line: 1, column: 1, endColumn: 2 }],
    };
  }
}

/**
 * Encodes one instruction (NASM syntax, no labels) as if placed at `addr`: the bytes, or the first
 * error. Relative targets are absolute addresses (`jmp 0x1234`), as a disassembler prints them.
 */
export function encodeInstruction(text: string, addr = 0): Uint8Array | AsmDiagnostic {
  if (text.includes('\n') || text.includes('\r')) {
    return { code: 'RL100', severity: 'error', message: 'one instruction expected', file: '<insn>', line: 1, column: 1, endColumn: 2 };
  }
  const r = assemble(`org ${addr >>> 0}\n${text}`, { file: '<insn>' });
  const err = r.diagnostics.find((d) => d.severity === 'error');
  if (err) return { ...err, line: err.line - 1 };
  return r.bytes;
}
