// The disassembler's public face: the table-driven decoder and its reusable record (also what
// the CPU executes from), the NASM formatter, and the round-trip-checked `disassemble`.

export { Decoded, DecodeStatus, RepKind, Seg, Imm } from './decoded';
export { decode, MAX_INSTRUCTION_LENGTH } from './decoder';
export { formatInstruction, type FormatOptions } from './formatter';
export { disassemble, type DisasmLine, type DisasmOptions } from './disassemble';
export { setDefaultReencoder, defaultReencoder, type Reencoder, type EncodeRequest } from './reencoder';
export { candidateSpellings, nasmCannotSpell } from './spellings';
export { asmReencoder } from './asmReencoder';

import { asmReencoder } from './asmReencoder';
import { setDefaultReencoder } from './reencoder';

// RingLab's assembler is the default check: it encodes exactly as NASM does (its own oracle tests).
setDefaultReencoder(asmReencoder);
