// THE instruction table: every x86-32 integer and system instruction RingLab knows, written once.
// Rows are "operands: encoding" in the syntax of encoding.ts. Within a mnemonic, rows are in
// NASM's preference order: among encodings of equal length the assembler takes the first.
// Sources: Intel SDM vol. 2 (encodings, flags), vol. 3 (privilege); Robin and Irvine (2000) for
// the sensitive-but-unprivileged class; NASM's insns.dat for the operand-form names and order.

import type { ControlFlow, FlagSet, PrivilegeClass } from './types';

export interface DefSpec {
  /** Flags read, written, left undefined. */
  readonly r?: FlagSet;
  readonly w?: FlagSet;
  readonly u?: FlagSet;
  readonly priv?: PrivilegeClass;
  readonly flow?: ControlFlow;
  readonly lock?: true;
  readonly rep?: 'rep' | 'repe';
  readonly aliases?: readonly string[];
}

export interface TableEntry {
  readonly mnemonic: string;
  readonly description: string;
  readonly spec: DefSpec;
  readonly rows: readonly string[];
  /** Condition code (0..15) for the +cc rows of a generated Jcc/SETcc/CMOVcc entry. */
  readonly cc?: number;
}

const ARITH = 'OSZAPC';
const entries: TableEntry[] = [];
function def(mnemonic: string, description: string, spec: DefSpec, rows: readonly string[]): void {
  entries.push({ mnemonic, description, spec, rows });
}

// ---- Integer arithmetic and logic -------------------------------------------------------------

/** ADD OR ADC SBB AND SUB XOR CMP share one encoding pattern: base opcode and /digit. */
const ALU: ReadonlyArray<[string, number, string, DefSpec]> = [
  ['add', 0, 'Add source to destination', { w: ARITH, lock: true }],
  ['or', 1, 'Bitwise OR', { w: ARITH, u: 'A', lock: true }],
  ['adc', 2, 'Add with carry', { r: 'C', w: ARITH, lock: true }],
  ['sbb', 3, 'Subtract with borrow', { r: 'C', w: ARITH, lock: true }],
  ['and', 4, 'Bitwise AND', { w: ARITH, u: 'A', lock: true }],
  ['sub', 5, 'Subtract source from destination', { w: ARITH, lock: true }],
  ['xor', 6, 'Bitwise exclusive OR', { w: ARITH, u: 'A', lock: true }],
  ['cmp', 7, 'Compare: subtract and set flags, discard the result', { w: ARITH }],
];
const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
for (const [m, digit, description, spec] of ALU) {
  const b = digit * 8;
  def(m, description, spec, [
    `rm8,r8: ${hex(b)} /r`,
    `rm16,r16: o16 ${hex(b + 1)} /r`,
    `rm32,r32: o32 ${hex(b + 1)} /r`,
    `r8,rm8: ${hex(b + 2)} /r`,
    `r16,rm16: o16 ${hex(b + 3)} /r`,
    `r32,rm32: o32 ${hex(b + 3)} /r`,
    `rm16,sbyte16: o16 83 /${digit} ibs`,
    `rm32,sbyte32: o32 83 /${digit} ibs`,
    `al,imm8: ${hex(b + 4)} ib`,
    `ax,imm16: o16 ${hex(b + 5)} iw`,
    `eax,imm32: o32 ${hex(b + 5)} id`,
    `rm8,imm8: 80 /${digit} ib`,
    `rm16,imm16: o16 81 /${digit} iw`,
    `rm32,imm32: o32 81 /${digit} id`,
    `rm8,imm8: 82 /${digit} ib !decode`,
  ]);
}

