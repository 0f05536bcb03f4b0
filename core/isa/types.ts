// The shapes of the one instruction table (core/isa/table.ts) that the assembler, the decoder,
// the disassembler, the linter, hovers and the emulator all read.

/**
 * What an operand slot of a form accepts. Names follow NASM's insns.dat where one exists.
 * - rX: a general register of X bits; rmX: that or memory of X bits; mX: memory only.
 * - `mem`: memory of any (or no) size (LEA, INVLPG, LGDT...).
 * - `mfar`: a far pointer in memory, m16:16 or m16:32 by operand size (LDS, far JMP [mem]).
 * - immX: an immediate of X bits; sbyteX: an immediate that fits in a signed byte and is
 *   sign-extended to X bits (`83 /0 ib`, `6A ib`, `6B /r ib`).
 * - relX: a code address encoded relative to the next instruction.
 * - moffsX: a memory operand that is only a displacement (`mov eax, [0x1234]` = A1).
 * - `far16`/`far32`: an immediate far pointer `seg:offset` (`jmp 0x08:label`).
 * - fixed registers (al, ax, eax, cl, dx, es...) and `unity` (the constant 1 of `shl r/m, 1`).
 */
export type OperandKind =
  | 'r8' | 'r16' | 'r32'
  | 'rm8' | 'rm16' | 'rm32'
  | 'm8' | 'm16' | 'm32' | 'm64' | 'mem' | 'mfar'
  | 'imm8' | 'imm16' | 'imm32' | 'sbyte16' | 'sbyte32'
  | 'rel8' | 'rel16' | 'rel32'
  | 'moffs8' | 'moffs16' | 'moffs32'
  | 'far16' | 'far32'
  | 'al' | 'ax' | 'eax' | 'cl' | 'dx' | 'unity'
  | 'sreg' | 'es' | 'cs' | 'ss' | 'ds' | 'fs' | 'gs'
  | 'creg' | 'dreg';

/** One immediate-like field after the opcode/ModRM/SIB bytes, in encoding order. */
export type ImmField =
  | 'ib' | 'iw' | 'id'      // immediate byte, word, dword
  | 'ibs'                   // immediate byte, sign-extended to the operand size
  | 'rb' | 'rw' | 'rd'      // relative displacement byte, word, dword
  | 'ow' | 'od'             // absolute memory offset (moffs): word with a16, dword otherwise
  | 'seg';                  // the 16-bit selector of a far pointer (after its offset)

/**
 * Where an operand goes in the encoding (derived from the operand kinds, see encoding.ts):
 * ModRM.reg, ModRM.rm (with SIB and displacement), the low bits of the opcode (`+r`), both
 * ModRM fields (`imul eax, 5` = `imul eax, eax, 5`), an immediate field, or nowhere (AL, CL, 1).
 */
export type OperandSlot = 'reg' | 'rm' | 'opreg' | 'regrm' | 'imm' | 'implicit';

export interface Encoding {
  /** Operand-size attribute the form requires: 16 emits 0x66 in 32-bit code. */
  readonly opsize?: 16 | 32;
  /** Address-size attribute the form requires (`jcxz` is `a16 E3`): 16 emits 0x67. */
  readonly addrsize?: 16 | 32;
  /** Opcode bytes, including the 0x0F escape; `+r`/`+cc` add to the last one. */
  readonly opcode: readonly number[];
  /** `+r`: the register operand's number is added to the last opcode byte. */
  readonly plusReg?: boolean;
  /** `/r` (reg field holds a register operand) or `/0`..`/7` (opcode extension). */
  readonly modrm?: 'r' | number;
  /** Immediate-like fields after ModRM/SIB/displacement, in encoding order. */
  readonly immediates: readonly ImmField[];
  /** Encoding order of each operand. */
  readonly slots: readonly OperandSlot[];
}

/** Privilege class, the fact that the linter and every hypervisor engine decide by. */
export type PrivilegeClass =
  /** Runs the same at any CPL. */
  | 'unprivileged'
  /** Needs CPL 0: #GP(0) otherwise (Intel SDM vol. 3, "Privileged instructions"). */
  | 'privileged'
  /** Needs CPL <= IOPL: CLI, STI. */
  | 'iopl'
  /** I/O instruction: needs CPL <= IOPL (or the TSS bitmap); trapped or exiting under a VMM. */
  | 'io'
  /** Sensitive but unprivileged (Robin and Irvine): gives a CPL-dependent answer without a trap. */
  | 'sensitive';

/** How an instruction changes the flow of control; any value other than undefined ends a block. */
export type ControlFlow =
  | 'jump' | 'branch' | 'call' | 'ret' | 'farjump' | 'farcall' | 'farret'
  | 'int' | 'iret' | 'halt' | 'sysenter' | 'serializing';

/** Flags as letters: O D I T S Z A P C (and N for NT, R for RF, V for VM, L for IOPL). */
export type FlagSet = string;

export interface FlagEffect {
  readonly read?: FlagSet;
  readonly written?: FlagSet;
  readonly undefined?: FlagSet;
}

/** One operand form of a mnemonic, with its encoding. */
export interface Form {
  /** Index in FORMS; stable within one build, used by decoders and handler tables. */
  readonly id: number;
  readonly mnemonic: string;
  readonly operands: readonly OperandKind[];
  readonly encoding: Encoding;
  readonly privilege: PrivilegeClass;
  /** Why this form is sensitive or privileged when its mnemonic in general is not. */
  readonly privilegeNote?: string;
  readonly flow?: ControlFlow;
  readonly def: InstructionDef;
  /** Text of the row in the table, for messages and tests (`add rm32,sbyte32  o32 83 /0 ibs`). */
  readonly source: string;
  /** The assembler never picks this form by itself (the decoder still knows it). */
  readonly decodeOnly?: boolean;
}

/** Everything the table says about one mnemonic. */
export interface InstructionDef {
  readonly mnemonic: string;
  /** One line for hovers. */
  readonly description: string;
  readonly flags: FlagEffect;
  readonly privilege: PrivilegeClass;
  readonly flow?: ControlFlow;
  /** Accepts LOCK (with a memory destination). */
  readonly lockable?: boolean;
  /** Accepts REP (string moves) or REPE/REPNE (string compares). */
  readonly rep?: 'rep' | 'repe';
  /** Other spellings the assembler accepts (`je` for `jz`). */
  readonly aliases?: readonly string[];
  readonly forms: readonly Form[];
}
