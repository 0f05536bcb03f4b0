// The round-trip check backed by RingLab's own assembler (core/asm), which encodes as NASM does:
// the default for `disassemble`, so `ringlab disasm` needs no NASM installed.

import { encodeInstruction } from '../asm';
import type { EncodeRequest, Reencoder } from './reencoder';

export const asmReencoder: Reencoder = {
  encodeMany(requests: readonly EncodeRequest[]): ReadonlyArray<Uint8Array | undefined> {
    return requests.map((r) => {
      const out = encodeInstruction(r.text, r.addr >>> 0);
      return out instanceof Uint8Array ? out : undefined;
    });
  },
};
