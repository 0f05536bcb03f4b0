// The binary translator: guest kernel code into translation units as Adams and Agesen describe
// VMware's (at most 12 instructions, or up to and including a control-flow instruction; never
// across a page). Each guest instruction is IDENT (copied as it is) or replaced: an inline safe
// sequence, a call-out into the VMM, a chained direct branch or an indirect-branch lookup. The
// unit is the one representation: the listing shows it, the bt engine executes by its kinds.

import { DecodeStatus, Decoded } from '../disasm/decoded';
import { decode } from '../disasm/decoder';
import { FORMS, type Form } from '../isa';
import { REG32 } from '../isa/registers';
import { spell } from './guestCode';

/** What a form becomes in the translation cache (per form id: `translationKinds()`). */
export const TRANSLATION = {
  /** Copied as it is: runs natively. */
  IDENT: 0,
  /** A short safe sequence in the translation cache on the virtual CPU's state (cli, sti, pushf, popf). */
  INLINE: 1,
  /** A call into the VMM, which emulates the instruction on the virtual CPU. */
  CALLOUT: 2,
  /** INT n: a call-out that delivers through the guest's IDT at the guest's CPL. */
  SOFT_INT: 3,
  /** A relative jump, call or conditional branch: chained to the target's translation. */
  DIRECT: 4,
  /** RET, JMP/CALL through a register or memory: the target is looked up at run time. */
  INDIRECT: 5,
  /** Copied, but it ends the unit (CPUID, UD2, INT1): the next instruction starts a unit. */
  IDENT_END: 6,
} as const;
export type TranslationKind = (typeof TRANSLATION)[keyof typeof TRANSLATION];

export const TRANSLATION_KIND_NAMES = ['ident', 'inline', 'callout', 'callout', 'direct', 'indirect', 'ident'] as const;
export type TranslationKindName = (typeof TRANSLATION_KIND_NAMES)[number];

/** Adams and Agesen: a translation unit holds at most 12 guest instructions. */
export const MAX_UNIT_INSTRUCTIONS = 12;

// The lecture's translations (shared/DESIGN.md) and their siblings, keyed by mnemonic because
// each is its own sequence; which forms need one comes from the table's privilege class.
const HANDLE_INTS = 'test [INT_PEND], 1 ; jne -> call HANDLE_INTS';
const INLINE_SEQUENCES: Readonly<Record<string, string>> = {
  cli: 'mov [VIF], 0',
  sti: `mov [VIF], 1 ; ${HANDLE_INTS} ; jmp HANDLE_RET`,
  pushfd: 'push dword [VIRTUAL_EFLAGS]',
  pushfw: 'push word [VIRTUAL_EFLAGS]',
  popfd: `pop dword [VIRTUAL_EFLAGS] ; ${HANDLE_INTS}`,
  popfw: `pop word [VIRTUAL_EFLAGS] ; ${HANDLE_INTS}`,
};

/** The translation kind of every form, by form id. */
export function translationKinds(): Uint8Array {
  const kinds = new Uint8Array(FORMS.length);
  for (const f of FORMS) kinds[f.id] = kindOf(f);
  return kinds;
}

function kindOf(f: Form): TranslationKind {
  if (f.privilege !== 'unprivileged' || f.flow === 'iret') {
    if (f.flow === 'int') return TRANSLATION.SOFT_INT;
    return INLINE_SEQUENCES[f.mnemonic] !== undefined ? TRANSLATION.INLINE : TRANSLATION.CALLOUT;
  }
  switch (f.flow) {
    case undefined: return TRANSLATION.IDENT;
    case 'ret': return TRANSLATION.INDIRECT;
    case 'jump': case 'call': case 'branch':
      return isRelative(f) ? TRANSLATION.DIRECT : TRANSLATION.INDIRECT;
    default: return TRANSLATION.IDENT_END;
  }
}

function isRelative(f: Form): boolean {
  const op = f.operands[0];
  return op === 'rel8' || op === 'rel16' || op === 'rel32';
}

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
/** The translated unit of guest address `eip`, as the listing names it. */
export const unitLabel = (eip: number): string => `tc_${(eip >>> 0).toString(16).padStart(8, '0')}`;

/** The translation of one decoded guest instruction of kind `kind`, as text. */
export function translationText(d: Decoded, kind: TranslationKind): string {
  const f = d.form!;
  const text = spell(d);
  const next = (d.addr + d.length) >>> 0;
  const operand = text.slice(text.indexOf(' ') + 1);
  switch (kind) {
    case TRANSLATION.IDENT: case TRANSLATION.IDENT_END: return text;
    case TRANSLATION.INLINE: return INLINE_SEQUENCES[f.mnemonic]!;
    case TRANSLATION.SOFT_INT: return `call HANDLE_INT`;
    case TRANSLATION.DIRECT:
      if (f.flow === 'jump') return `jmp ${unitLabel(d.target)}`;
      if (f.flow === 'call') return `push ${hex8(next)} ; jmp ${unitLabel(d.target)}`;
      return `${f.mnemonic} ${unitLabel(d.target)} ; jmp ${unitLabel(next)}`;
    case TRANSLATION.INDIRECT:
      if (f.flow === 'ret') return 'call LOOKUP_INDIRECT';
      if (f.flow === 'call') return `push ${hex8(next)} ; mov [CO_ARG], ${operand} ; call LOOKUP_INDIRECT`;
      return `mov [CO_ARG], ${operand} ; call LOOKUP_INDIRECT`;
    default: return calloutText(d, f);
  }
}