def('inc', 'Increment by 1 (carry unchanged)', { w: 'OSZAP', lock: true }, [
  'r16: o16 40+r', 'r32: o32 40+r', 'rm8: FE /0', 'rm16: o16 FF /0', 'rm32: o32 FF /0',
]);
def('dec', 'Decrement by 1 (carry unchanged)', { w: 'OSZAP', lock: true }, [
  'r16: o16 48+r', 'r32: o32 48+r', 'rm8: FE /1', 'rm16: o16 FF /1', 'rm32: o32 FF /1',
]);
def('neg', "Two's complement negation", { w: ARITH, lock: true }, ['rm8: F6 /3', 'rm16: o16 F7 /3', 'rm32: o32 F7 /3']);
def('not', "One's complement (bitwise NOT), flags unchanged", { lock: true }, ['rm8: F6 /2', 'rm16: o16 F7 /2', 'rm32: o32 F7 /2']);
def('test', 'Bitwise AND that only sets flags', { w: ARITH, u: 'A' }, [
  'rm8,r8: 84 /r', 'rm16,r16: o16 85 /r', 'rm32,r32: o32 85 /r',
  'r8,rm8: 84 /r', 'r16,rm16: o16 85 /r', 'r32,rm32: o32 85 /r',
  'al,imm8: A8 ib', 'ax,imm16: o16 A9 iw', 'eax,imm32: o32 A9 id',
  'rm8,imm8: F6 /0 ib', 'rm16,imm16: o16 F7 /0 iw', 'rm32,imm32: o32 F7 /0 id',
  'rm8,imm8: F6 /1 ib !decode', 'rm16,imm16: o16 F7 /1 iw !decode', 'rm32,imm32: o32 F7 /1 id !decode',
]);
def('mul', 'Unsigned multiply into (E)DX:(E)AX or AX', { w: 'OC', u: 'SZAP' }, ['rm8: F6 /4', 'rm16: o16 F7 /4', 'rm32: o32 F7 /4']);
def('imul', 'Signed multiply', { w: 'OC', u: 'SZAP' }, [
  'rm8: F6 /5', 'rm16: o16 F7 /5', 'rm32: o32 F7 /5',
  'r16,rm16: o16 0F AF /r', 'r32,rm32: o32 0F AF /r',
  'r16,rm16,sbyte16: o16 6B /r ibs', 'r32,rm32,sbyte32: o32 6B /r ibs',
  'r16,sbyte16: o16 6B /r ibs', 'r32,sbyte32: o32 6B /r ibs',
  'r16,rm16,imm16: o16 69 /r iw', 'r32,rm32,imm32: o32 69 /r id',
  'r16,imm16: o16 69 /r iw', 'r32,imm32: o32 69 /r id',
]);
def('div', 'Unsigned divide (E)DX:(E)AX or AX; #DE on divide by zero or overflow', { u: ARITH }, ['rm8: F6 /6', 'rm16: o16 F7 /6', 'rm32: o32 F7 /6']);
def('idiv', 'Signed divide (E)DX:(E)AX or AX; #DE on divide by zero or overflow', { u: ARITH }, ['rm8: F6 /7', 'rm16: o16 F7 /7', 'rm32: o32 F7 /7']);

