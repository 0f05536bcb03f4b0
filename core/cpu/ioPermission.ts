// Whether the CPL may use an I/O port: CPL <= IOPL, else the 32-bit TSS's I/O permission bitmap
// decides (every bit of the accessed ports clear), else #GP(0) (SDM vol. 1, 19.5).

import { VECTOR } from './cpuFault';
import { CR0, EFLAGS } from './cpuState';
import type { Cpu } from './cpu';

const TSS_IOMAP_BASE_OFFSET = 102;

export function checkIoPermission(cpu: Cpu, port: number, widthBytes: number): void {
  const st = cpu.state;
  if ((st.cr0 & CR0.PE) === 0) return;
  const iopl = (st.flagsRest & EFLAGS.IOPL) >>> 12;
  if (st.cpl <= iopl) return;
  const tr = st.tr;
  // Only a 32-bit TSS (available or busy: type 9 or 11) has a bitmap.
  if (!tr.usable || tr.s || (tr.type & 0x9) !== 0x9) cpu.raise(VECTOR.GP, 0);
  const limit = tr.limit >>> 0;
  if (limit < TSS_IOMAP_BASE_OFFSET + 1) cpu.raise(VECTOR.GP, 0);
  const mapBase = cpu.readLin16((tr.base + TSS_IOMAP_BASE_OFFSET) | 0);
  const byteOffset = mapBase + (port >>> 3);
  // The bits may span two bytes; both must lie within the TSS limit.
  if (byteOffset + 1 > limit) cpu.raise(VECTOR.GP, 0);
  const bits = cpu.readLin16((tr.base + byteOffset) | 0);
  const mask = ((1 << widthBytes) - 1) << (port & 7);
  if ((bits & mask) !== 0) cpu.raise(VECTOR.GP, 0);
}
