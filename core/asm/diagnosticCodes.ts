// The RL1xx assembler codes (DESIGN.md: stable; the language server and `ringlab lint` show them).

export const ASM_CODES = {
  syntax: 'RL100',            // unexpected token, unterminated string, malformed line
  unknownMnemonic: 'RL101',   // unknown instruction or directive
  invalidOperands: 'RL102',   // no form of the instruction accepts these operands
  undefinedSymbol: 'RL103',
  duplicateLabel: 'RL104',
  outOfRange: 'RL105',        // value does not fit its field, short jump too far
  include: 'RL106',           // %include not found or recursive
  expression: 'RL107',        // division by zero, non-constant where a constant is needed
  operandSize: 'RL108',       // size not specified or sizes disagree
  noConvergence: 'RL109',     // the passes did not settle (phase error)
  unsupported: 'RL110',       // valid NASM that RingLab does not support
} as const;

export type AsmCode = (typeof ASM_CODES)[keyof typeof ASM_CODES];