/** Shifts and rotates: D0/D1 by one, D2/D3 by CL, C0/C1 by an immediate. */
const SHIFTS: ReadonlyArray<[string, number, string, DefSpec]> = [
  ['rol', 0, 'Rotate left', { w: 'OC', u: 'O' }],
  ['ror', 1, 'Rotate right', { w: 'OC', u: 'O' }],
  ['rcl', 2, 'Rotate left through carry', { r: 'C', w: 'OC', u: 'O' }],
  ['rcr', 3, 'Rotate right through carry', { r: 'C', w: 'OC', u: 'O' }],
  ['shl', 4, 'Shift left (logical)', { w: 'OSZPC', u: 'OA', aliases: ['sal'] }],
  ['shr', 5, 'Shift right (logical, zero fill)', { w: 'OSZPC', u: 'OA' }],
  ['sar', 7, 'Shift right (arithmetic, sign fill)', { w: 'OSZPC', u: 'OA' }],
];
for (const [m, d, description, spec] of SHIFTS) {
  const rows = [
    `rm8,unity: D0 /${d}`, `rm8,cl: D2 /${d}`, `rm8,imm8: C0 /${d} ib`,
    `rm16,unity: o16 D1 /${d}`, `rm16,cl: o16 D3 /${d}`, `rm16,imm8: o16 C1 /${d} ib`,
    `rm32,unity: o32 D1 /${d}`, `rm32,cl: o32 D3 /${d}`, `rm32,imm8: o32 C1 /${d} ib`,
  ];
  if (m === 'shl') { // /6 is an undocumented alias of SHL that the CPU accepts
    rows.push('rm8,unity: D0 /6 !decode', 'rm8,cl: D2 /6 !decode', 'rm8,imm8: C0 /6 ib !decode',
      'rm16,unity: o16 D1 /6 !decode', 'rm16,cl: o16 D3 /6 !decode', 'rm16,imm8: o16 C1 /6 ib !decode',
      'rm32,unity: o32 D1 /6 !decode', 'rm32,cl: o32 D3 /6 !decode', 'rm32,imm8: o32 C1 /6 ib !decode');
  }
  def(m, description, spec, rows);
}
def('shld', 'Double-precision shift left', { w: 'OSZPC', u: 'OA' }, [
  'rm16,r16,imm8: o16 0F A4 /r ib', 'rm32,r32,imm8: o32 0F A4 /r ib', 'rm16,r16,cl: o16 0F A5 /r', 'rm32,r32,cl: o32 0F A5 /r',
]);
def('shrd', 'Double-precision shift right', { w: 'OSZPC', u: 'OA' }, [
  'rm16,r16,imm8: o16 0F AC /r ib', 'rm32,r32,imm8: o32 0F AC /r ib', 'rm16,r16,cl: o16 0F AD /r', 'rm32,r32,cl: o32 0F AD /r',
]);

const BITTEST: ReadonlyArray<[string, number, number, string, boolean]> = [
  ['bt', 0xA3, 4, 'Bit test: copy the bit to CF', false],
  ['bts', 0xAB, 5, 'Bit test and set', true],
  ['btr', 0xB3, 6, 'Bit test and reset', true],
  ['btc', 0xBB, 7, 'Bit test and complement', true],
];
for (const [m, op, d, description, lock] of BITTEST) {
  def(m, description, { w: 'C', u: 'OSAP', ...(lock ? { lock: true as const } : {}) }, [
    `rm16,r16: o16 0F ${hex(op)} /r`, `rm32,r32: o32 0F ${hex(op)} /r`,
    `rm16,imm8: o16 0F BA /${d} ib`, `rm32,imm8: o32 0F BA /${d} ib`,
  ]);
}
def('bsf', 'Bit scan forward: index of the lowest set bit (ZF=1 if the source is zero)', { w: 'Z', u: 'OSAPC' }, ['r16,rm16: o16 0F BC /r', 'r32,rm32: o32 0F BC /r']);
def('bsr', 'Bit scan reverse: index of the highest set bit (ZF=1 if the source is zero)', { w: 'Z', u: 'OSAPC' }, ['r16,rm16: o16 0F BD /r', 'r32,rm32: o32 0F BD /r']);
def('bswap', 'Reverse the byte order of a 32-bit register', {}, ['r32: o32 0F C8+r']);
def('xadd', 'Exchange and add', { w: ARITH, lock: true }, ['rm8,r8: 0F C0 /r', 'rm16,r16: o16 0F C1 /r', 'rm32,r32: o32 0F C1 /r']);
def('cmpxchg', 'Compare AL/AX/EAX with the destination; if equal store the source, else load the destination', { w: ARITH, lock: true }, [
  'rm8,r8: 0F B0 /r', 'rm16,r16: o16 0F B1 /r', 'rm32,r32: o32 0F B1 /r',
]);
def('cmpxchg8b', 'Compare EDX:EAX with a quadword in memory; if equal store ECX:EBX', { w: 'Z', lock: true }, ['m64: 0F C7 /1']);

def('daa', 'Decimal adjust AL after addition', { r: 'AC', w: 'SZAPC', u: 'O' }, [': 27']);
def('das', 'Decimal adjust AL after subtraction', { r: 'AC', w: 'SZAPC', u: 'O' }, [': 2F']);
def('aaa', 'ASCII adjust AL after addition', { r: 'A', w: 'AC', u: 'OSZP' }, [': 37']);
def('aas', 'ASCII adjust AL after subtraction', { r: 'A', w: 'AC', u: 'OSZP' }, [': 3F']);
def('aam', 'ASCII adjust AX after multiply (base 10 unless given); #DE for base 0', { w: 'SZP', u: 'OAC' }, [': D4 0A', 'imm8: D4 ib']);
def('aad', 'ASCII adjust AX before division (base 10 unless given)', { w: 'SZP', u: 'OAC' }, [': D5 0A', 'imm8: D5 ib']);

