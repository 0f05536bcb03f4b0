// From a file to something the loader can boot: guest assembly is assembled by core/asm (entry
// at `_start`, loaded at its `org`), a binary is taken as it is; files that are plainly not a
// program (empty, text, an ELF executable) are refused here with a reason, before any boot.

import { assemble, type AsmDiagnostic, type AsmResult, type SourceFiles } from '../asm';
import { findMultibootHeader, type LoadOptions } from '../machine/multibootLoader';

/** File extensions read as guest assembly (DESIGN: `.gasm`; users may associate `.asm`). */
export const SOURCE_EXTENSIONS = ['.gasm', '.asm'] as const;

export interface GuestFile {
  /** As the user named it: diagnostics and the multiboot command line show it. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface PrepareOptions {
  /** For %include in guest assembly (the host's file access; core never touches `fs`). */
  readonly files?: SourceFiles;
  readonly defines?: Readonly<Record<string, string>>;
}

export interface GuestImage {
  readonly kind: 'assembly' | 'binary';
  /** The flat binary handed to the loader. */
  readonly bytes: Uint8Array;
  /** Origin and entry for a binary without a multiboot header (ignored when it has one). */
  readonly load: LoadOptions;
  /** The assembler's result (symbols, source map) when the file was guest assembly. */
  readonly asm?: AsmResult;
  /** Assembler warnings, for the host to print. */
  readonly warnings: readonly AsmDiagnostic[];
}

export type PrepareFailure =
  | { readonly reason: 'assembly-error'; readonly diagnostics: readonly AsmDiagnostic[] }
  | { readonly reason: 'not-a-program'; readonly message: string }
  /** The launch configuration makes no sense for the mode (a `hw` VMCS control set, say). */
  | { readonly reason: 'bad-configuration'; readonly message: string };

export type PrepareResult = { ok: true; image: GuestImage } | ({ ok: false } & PrepareFailure);

export function isSourceFile(path: string): boolean {
  const lower = path.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Turns a file into a bootable image, or says why it is not one. Never throws. */
export function prepareGuest(file: GuestFile, options: PrepareOptions = {}): PrepareResult {
  return isSourceFile(file.path) ? prepareAssembly(file, options) : prepareBinary(file);
}

function prepareAssembly(file: GuestFile, options: PrepareOptions): PrepareResult {
  const source = new TextDecoder('utf-8').decode(file.bytes);
  const asm = assemble(source, { file: file.path, ...(options.files ? { files: options.files } : {}), ...(options.defines ? { defines: options.defines } : {}) });
  if (!asm.ok) return { ok: false, reason: 'assembly-error', diagnostics: asm.diagnostics };
  const warnings = asm.diagnostics.filter((d) => d.severity !== 'error');
  if (asm.bytes.length === 0) {
    return { ok: false, reason: 'not-a-program', message: `${file.path} assembles to no bytes: there is nothing to run` };
  }
  // The source's own origin, not the binary default of 1 MiB: its absolute addresses were
  // computed for it (NASM's default org is 0).
  const start = asm.symbols.find((s) => s.name === '_start' && s.kind === 'label');
  return {
    ok: true,
    image: { kind: 'assembly', bytes: asm.bytes, load: { originPhysAddr: asm.origin, entryPhysAddr: start?.value ?? asm.origin }, asm, warnings },
  };
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

function prepareBinary(file: GuestFile): PrepareResult {
  const bytes = file.bytes;
  const notProgram = (why: string): PrepareResult => ({ ok: false, reason: 'not-a-program', message: `${file.path} is not a program: ${why}` });
  if (bytes.length === 0) return notProgram('the file is empty');
  if (findMultibootHeader(bytes) < 0) {
    // With a multiboot header the loader judges the file (as QEMU does); without one any bytes
    // would "run", so refuse the two cases a user most often hands us by mistake.
    if (ELF_MAGIC.every((b, i) => bytes[i] === b)) {
      return notProgram('it is an ELF file; RingLab boots flat binaries (nasm -f bin) and multiboot kernels with the a.out kludge');
    }
    if (looksLikeText(bytes)) {
      return notProgram(`it is text; guest assembly must be named ${SOURCE_EXTENSIONS.join(' or ')} to be assembled, and a binary comes from nasm -f bin or ringlab asm`);
    }
  }
  return { ok: true, image: { kind: 'binary', bytes, load: {}, warnings: [] } };
}

/** Valid UTF-8 without control characters other than tab, newlines and form feed. Machine code
 *  almost always holds a 0x00 or another control byte within its first few instructions. */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  for (const b of sample) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
    if (b === 0x7f) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.length < bytes.length ? trimPartialUtf8(sample) : sample);
    return true;
  } catch {
    return false;
  }
}

/** Drops a UTF-8 sequence cut by the sample's end. */
function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  for (let back = 0; back < 4 && end > 0 && (bytes[end - 1]! & 0xc0) === 0x80; back++) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
  return bytes.subarray(0, end);
}
