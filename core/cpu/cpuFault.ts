// A guest exception raised while executing an instruction. Thrown by the memory and segment
// paths (faults are rare, so the hot path pays nothing), caught once per instruction by the
// CPU loop, which rolls EIP back and delivers the vector through the IDT.

export const VECTOR = {
  DE: 0, DB: 1, NMI: 2, BP: 3, OF: 4, BR: 5, UD: 6, NM: 7, DF: 8, TS: 10, NP: 11, SS: 12, GP: 13, PF: 14, MF: 16, AC: 17,
} as const;

/** The exception mnemonics of the SDM (vol. 3, table 6-1), by vector. */
export const VECTOR_NAMES: Readonly<Record<number, string>> = {
  0: '#DE', 1: '#DB', 3: '#BP', 4: '#OF', 5: '#BR', 6: '#UD', 7: '#NM', 8: '#DF', 10: '#TS',
  11: '#NP', 12: '#SS', 13: '#GP', 14: '#PF', 16: '#MF', 17: '#AC', 18: '#MC', 19: '#XM',
};

/** Vectors that push an error code (SDM vol. 3, table 6-1). */
export function hasErrorCode(vector: number): boolean {
  return vector === 8 || (vector >= 10 && vector <= 14) || vector === 17;
}

export class CpuFault {
  constructor(
    readonly vector: number,
    /** Error code pushed for vectors that have one (ignored otherwise). */
    readonly errorCode = 0,
  ) {}
}