// ---- Data movement ----------------------------------------------------------------------------

def('mov', 'Copy the source into the destination', {}, [
  'm16,sreg: 8C /r !sensitive', 'r16,sreg: o16 8C /r !sensitive', 'r32,sreg: o32 8C /r !sensitive',
  'sreg,m16: 8E /r !sensitive', 'sreg,r16: 8E /r !sensitive', 'sreg,r32: 8E /r !sensitive',
  'al,moffs8: A0 od', 'ax,moffs16: o16 A1 od', 'eax,moffs32: o32 A1 od',
  'moffs8,al: A2 od', 'moffs16,ax: o16 A3 od', 'moffs32,eax: o32 A3 od',
  'rm8,r8: 88 /r', 'rm16,r16: o16 89 /r', 'rm32,r32: o32 89 /r',
  'r8,rm8: 8A /r', 'r16,rm16: o16 8B /r', 'r32,rm32: o32 8B /r',
  'r8,imm8: B0+r ib', 'r16,imm16: o16 B8+r iw', 'r32,imm32: o32 B8+r id',
  'rm8,imm8: C6 /0 ib', 'rm16,imm16: o16 C7 /0 iw', 'rm32,imm32: o32 C7 /0 id',
  'r32,creg: 0F 20 /r !privileged', 'creg,r32: 0F 22 /r !privileged',
  'r32,dreg: 0F 21 /r !privileged', 'dreg,r32: 0F 23 /r !privileged',
]);
def('movzx', 'Move with zero extension', {}, ['r16,rm8: o16 0F B6 /r', 'r32,rm8: o32 0F B6 /r', 'r32,rm16: o32 0F B7 /r']);
def('movsx', 'Move with sign extension', {}, ['r16,rm8: o16 0F BE /r', 'r32,rm8: o32 0F BE /r', 'r32,rm16: o32 0F BF /r']);
def('xchg', 'Exchange the two operands (with memory: implicitly locked)', { lock: true }, [
  'ax,r16: o16 90+r', 'eax,r32: o32 90+r', 'r16,ax: o16 90+r', 'r32,eax: o32 90+r',
  'r8,rm8: 86 /r', 'rm8,r8: 86 /r', 'r16,rm16: o16 87 /r', 'rm16,r16: o16 87 /r', 'r32,rm32: o32 87 /r', 'rm32,r32: o32 87 /r',
]);
def('nop', 'No operation', {}, [': 90', 'rm16: o16 0F 1F /0', 'rm32: o32 0F 1F /0']);
def('lea', 'Load the effective address of a memory operand', {}, ['r16,mem: o16 8D /r', 'r32,mem: o32 8D /r']);
def('push', 'Push onto the stack', {}, [
  'r16: o16 50+r', 'r32: o32 50+r', 'rm16: o16 FF /6', 'rm32: o32 FF /6',
  'es: 06 !sensitive', 'cs: 0E !sensitive', 'ss: 16 !sensitive', 'ds: 1E !sensitive', 'fs: 0F A0 !sensitive', 'gs: 0F A8 !sensitive',
  'sbyte16: o16 6A ibs', 'sbyte32: o32 6A ibs', 'imm16: o16 68 iw', 'imm32: o32 68 id',
]);
def('pop', 'Pop from the stack', {}, [
  'r16: o16 58+r', 'r32: o32 58+r', 'rm16: o16 8F /0', 'rm32: o32 8F /0',
  'es: 07 !sensitive', 'ss: 17 !sensitive', 'ds: 1F !sensitive', 'fs: 0F A1 !sensitive', 'gs: 0F A9 !sensitive',
]);
def('pushad', 'Push all 32-bit general registers', { aliases: ['pusha'] }, [': o32 60']);
def('pushaw', 'Push all 16-bit general registers', {}, [': o16 60']);
def('popad', 'Pop all 32-bit general registers (ESP skipped)', { aliases: ['popa'] }, [': o32 61']);
def('popaw', 'Pop all 16-bit general registers (SP skipped)', {}, [': o16 61']);
def('pushfd', 'Push EFLAGS (reveals IF and IOPL: the guest sees the real interrupt flag)', { r: 'ODITSZAPC', priv: 'sensitive', aliases: ['pushf'] }, [': o32 9C']);
def('pushfw', 'Push FLAGS (reveals IF and IOPL)', { r: 'ODITSZAPC', priv: 'sensitive' }, [': o16 9C']);
def('popfd', 'Pop EFLAGS (at CPL > 0 silently keeps IOPL, and IF when CPL > IOPL)', { w: 'ODITSZAPC', priv: 'sensitive', aliases: ['popf'] }, [': o32 9D']);
def('popfw', 'Pop FLAGS (at CPL > 0 silently keeps IOPL, and IF when CPL > IOPL)', { w: 'ODITSZAPC', priv: 'sensitive' }, [': o16 9D']);
def('cbw', 'Sign-extend AL into AX', {}, [': o16 98']);
def('cwde', 'Sign-extend AX into EAX', {}, [': o32 98']);
def('cwd', 'Sign-extend AX into DX:AX', {}, [': o16 99']);
def('cdq', 'Sign-extend EAX into EDX:EAX', {}, [': o32 99']);
def('lahf', 'Load SF ZF AF PF CF into AH', { r: 'SZAPC' }, [': 9F']);
def('sahf', 'Store AH into SF ZF AF PF CF', { w: 'SZAPC' }, [': 9E']);
def('xlatb', 'AL = byte [EBX + AL]', { aliases: ['xlat'] }, [': D7']);
def('lds', 'Load a far pointer into DS and a register', {}, ['r16,mfar: o16 C5 /r', 'r32,mfar: o32 C5 /r']);
def('les', 'Load a far pointer into ES and a register', {}, ['r16,mfar: o16 C4 /r', 'r32,mfar: o32 C4 /r']);
def('lfs', 'Load a far pointer into FS and a register', {}, ['r16,mfar: o16 0F B4 /r', 'r32,mfar: o32 0F B4 /r']);
def('lgs', 'Load a far pointer into GS and a register', {}, ['r16,mfar: o16 0F B5 /r', 'r32,mfar: o32 0F B5 /r']);
def('lss', 'Load a far pointer into SS and a register', {}, ['r16,mfar: o16 0F B2 /r', 'r32,mfar: o32 0F B2 /r']);
def('bound', 'Check an array index against bounds in memory; #BR if outside', {}, ['r16,m32: o16 62 /r', 'r32,m64: o32 62 /r']);
def('arpl', "Adjust a selector's RPL up to another's", { w: 'Z' }, ['rm16,r16: 63 /r']);
def('enter', 'Make a stack frame (size, nesting level)', {}, ['imm16,imm8: C8 iw ib']);
def('leave', 'Release a stack frame: ESP = EBP, pop EBP', {}, [': C9']);

