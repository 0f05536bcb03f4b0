// Reading the guest's code as the VMM does when a trap or exit names an instruction: decode at a
// guest EIP through the guest's segments and page tables, and spell it in NASM syntax.

import { CpuFault } from '../cpu/cpuFault';
import type { Cpu } from '../cpu/cpu';
import { DecodeStatus, Decoded } from '../disasm/decoded';
import { decode } from '../disasm/decoder';
import { formatInstruction } from '../disasm/formatter';

const scratch = new Uint8Array(15);

/** Decodes the instruction at `eip` (CS-relative) into `out`; false when it cannot be read or decoded. */
export function decodeGuestAt(cpu: Cpu, eip: number, out: Decoded): boolean {
  const base = cpu.state.segs[1]!.base;
  let n = 0;
  try {
    for (; n < 15; n++) scratch[n] = cpu.readLin8((base + eip + n) | 0, cpu.state.cpl === 3);
  } catch (e) {
    if (!(e instanceof CpuFault)) throw e;
  }
  if (n === 0) return false;
  decode(scratch, 0, eip >>> 0, out, n);
  return out.status === DecodeStatus.Ok;
}

/** `mov ebx, cr3`, or `db 0x..` when the record is not an instruction. */
export function spell(d: Decoded): string {
  return formatInstruction(d);
}
