// The pluggable "does this text encode to these bytes?" check behind the disassembler's
// round-trip guarantee: RingLab's own assembler in production, NASM itself in oracle tests.

/** One line of NASM text to encode as 32-bit code at `addr`. */
export interface EncodeRequest {
  readonly text: string;
  readonly addr: number;
}

/**
 * Encodes lines independently of one another; undefined where a line does not assemble.
 * Batched so an outside assembler (a NASM process) costs one run per round, not per line.
 */
export interface Reencoder {
  encodeMany(requests: readonly EncodeRequest[]): ReadonlyArray<Uint8Array | undefined>;
}

let fallback: Reencoder | undefined;

/** Sets the check used when `disassemble` is given none (wired to core/asm when it is loaded). */
export function setDefaultReencoder(r: Reencoder | undefined): void {
  fallback = r;
}

export function defaultReencoder(): Reencoder | undefined {
  return fallback;
}