// ---- Condition-code families ------------------------------------------------------------------

/** Condition codes: number, NASM/ndisasm canonical suffix, other suffixes, flags tested. */
export const CONDITION_CODES: ReadonlyArray<{ cc: number; name: string; aliases: readonly string[]; reads: FlagSet }> = [
  { cc: 0x0, name: 'o', aliases: [], reads: 'O' },
  { cc: 0x1, name: 'no', aliases: [], reads: 'O' },
  { cc: 0x2, name: 'c', aliases: ['b', 'nae'], reads: 'C' },
  { cc: 0x3, name: 'nc', aliases: ['nb', 'ae'], reads: 'C' },
  { cc: 0x4, name: 'z', aliases: ['e'], reads: 'Z' },
  { cc: 0x5, name: 'nz', aliases: ['ne'], reads: 'Z' },
  { cc: 0x6, name: 'na', aliases: ['be'], reads: 'CZ' },
  { cc: 0x7, name: 'a', aliases: ['nbe'], reads: 'CZ' },
  { cc: 0x8, name: 's', aliases: [], reads: 'S' },
  { cc: 0x9, name: 'ns', aliases: [], reads: 'S' },
  { cc: 0xA, name: 'pe', aliases: ['p'], reads: 'P' },
  { cc: 0xB, name: 'po', aliases: ['np'], reads: 'P' },
  { cc: 0xC, name: 'l', aliases: ['nge'], reads: 'SO' },
  { cc: 0xD, name: 'nl', aliases: ['ge'], reads: 'SO' },
  { cc: 0xE, name: 'ng', aliases: ['le'], reads: 'ZSO' },
  { cc: 0xF, name: 'g', aliases: ['nle'], reads: 'ZSO' },
];
for (const c of CONDITION_CODES) {
  const family = (prefix: string, description: string, spec: DefSpec, rows: string[]): void => {
    entries.push({
      mnemonic: prefix + c.name, description, cc: c.cc, rows,
      spec: { ...spec, r: c.reads, aliases: c.aliases.map((a) => prefix + a) },
    });
  };
  family('j', `Jump if condition ${c.name.toUpperCase()} (tests ${c.reads})`, { flow: 'branch' },
    ['rel8: 70+cc rb', 'rel32: o32 0F 80+cc rd', 'rel16: o16 0F 80+cc rw']);
  family('set', `Set byte to 1 if condition ${c.name.toUpperCase()}, else 0`, {}, ['rm8: 0F 90+cc /0']);
  family('cmov', `Move if condition ${c.name.toUpperCase()}`, {}, ['r16,rm16: o16 0F 40+cc /r', 'r32,rm32: o32 0F 40+cc /r']);
}

