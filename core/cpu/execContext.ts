// What an instruction handler may touch: the state, the flags and guest memory through
// segmentation and paging. The Cpu class implements it; handlers never see the machine.

import type { Decoded } from '../disasm/decoded';
import type { CpuState } from './cpuState';
import type { LazyFlags } from './lazyFlags';

export interface ExecContext {
  readonly state: CpuState;
  readonly flags: LazyFlags;

  /** Offset of the instruction's memory operand within its segment (32- or 16-bit addressing). */
  effectiveAddress(d: Decoded): number;

  /** Reads and writes through segment `seg` (0..5) at `offset`: limit, rights, paging; may throw CpuFault. */
  read8(seg: number, offset: number): number;
  read16(seg: number, offset: number): number;
  read32(seg: number, offset: number): number;
  write8(seg: number, offset: number, value: number): void;
  write16(seg: number, offset: number, value: number): void;
  write32(seg: number, offset: number, value: number): void;

  /** Stack through SS with its size (ESP or SP); may throw CpuFault (#SS, #PF). */
  push16(value: number): void;
  push32(value: number): void;
  pop16(): number;
  pop32(): number;

  /** Port I/O with the IOPL check; may throw CpuFault. */
  ioIn(port: number, bytes: 1 | 2 | 4): number;
  ioOut(port: number, bytes: 1 | 2 | 4, value: number): void;

  /** Raises a guest exception: never returns. */
  raise(vector: number, errorCode?: number): never;
}
