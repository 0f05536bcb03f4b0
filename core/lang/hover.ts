// Hover text as Markdown: an instruction's description, encodings, flags, privilege class and
// what every mode does with it (all from core/isa and core/lint's policy); a symbol's value and
// definition; a register's role. The server only wraps the result in an LSP Hover.

import { codeBytes } from '../asm/codeSpans';
import { decode, Decoded } from '../disasm';
import { FORMS, lookupMnemonic, type Form, type InstructionDef, type PrivilegeClass } from '../isa';
import { CODES_BY_CLASS, modeClause, PV_HYPERCALLS, pvReplacement, severityOf, VIRTUAL_MODE_NAMES } from '../lint';
import type { DocumentAnalysis } from './analysis';
import type { Span } from './fileIndex';
import { lineShape, operandRole } from './lineShape';
import { registerRole } from './registerRoles';
import { scanLine } from './scan';
import { formatAddress, locationText } from './text';

export interface HoverText extends Span {
  readonly markdown: string;
}

const CLASS_TEXT: Readonly<Record<PrivilegeClass, string>> = {
  unprivileged: 'unprivileged: runs the same at any CPL',
  privileged: 'privileged: needs CPL 0, #GP(0) otherwise',
  iopl: 'IOPL-sensitive: needs CPL <= IOPL, #GP(0) otherwise',
  io: 'I/O: needs CPL <= IOPL (or the TSS permission bitmap); trapped or exiting under a VMM',
  sensitive: 'sensitive but unprivileged (Robin and Irvine): a CPL-dependent answer without a trap',
};

/** A class in a word or two, for the rows of the encodings list. */
const CLASS_WORD: Readonly<Record<PrivilegeClass, string>> = {
  unprivileged: 'unprivileged', privileged: 'privileged', iopl: 'IOPL-sensitive', io: 'I/O', sensitive: 'sensitive',
};

const FLAG_NAMES: Readonly<Record<string, string>> = {
  O: 'OF', D: 'DF', I: 'IF', T: 'TF', S: 'SF', Z: 'ZF', A: 'AF', P: 'PF', C: 'CF', N: 'NT', R: 'RF', V: 'VM', L: 'IOPL',
};

/** Hover for the word under a position (1-based line and column), or undefined. */
export function hoverAt(analysis: DocumentAnalysis, file: string, line: number, column: number): HoverText | undefined {
  const src = analysis.source(file);
  const text = src?.lines[line - 1];
  if (text === undefined) return undefined;
  const tokens = scanLine(text);
  // The cursor is on a word from its first character to just past its last (as editors report it).
  const k = tokens.findIndex((t) => t.start < column && column <= t.end + 1);
  const t = k >= 0 ? tokens[k] : undefined;
  if (!t || t.kind !== 'identifier') return undefined;
  const span: Span = { line, column: t.start + 1, endColumn: t.end + 1 };
  const wordText = text.slice(t.start, t.end);
  const shape = lineShape(text, tokens);
  if (shape.ops.includes(k)) {
    const def = lookupMnemonic(wordText);
    if (def) return { ...span, markdown: instructionHover(def, formOnLine(analysis, file, line, def), analysis.mode) };
  }
  const occurrence = analysis.occurrenceAt(file, line, column);
  if (occurrence) return { ...span, markdown: symbolHover(analysis, occurrence.name) };
  if (operandRole(wordText) === 'register') {
    const role = registerRole(wordText)!;
    const pv = role.pv ? `\n\nUnder pv: ${role.pv}.` : '';
    return { ...span, markdown: `**${role.name}** (${role.bits}-bit register): ${role.role}.${pv}` };
  }
  return undefined;
}

/** The form the assembler chose for an instruction, and its ModRM.reg as decoded. */
export interface FormOnLine {
  readonly form: Form;
  /** Which control register a MOV CRn names: its PV replacement depends on it. */
  readonly reg: number;
}

/**
 * The form the assembler chose for the instruction on this line, when it assembled: as the lint
 * does, from the last pass's bytes when other lines have errors, not when this one has.
 */
function formOnLine(analysis: DocumentAnalysis, file: string, line: number, def: InstructionDef): FormOnLine | undefined {
  const asm = analysis.lint.asm;
  if (!asm.ok && asm.diagnostics.some((e) => e.severity === 'error' && e.file === file && e.line === line)) return undefined;
  const entry = asm.sourceMap.find((e) => e.isCode && e.line === line && e.file === file);
  if (!entry) return undefined;
  const bytes = codeBytes(asm);
  const d = new Decoded();
  const offset = entry.addr - asm.origin;
  if (offset < 0 || offset >= bytes.length) return undefined;
  decode(bytes, offset, entry.addr, d, Math.min(bytes.length, offset + entry.length));
  const form = d.formId >= 0 ? FORMS[d.formId] : undefined;
  return form?.def === def ? { form, reg: d.reg } : undefined;
}