// ---- Control transfer -------------------------------------------------------------------------

def('jmp', 'Jump (far forms load CS: privilege checks against the CPL)', { flow: 'jump' }, [
  'rel8: EB rb', 'rel32: o32 E9 rd', 'rel16: o16 E9 rw', 'rm32: o32 FF /4', 'rm16: o16 FF /4',
  'far32: o32 EA id seg !sensitive', 'far16: o16 EA iw seg !sensitive', 'mfar: o32 FF /5 !sensitive', 'mfar: o16 FF /5 !sensitive',
]);
def('call', 'Call a procedure (far forms load CS: privilege checks, call gates)', { flow: 'call' }, [
  'rel32: o32 E8 rd', 'rel16: o16 E8 rw', 'rm32: o32 FF /2', 'rm16: o16 FF /2',
  'far32: o32 9A id seg !sensitive', 'far16: o16 9A iw seg !sensitive', 'mfar: o32 FF /3 !sensitive', 'mfar: o16 FF /3 !sensitive',
]);
def('ret', 'Return from a near call (optionally releasing bytes of arguments)', { flow: 'ret', aliases: ['retn'] }, [': C3', 'imm16: C2 iw']);
def('retf', 'Return from a far call (loads CS: privilege checks against the CPL)', { flow: 'farret', priv: 'sensitive' }, [': CB', 'imm16: CA iw']);
def('loop', 'Decrement ECX; jump if not zero', { flow: 'branch' }, ['rel8: E2 rb']);
def('loope', 'Decrement ECX; jump if not zero and ZF=1', { r: 'Z', flow: 'branch', aliases: ['loopz'] }, ['rel8: E1 rb']);
def('loopne', 'Decrement ECX; jump if not zero and ZF=0', { r: 'Z', flow: 'branch', aliases: ['loopnz'] }, ['rel8: E0 rb']);
def('jecxz', 'Jump if ECX is zero', { flow: 'branch' }, ['rel8: a32 E3 rb']);
def('jcxz', 'Jump if CX is zero', { flow: 'branch' }, ['rel8: a16 E3 rb']);
def('int', 'Software interrupt through the IDT (gate DPL checked against the CPL)', { w: 'IT', flow: 'int', priv: 'sensitive' }, ['imm8: CD ib']);
def('int3', 'Breakpoint trap (#BP, vector 3)', { w: 'IT', flow: 'int', priv: 'sensitive' }, [': CC']);
def('int1', 'Debug trap (vector 1), the ICEBP opcode; unlike INT n it skips the gate DPL check', { w: 'IT', flow: 'int', aliases: ['icebp'] }, [': F1']);
def('into', 'Overflow trap (#OF, vector 4) if OF=1', { r: 'O', w: 'IT', flow: 'int', priv: 'sensitive' }, [': CE']);
def('iretd', 'Return from an interrupt: pops EIP, CS, EFLAGS (and ESP, SS to an outer ring)', { w: 'ODITSZAPC', flow: 'iret', aliases: ['iret'] }, [': o32 CF']);
def('iretw', 'Return from an interrupt with 16-bit frame', { w: 'ODITSZAPC', flow: 'iret' }, [': o16 CF']);