function calloutText(d: Decoded, f: Form): string {
  const ops = f.operands;
  const cr = ops.indexOf('creg');
  const dr = ops.indexOf('dreg');
  // mov r32, crN and mov crN, r32: ModRM.reg names the control register, ModRM.rm the register.
  if (cr >= 0) return `mov [CO_ARG], ${REG32[d.rm]} ; call HANDLE_CR${d.reg}`;
  if (dr >= 0) return `mov [CO_ARG], ${REG32[d.rm]} ; call HANDLE_DR${d.reg}`;
  if (f.privilege === 'io') return 'call HANDLE_IO';
  if (f.flow === 'iret') return 'call HANDLE_IRET';
  if (f.flow === 'farjump' || f.flow === 'farcall' || f.flow === 'farret') return `call HANDLE_FAR_${f.mnemonic.toUpperCase()}`;
  if (ops.some((o) => o === 'sreg' || o === 'es' || o === 'cs' || o === 'ss' || o === 'ds' || o === 'fs' || o === 'gs')) return 'call HANDLE_SEGMENT';
  return `call HANDLE_${f.mnemonic.toUpperCase()}`;
}

/** One guest instruction of a unit and what it became. */
export interface TranslatedInstruction {
  readonly eip: number;
  /** Its bytes as hex pairs, `0f 20 db`. */
  readonly bytes: string;
  /** NASM syntax. */
  readonly guest: string;
  readonly translation: string;
  readonly kind: TranslationKindName;
}

export type UnitEnd = 'control-flow' | 'limit' | 'page' | 'undecodable';

export interface TranslationUnit {
  /** Guest EIP (CS-relative) and physical address of the first instruction. */
  readonly eip: number;
  readonly physAddr: number;
  /** Guest bytes the unit covers (the last instruction may run into the next page). */
  readonly byteLength: number;
  readonly instructions: readonly TranslatedInstruction[];
  readonly end: UnitEnd;
  /** Where a unit that ends without control flow continues (chained: `jmp tc_...`), or null. */
  readonly continuation: number | null;
  /** Instructions retired when it was translated (virtual time). */
  readonly translatedAt: number;
}

/** Where the translator reads guest code: physical memory, and how far it is contiguous. */
export interface CodeSource {
  readonly bytes: Uint8Array;
  /** Bytes from the unit's page on that are physically contiguous with it (an instruction may
   *  cross the page end only into them: paging off, where linear is physical). */
  readonly contiguousEnd: number;
}

const scratch = new Decoded();

/** Translates the unit at guest `eip` (physical `physAddr`). */
export function translateUnit(code: CodeSource, physAddr: number, eip: number, kinds: Uint8Array, at: number): TranslationUnit {
  const pageEnd = (physAddr & ~0xfff) + 0x1000;
  const instructions: TranslatedInstruction[] = [];
  let phys = physAddr;
  let addr = eip >>> 0;
  let end: UnitEnd = 'limit';
  while (instructions.length < MAX_UNIT_INSTRUCTIONS) {
    if (phys >= pageEnd) { end = 'page'; break; }
    const limit = Math.min(code.contiguousEnd, phys + 15);
    decode(code.bytes, phys, addr, scratch, limit);
    if (scratch.status !== DecodeStatus.Ok) {
      // Undefined (#UD when it runs) or cut by a page whose successor is elsewhere: the unit
      // stops before it; the instruction still runs on the interpreter (and faults if it must).
      end = scratch.status === DecodeStatus.Truncated && limit < phys + 15 ? 'page' : 'undecodable';
      break;
    }
    const kind = kinds[scratch.formId]! as TranslationKind;
    instructions.push({
      eip: addr,
      bytes: hexBytes(code.bytes, phys, scratch.length),
      guest: spell(scratch),
      translation: translationText(scratch, kind),
      kind: TRANSLATION_KIND_NAMES[kind],
    });
    phys += scratch.length;
    addr = (addr + scratch.length) >>> 0;
    if (scratch.form!.flow !== undefined) { end = 'control-flow'; break; }
  }
  const continues = end === 'limit' || (end === 'page' && instructions.length > 0);
  return { eip: eip >>> 0, physAddr, byteLength: phys - physAddr, instructions, end, continuation: continues ? addr : null, translatedAt: at };
}

function hexBytes(bytes: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i === 0 ? '' : ' ') + bytes[at + i]!.toString(16).padStart(2, '0');
  return s;
}
