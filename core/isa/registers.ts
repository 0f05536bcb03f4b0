// Register names and numbers as the hardware encodes them (ModRM.reg/rm, +r, sreg fields).

export type RegisterClass = 'r8' | 'r16' | 'r32' | 'sreg' | 'creg' | 'dreg';

export interface Register {
  readonly name: string;
  readonly cls: RegisterClass;
  /** The 3-bit number in ModRM/SIB/+r (for creg and dreg: the CR or DR number). */
  readonly num: number;
  /** Width in bits (16 for segment registers). */
  readonly bits: 8 | 16 | 32;
}

export const REG8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'] as const;
export const REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] as const;
export const REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
export const SREG = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;
/** Control registers that exist on a 486+ (CR1 and CR5-7 raise #UD). */
export const CREG_NUMBERS = [0, 2, 3, 4] as const;
export const DREG_NUMBERS = [0, 1, 2, 3, 4, 5, 6, 7] as const;

const all: Register[] = [
  ...REG8.map((name, num): Register => ({ name, cls: 'r8', num, bits: 8 })),
  ...REG16.map((name, num): Register => ({ name, cls: 'r16', num, bits: 16 })),
  ...REG32.map((name, num): Register => ({ name, cls: 'r32', num, bits: 32 })),
  ...SREG.map((name, num): Register => ({ name, cls: 'sreg', num, bits: 16 })),
  ...CREG_NUMBERS.map((num): Register => ({ name: `cr${num}`, cls: 'creg', num, bits: 32 })),
  ...DREG_NUMBERS.map((num): Register => ({ name: `dr${num}`, cls: 'dreg', num, bits: 32 })),
];

export const REGISTERS: ReadonlyMap<string, Register> = new Map(all.map((r) => [r.name, r]));

/** The register of a class by number (undefined for CR1 and other holes). */
export function registerByNumber(cls: RegisterClass, num: number): Register | undefined {
  return all.find((r) => r.cls === cls && r.num === num);
}

/** Segment-override prefix bytes, indexed like SREG. */
export const SEGMENT_PREFIX = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65] as const;