// ---- Flags ------------------------------------------------------------------------------------

def('clc', 'Clear the carry flag', { w: 'C' }, [': F8']);
def('stc', 'Set the carry flag', { w: 'C' }, [': F9']);
def('cmc', 'Complement the carry flag', { r: 'C', w: 'C' }, [': F5']);
def('cld', 'Clear the direction flag (string operations count up)', { w: 'D' }, [': FC']);
def('std', 'Set the direction flag (string operations count down)', { w: 'D' }, [': FD']);
def('cli', 'Clear the interrupt flag (needs CPL <= IOPL)', { w: 'I', priv: 'iopl' }, [': FA']);
def('sti', 'Set the interrupt flag, effective after the next instruction (needs CPL <= IOPL)', { w: 'I', priv: 'iopl' }, [': FB']);

// ---- Strings ----------------------------------------------------------------------------------

const STRINGS: ReadonlyArray<[string, number, string, DefSpec]> = [
  ['movs', 0xA4, 'Move string element [ESI] to [EDI]', { r: 'D', rep: 'rep' }],
  ['cmps', 0xA6, 'Compare string elements [ESI] and [EDI]', { r: 'D', w: ARITH, rep: 'repe' }],
  ['stos', 0xAA, 'Store AL/AX/EAX to [EDI]', { r: 'D', rep: 'rep' }],
  ['lods', 0xAC, 'Load [ESI] into AL/AX/EAX', { r: 'D', rep: 'rep' }],
  ['scas', 0xAE, 'Compare AL/AX/EAX with [EDI]', { r: 'D', w: ARITH, rep: 'repe' }],
  ['ins', 0x6C, 'Input from port DX to [EDI] (I/O: needs CPL <= IOPL)', { r: 'D', rep: 'rep', priv: 'io' }],
  ['outs', 0x6E, 'Output [ESI] to port DX (I/O: needs CPL <= IOPL)', { r: 'D', rep: 'rep', priv: 'io' }],
];
for (const [m, op, description, spec] of STRINGS) {
  def(`${m}b`, `${description}, byte`, spec, [`: ${hex(op)}`]);
  def(`${m}w`, `${description}, word`, spec, [`: o16 ${hex(op + 1)}`]);
  def(`${m}d`, `${description}, doubleword`, spec, [`: o32 ${hex(op + 1)}`]);
}

// ---- I/O --------------------------------------------------------------------------------------

def('in', 'Input from an I/O port (needs CPL <= IOPL)', { priv: 'io' }, [
  'al,imm8: E4 ib', 'ax,imm8: o16 E5 ib', 'eax,imm8: o32 E5 ib', 'al,dx: EC', 'ax,dx: o16 ED', 'eax,dx: o32 ED',
]);
def('out', 'Output to an I/O port (needs CPL <= IOPL)', { priv: 'io' }, [
  'imm8,al: E6 ib', 'imm8,ax: o16 E7 ib', 'imm8,eax: o32 E7 ib', 'dx,al: EE', 'dx,ax: o16 EF', 'dx,eax: o32 EF',
]);

// ---- System -----------------------------------------------------------------------------------

