// Small helpers for the decoder tests: hex strings to bytes, one-shot decode into a fresh record.

import { Decoded, decode } from '../../../core/disasm';

export function bytesOf(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** Decodes the first instruction of `hex` at `addr`. */
export function decodeHex(hex: string, addr = 0x100000): Decoded {
  const d = new Decoded();
  decode(bytesOf(hex), 0, addr, d);
  return d;
}
