// Completion items as plain data: mnemonics (from the table, with their description), prefixes
// and directives where an operation goes; registers, symbols and size words in operands;
// preprocessor directives after `%`; and under pv the hypercall numbers of DESIGN's PV ABI.

import { PREPROCESSOR_DIRECTIVES } from '../asm/preprocess';
import { DIRECTIVES, PREFIX_WORDS } from '../asm/words';
import { INSTRUCTIONS, REGISTERS } from '../isa';
import { PV_HYPERCALL_TABLE } from '../lint';
import type { DocumentAnalysis } from './analysis';
import { lineShape } from './lineShape';
import { registerRole } from './registerRoles';
import { scanLine } from './scan';
import { formatAddress } from './text';

export type CompletionKind = 'mnemonic' | 'register' | 'label' | 'constant' | 'macro' | 'directive' | 'keyword' | 'hypercall';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail: string;
  /** Text to insert when it differs from the label. */
  readonly insertText?: string;
  /** Orders entries of different kinds (lower first); the editor filters by the typed prefix. */
  readonly sortGroup: number;
}

const SIZE_WORDS = ['byte', 'word', 'dword', 'qword'];

/** Entries for a position (1-based line, 1-based column of the cursor) in `file`. */
export function completionsAt(analysis: DocumentAnalysis, file: string, line: number, column: number): CompletionEntry[] {
  const text = analysis.source(file)?.lines[line - 1] ?? '';
  const before = text.slice(0, column - 1);
  const tokens = scanLine(before);
  const last = tokens[tokens.length - 1];
  const inString = last?.kind === 'string' && last.end === before.length && (last.end - last.start < 2 || before[last.end - 1] !== before[last.start]);
  if (last?.kind === 'comment' || inString) return [];
  if (/^\s*%\w*$/.test(before)) return PREPROCESSOR_DIRECTIVES.map((d) => ({ label: `%${d}`, kind: 'directive', detail: 'preprocessor directive', sortGroup: 0 }));
  // The word being typed does not count as the operation yet.
  const typing = last && last.end === before.length && last.kind === 'identifier' ? tokens.slice(0, -1) : tokens;
  // Where the parser wants an operation: at the start, after a label or a `times` count, any
  // mnemonic or directive; after a prefix (`rep`, `lock`, `es`, `o16`...) an instruction only.
  const next = lineShape(before, typing).next;
  if (next === 'operation') return operationEntries();
  return next === 'instruction' ? mnemonicEntries() : operandEntries(analysis, file, line);
}

let mnemonicCache: CompletionEntry[] | undefined;
let operationCache: CompletionEntry[] | undefined;

function mnemonicEntries(): CompletionEntry[] {
  if (!mnemonicCache) {
    const out: CompletionEntry[] = [];
    for (const def of INSTRUCTIONS.values()) {
      out.push({ label: def.mnemonic, kind: 'mnemonic', detail: def.description, sortGroup: 0 });
      for (const a of def.aliases ?? []) out.push({ label: a, kind: 'mnemonic', detail: `${def.description} (= ${def.mnemonic})`, sortGroup: 0 });
    }
    for (const p of PREFIX_WORDS) out.push({ label: p, kind: 'keyword', detail: 'instruction prefix', sortGroup: 1 });
    mnemonicCache = out;
  }
  return mnemonicCache;
}

function operationEntries(): CompletionEntry[] {
  if (!operationCache) {
    operationCache = [...mnemonicEntries()];
    for (const d of DIRECTIVES) operationCache.push({ label: d, kind: 'directive', detail: 'assembler directive', sortGroup: 1 });
  }
  return operationCache;
}

function operandEntries(analysis: DocumentAnalysis, file: string, line: number): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const name of REGISTERS.keys()) {
    const role = registerRole(name)!;
    out.push({ label: name, kind: 'register', detail: role.role, sortGroup: 1 });
  }
  const scope = scopeAt(analysis, file, line);
  for (const { item } of analysis.allDefinitions()) {
    const sym = analysis.symbol(item.name);
    const value = sym ? (sym.kind === 'equ' ? ` = ${sym.value | 0}` : ` at ${formatAddress(sym.value)}`) : '';
    const kind: CompletionKind = item.kind === 'equ' ? 'constant' : item.kind === 'macro' ? 'macro' : 'label';
    out.push({ label: item.name, kind, detail: `${item.kind}${value}`, sortGroup: 0 });
    // A local label of the current scope is written `.name` here.
    if (item.local && scope && item.name.startsWith(scope + '.')) {
      out.push({ label: item.name.slice(scope.length), kind, detail: `${item.kind}${value}`, sortGroup: 0 });
    }
  }
  for (const s of SIZE_WORDS) out.push({ label: s, kind: 'keyword', detail: 'operand size', sortGroup: 2 });
  if (analysis.mode === 'paravirtual') {
    for (const h of PV_HYPERCALL_TABLE) {
      out.push({ label: `${h.number} ${h.name}`, kind: 'hypercall', detail: `hypercall ${h.name} (int 0x82, EAX = ${h.number}): ${h.args}`, insertText: String(h.number), sortGroup: 0 });
    }
  }
  return out;
}

/** The non-local label in effect on a line: the last one defined above it in the file. */
function scopeAt(analysis: DocumentAnalysis, file: string, line: number): string | undefined {
  let scope: string | undefined;
  for (const d of analysis.source(file)?.index.definitions ?? []) {
    if (d.line > line) break;
    if (d.opensScope) scope = d.name; // as the assembler: not an equ, not a `..@` label
  }
  return scope;
}