def('hlt', 'Halt until the next interrupt', { priv: 'privileged', flow: 'halt' }, [': F4']);
def('lgdt', 'Load the global descriptor table register', { priv: 'privileged' }, ['mem: 0F 01 /2']);
def('lidt', 'Load the interrupt descriptor table register', { priv: 'privileged' }, ['mem: 0F 01 /3']);
def('sgdt', 'Store the GDTR (reveals the VMM\'s GDT to a deprivileged guest)', { priv: 'sensitive' }, ['mem: 0F 01 /0']);
def('sidt', 'Store the IDTR (reveals the VMM\'s IDT to a deprivileged guest)', { priv: 'sensitive' }, ['mem: 0F 01 /1']);
def('lldt', 'Load the local descriptor table register', { priv: 'privileged' }, ['rm16: 0F 00 /2']);
def('sldt', 'Store the LDTR selector', { priv: 'sensitive' }, ['m16: 0F 00 /0', 'r16: o16 0F 00 /0', 'r32: o32 0F 00 /0']);
def('ltr', 'Load the task register', { priv: 'privileged' }, ['rm16: 0F 00 /3']);
def('str', 'Store the task register selector (reveals the VMM\'s TSS)', { priv: 'sensitive' }, ['m16: 0F 00 /1', 'r16: o16 0F 00 /1', 'r32: o32 0F 00 /1']);
def('lmsw', 'Load the machine status word (low bits of CR0)', { priv: 'privileged' }, ['rm16: 0F 01 /6']);
def('smsw', 'Store the machine status word (reveals CR0.PE/TS to a deprivileged guest)', { priv: 'sensitive' }, ['m16: 0F 01 /4', 'r16: o16 0F 01 /4', 'r32: o32 0F 01 /4']);
def('clts', 'Clear CR0.TS', { priv: 'privileged' }, [': 0F 06']);
def('lar', 'Load access rights of a descriptor (answer depends on CPL versus DPL)', { w: 'Z', priv: 'sensitive' }, ['r16,rm16: o16 0F 02 /r', 'r32,r32: o32 0F 02 /r', 'r32,m16: o32 0F 02 /r']);
def('lsl', 'Load segment limit of a descriptor (answer depends on CPL versus DPL)', { w: 'Z', priv: 'sensitive' }, ['r16,rm16: o16 0F 03 /r', 'r32,r32: o32 0F 03 /r', 'r32,m16: o32 0F 03 /r']);
def('verr', 'Verify a segment for reading at the current CPL', { w: 'Z', priv: 'sensitive' }, ['rm16: 0F 00 /4']);
def('verw', 'Verify a segment for writing at the current CPL', { w: 'Z', priv: 'sensitive' }, ['rm16: 0F 00 /5']);
def('invlpg', 'Invalidate the TLB entry of one page', { priv: 'privileged' }, ['mem: 0F 01 /7']);
def('invd', 'Invalidate caches without writing back', { priv: 'privileged' }, [': 0F 08']);
def('wbinvd', 'Write back and invalidate caches', { priv: 'privileged' }, [': 0F 09']);
def('rdmsr', 'Read the model-specific register ECX into EDX:EAX', { priv: 'privileged' }, [': 0F 32']);
def('wrmsr', 'Write EDX:EAX to the model-specific register ECX', { priv: 'privileged' }, [': 0F 30']);
def('rdpmc', 'Read performance counter ECX into EDX:EAX (privileged unless CR4.PCE)', { priv: 'privileged' }, [': 0F 33']);
def('rdtsc', 'Read the time-stamp counter into EDX:EAX (privileged only when CR4.TSD)', {}, [': 0F 31']);
def('cpuid', 'CPU identification: leaf EAX (subleaf ECX) into EAX, EBX, ECX, EDX', { flow: 'serializing' }, [': 0F A2']);
def('vmcall', 'Call the VMM from a VT-x guest (VM exit 18); #UD outside VMX non-root mode', {}, [': 0F 01 C1']);
def('ud2', 'Undefined instruction: raises #UD', { flow: 'int' }, [': 0F 0B']);
def('wait', 'Wait for pending x87 exceptions', { aliases: ['fwait'] }, [': 9B']);

export const TABLE: readonly TableEntry[] = entries;