/** Hover text for an instruction; `onLine` is the form a line assembled to, when there is one. */
export function instructionHover(def: InstructionDef, onLine: FormOnLine | undefined, mode: string): string {
  const form = onLine?.form;
  const out: string[] = [`**${def.mnemonic.toUpperCase()}**: ${def.description}`];
  if (def.aliases?.length) out.push(`Also spelled: ${def.aliases.join(', ')}.`);
  out.push(`Encodings${form ? ' (> is this line\'s)' : ''}:\n\`\`\`\n${encodingRows(def, form).join('\n')}\n\`\`\``);
  out.push(`Flags: ${flagsText(def)}.`);
  const classes = form ? [form.privilege] : [...new Set(def.forms.map((f) => f.privilege))];
  for (const cls of classes) {
    const which = classes.length > 1 ? ` (forms: ${def.forms.filter((f) => f.privilege === cls && !f.decodeOnly).map((f) => f.operands.join(',') || 'none').join('; ')})` : '';
    out.push(`Privilege: ${CLASS_TEXT[cls]}${which}.`);
    out.push(modesText(cls, onLine ? pvReplacement(onLine.form, onLine.reg) : PV_HYPERCALLS[def.mnemonic], mode));
  }
  return out.join('\n\n');
}

/**
 * One row per form the assembler may choose: operands, then the encoding as the table writes it
 * without the table's `!` qualifiers (row syntax, not words for a reader). A form whose class is
 * not its instruction's (MOV to a segment or control register) names its class in words instead.
 */
function encodingRows(def: InstructionDef, form: Form | undefined): string[] {
  const shown = def.forms.filter((f) => !f.decodeOnly);
  const names = shown.map((f) => `${def.mnemonic} ${f.operands.join(',')}`.trimEnd());
  // Form.source is `mnemonic operands: encoding`; the encoding is what follows the colon.
  const encodings = shown.map((f) => f.source.slice(f.source.indexOf(':') + 1).trim().split(/\s+/).filter((t) => !t.startsWith('!')).join(' '));
  const nameWidth = Math.max(...names.map((n) => n.length));
  const encodingWidth = Math.max(...encodings.map((e) => e.length));
  return shown.map((f, i) => {
    const row = `${f === form ? '>' : ' '} ${names[i]!.padEnd(nameWidth)}  ${encodings[i]!}`;
    return f.privilege === def.privilege ? row : `${row.padEnd(nameWidth + encodingWidth + 4)}  (${CLASS_WORD[f.privilege]})`;
  });
}

function flagsText(def: InstructionDef): string {
  const names = (set: string | undefined): string => [...(set ?? '')].map((c) => FLAG_NAMES[c] ?? c).join(' ');
  const parts: string[] = [];
  if (def.flags.read) parts.push(`reads ${names(def.flags.read)}`);
  if (def.flags.written) parts.push(`writes ${names(def.flags.written)}`);
  if (def.flags.undefined) parts.push(`leaves ${names(def.flags.undefined)} undefined`);
  return parts.length ? parts.join('; ') : 'none read or written';
}

/** One bullet per mode: what it does with an instruction of this class, and the severity. */
/** `replacement`: the PV ABI's replacement for the instruction, if any (core/lint's). */
function modesText(cls: PrivilegeClass, replacement: string | undefined, current: string): string {
  const codes = CODES_BY_CLASS[cls];
  if (codes.length === 0) return 'Every mode: runs as is (nothing to virtualize).';
  const lines = ['- native: executes at ring 0 (no hypervisor)'];
  for (const [mode, short] of VIRTUAL_MODE_NAMES) {
    const clauses = codes.map((c) => `${modeClause(c, mode)} [${c} ${severityOf(c, mode)}]`).join('; ');
    const instead = mode === 'paravirtual' && replacement && codes[0] !== 'RL202' ? `; instead: ${replacement}` : '';
    lines.push(`- ${mode === current ? '**' + short + '**' : short}: ${clauses}${instead}`);
  }
  return `What each mode does (this file: ${current}):\n${lines.join('\n')}`;
}

function symbolHover(analysis: DocumentAnalysis, name: string): string {
  const defs = analysis.definitions(name);
  const sym = analysis.symbol(name);
  const def = defs[0];
  const kind = def?.item.kind ?? sym?.kind ?? 'symbol';
  const out = [`**${name}** (${kind})`];
  if (sym) out.push(sym.kind === 'equ' ? `Value: ${formatAddress(sym.value)} (${sym.value | 0})` : `Address: ${formatAddress(sym.value)}${sym.section ? ` in ${sym.section}` : ''}`);
  else if (kind !== 'macro') out.push('Value: not known (the file does not assemble that far)');
  if (def) {
    const line = analysis.source(def.file)?.lines[def.item.line - 1]?.trim() ?? '';
    out.push(`Defined at ${locationText(analysis, def.file, def.item.line)}:\n\`\`\`\n${line}\n\`\`\``);
  } else out.push('Not defined in this file or its includes.');
  if (defs.length > 1) out.push(`Defined ${defs.length} times (RL104).`);
  return out.join('\n\n');
}
