// Builds the TextMate grammar for guest assembly (syntaxes/guest-asm.tmLanguage.json) from the
// one instruction table: which mnemonics are privileged, sensitive or I/O is read from core/isa,
// never typed here. scripts/build-grammar.mjs writes the file; test/grammar checks it is current.

import { INSTRUCTIONS, REGISTERS, type Form, type OperandKind, type PrivilegeClass } from '../core/isa';
import { DIRECTIVES } from '../core/asm/words';
import { PREPROCESSOR_DIRECTIVES } from '../core/asm/preprocess';

export const SCOPE_NAME = 'source.guest-asm';
const S = '.guest-asm';

/** Scope of a mnemonic by its privilege class: themes can mark the ones a VMM must handle. */
export const MNEMONIC_SCOPES: Readonly<Record<PrivilegeClass | 'flow', string>> = {
  privileged: `keyword.other.instruction.privileged${S}`,
  iopl: `keyword.other.instruction.privileged.iopl${S}`,
  io: `keyword.other.instruction.io${S}`,
  sensitive: `keyword.other.instruction.sensitive${S}`,
  flow: `keyword.control.instruction${S}`,
  unprivileged: `keyword.other.instruction${S}`,
};

// Lexical words of NASM that the table does not hold (it holds instructions and registers);
// test/grammar/words.test.ts checks each against the assembler's own classification.
export const PREFIX_WORDS = ['lock', 'rep', 'repe', 'repz', 'repne', 'repnz', 'o16', 'o32', 'a16', 'a32'] as const;
export const SIZE_WORDS = ['byte', 'word', 'dword', 'qword', 'tword', 'oword', 'yword', 'zword'] as const;
export const DISTANCE_WORDS = ['short', 'near', 'far', 'strict'] as const;
const DATA_DIRECTIVE = /^(d[bwdqtoyz]|res[bwdqtoyz]|times)$/;

/** NASM identifier characters: a word boundary for mnemonics must not split `.loop` or `a.b`. */
const ID = "[\\w.?$#@~]";
const B = `(?<!${ID})`;
const E = `(?!${ID})`;
const LABEL = "[A-Za-z_.?$][\\w.?$#@~]*";

function alternation(words: Iterable<string>): string {
  const list = [...new Set(words)].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return list.map((w) => w.replace(/[.?$#@~]/g, (c) => `\\${c}`)).join('|');
}

/** Every spelling of a mnemonic (canonical name and aliases). */
function spellings(mnemonic: string): string[] {
  const def = INSTRUCTIONS.get(mnemonic);
  return def ? [def.mnemonic, ...(def.aliases ?? [])] : [mnemonic];
}

type Classified = Record<PrivilegeClass | 'flow', string[]>;

/** Mnemonics whose every form shares one class (classified by it), and the mixed ones. */
function classify(): { whole: Classified; mixed: Map<string, Form[]> } {
  const whole: Classified = { privileged: [], iopl: [], io: [], sensitive: [], flow: [], unprivileged: [] };
  const mixed = new Map<string, Form[]>();
  for (const def of INSTRUCTIONS.values()) {
    const classes = new Set(def.forms.map((f) => f.privilege));
    if (classes.size > 1) {
      mixed.set(def.mnemonic, [...def.forms]);
      continue;
    }
    const cls = [...classes][0] ?? def.privilege;
    const key = cls === 'unprivileged' && def.flow !== undefined && def.flow !== 'serializing' ? 'flow' : cls;
    whole[key].push(...spellings(def.mnemonic));
  }
  return { whole, mixed };
}

const SEGMENT_KINDS: readonly OperandKind[] = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

/** The operands that make a form of a mixed mnemonic special, as a lookahead on the operands. */
function operandLookahead(forms: readonly Form[], mnemonic: string): string {
  const regs = new Set<string>();
  let farImmediate = false;
  let farMemory = false;
  for (const form of forms) {
    let distinctive = false;
    for (const kind of form.operands) {
      if (kind === 'sreg' || kind === 'creg' || kind === 'dreg') {
        for (const r of REGISTERS.values()) if (r.cls === kind) regs.add(r.name);
        distinctive = true;
      } else if (SEGMENT_KINDS.includes(kind)) {
        regs.add(kind);
        distinctive = true;
      } else if (kind === 'far16' || kind === 'far32') {
        farImmediate = distinctive = true;
      } else if (kind === 'mfar') {
        farMemory = distinctive = true;
      }
    }
    if (!distinctive) throw new Error(`grammar: cannot tell form '${form.source}' of ${mnemonic} by its operands`);
  }
  const tests: string[] = [];
  // A register that is a whole operand (not a segment override inside brackets).
  if (regs.size > 0) tests.push(`\\s+(?:[^;,]*,\\s*)?(?i:${alternation(regs)})\\s*(?:,|;|$)`);
  if (farMemory) tests.push(`\\s+(?:(?i:dword|word)\\s+)?(?i:far)${E}`);
  if (farImmediate) tests.push(`\\s+[^;\\[\\]"']*[^\\s;\\[\\]"']\\s*:`);
  return `(?=${tests.join('|')})`;
}

interface Rule { [key: string]: unknown }

/** The instruction statement: optional label, prefixes, then the mnemonic scoped by its class. */
function statementRule(): Rule {
  const { whole, mixed } = classify();
  const alternatives: { regex: string; scope: string }[] = [];
  // Mixed mnemonics first, most restrictive class first: `mov cr3, eax` is privileged,
  // `mov ax, ds` sensitive, `mov eax, ebx` plain (the whole-mnemonic alternatives below).
  const order: PrivilegeClass[] = ['privileged', 'iopl', 'io', 'sensitive'];
  for (const cls of order) {
    const byLookahead = new Map<string, string[]>();
    for (const [mnemonic, forms] of mixed) {
      const special = forms.filter((f) => f.privilege === cls);
      if (special.length === 0) continue;
      const look = operandLookahead(special, mnemonic);
      byLookahead.set(look, [...(byLookahead.get(look) ?? []), ...spellings(mnemonic)]);
    }
    for (const [look, words] of byLookahead) {
      alternatives.push({ regex: `(?i:${alternation(words)})${E}${look}`, scope: MNEMONIC_SCOPES[cls] });
    }
  }
  for (const [mnemonic, forms] of mixed) {
    const plain = forms.some((f) => f.privilege === 'unprivileged');
    if (!plain) throw new Error(`grammar: ${mnemonic} has no unprivileged form to fall back on`);
    const def = INSTRUCTIONS.get(mnemonic)!;
    const key = def.flow !== undefined && def.flow !== 'serializing' ? 'flow' : 'unprivileged';
    whole[key].push(...spellings(mnemonic));
  }
  for (const cls of [...order, 'flow', 'unprivileged'] as const) {
    if (whole[cls].length > 0) alternatives.push({ regex: `(?i:${alternation(whole[cls])})${E}`, scope: MNEMONIC_SCOPES[cls] });
  }
  const captures: Record<string, Rule> = {
    1: { name: `entity.name.function.label${S}` },
    2: { name: `punctuation.separator.label${S}` },
    3: { patterns: [{ include: '#prefix' }] },
  };
  alternatives.forEach((a, i) => { captures[String(i + 4)] = { name: a.scope }; });
  return {
    comment: 'Generated from core/isa: the mnemonic scoped by the privilege class of the form its operands select.',
    match: `^\\s*(?:(${LABEL})\\s*(:)\\s*)?((?:${B}(?i:${alternation(PREFIX_WORDS)})${E}\\s+)*)${B}(?:${alternatives.map((a) => `(${a.regex})`).join('|')})`,
    captures,
  };
}

const wordsRule = (words: Iterable<string>, name: string): Rule => ({ match: `${B}(?i:${alternation(words)})${E}`, name });

/** The whole grammar, as the JSON object VS Code reads. */
export function guestAsmGrammar(): Rule {
  const directives = [...DIRECTIVES];
  const registersOf = (cls: string): string[] => [...REGISTERS.values()].filter((r) => r.cls === cls).map((r) => r.name);
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Guest Assembly (NASM, x86-32)',
    scopeName: SCOPE_NAME,
    comment: 'GENERATED by scripts/build-grammar.mjs from core/isa (syntaxes/guestAsmGrammar.ts): do not edit.',
    fileTypes: ['gasm'],
    patterns: [
      { include: '#comment' },
      { include: '#preprocessor' },
      { include: '#statement' },
      { include: '#label' },
      { include: '#operands' },
    ],
    repository: {
      comment: {
        patterns: [
          {
            match: `(;)\\s*(ringlab(?::|-ignore))(.*)$`,
            name: `comment.line.semicolon.directive${S}`,
            captures: {
              1: { name: `punctuation.definition.comment${S}` },
              2: { name: `keyword.other.directive.ringlab${S}` },
              3: { patterns: [{ match: '\\bRL\\d{3}\\b', name: `constant.other.diagnostic-code${S}` }] },
            },
          },
          { match: '(;).*$', name: `comment.line.semicolon${S}`, captures: { 1: { name: `punctuation.definition.comment${S}` } } },
        ],
      },
      preprocessor: {
        patterns: [
          {
            match: `^\\s*(%\\s*(?i:${alternation(PREPROCESSOR_DIRECTIVES)}|macro|endmacro|imacro|rep|endrep|exitrep|rotate|push|pop|repl|strlen|substr|use|local))${E}`,
            captures: { 1: { name: `keyword.control.preprocessor${S}` } },
          },
          { match: '^\\s*(%\\s*\\w+)', captures: { 1: { name: `keyword.control.preprocessor${S}` } } },
        ],
      },
      statement: { patterns: [statementRule()] },
      label: {
        patterns: [
          {
            match: `^\\s*(${LABEL})\\s+(?=(?i:equ)${E})`,
            captures: { 1: { name: `entity.name.constant${S}` } },
          },
          {
            match: `^\\s*(${LABEL})\\s*(:)`,
            captures: { 1: { name: `entity.name.function.label${S}` }, 2: { name: `punctuation.separator.label${S}` } },
          },
        ],
      },
      prefix: { patterns: [wordsRule(PREFIX_WORDS, `keyword.other.prefix${S}`)] },
      operands: {
        patterns: [
          { include: '#comment' },
          { include: '#string' },
          { include: '#directive' },
          { include: '#prefix' },
          { include: '#register' },
          wordsRule(SIZE_WORDS, `storage.type.size${S}`),
          wordsRule(DISTANCE_WORDS, `storage.modifier.distance${S}`),
          { include: '#number' },
          { match: '\\$\\$|\\$(?![\\w.?$#@~])', name: `variable.language.location${S}` },
          { match: '%%?[\\w.]+|%[+-]?\\d+|%\\{[^}]*\\}', name: `variable.parameter.macro${S}` },
          { match: '\\[|\\]', name: `punctuation.definition.memory${S}` },
          { match: ',', name: `punctuation.separator.operand${S}` },
          { match: ':', name: `punctuation.separator.segment${S}` },
          { match: '<<|>>|//|%%|[-+*/%&|^~!]|==|!=|<=|>=|<|>', name: `keyword.operator${S}` },
          { match: LABEL, name: `variable.other.label${S}` },
        ],
      },
      directive: {
        patterns: [
          wordsRule(directives.filter((d) => DATA_DIRECTIVE.test(d)), `storage.type.data${S}`),
          wordsRule(directives.filter((d) => !DATA_DIRECTIVE.test(d)), `keyword.other.directive${S}`),
        ],
      },
      register: {
        patterns: [
          wordsRule([...registersOf('r8'), ...registersOf('r16'), ...registersOf('r32')], `variable.language.register.general${S}`),
          wordsRule(registersOf('sreg'), `variable.language.register.segment${S}`),
          wordsRule(registersOf('creg'), `variable.language.register.control${S}`),
          wordsRule(registersOf('dreg'), `variable.language.register.debug${S}`),
        ],
      },
      number: {
        patterns: [
          { match: `${B}(?:0[xh][0-9a-fA-F_]+|[0-9][0-9a-fA-F_]*[hH]|\\$[0-9][0-9a-fA-F_]*)${E}`, name: `constant.numeric.hex${S}` },
          { match: `${B}(?:0[by][01_]+|[01][01_]*[bByY])${E}`, name: `constant.numeric.binary${S}` },
          { match: `${B}(?:0[oq][0-7_]+|[0-7][0-7_]*[oOqQ])${E}`, name: `constant.numeric.octal${S}` },
          { match: `${B}(?:[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+]?[0-9]+)?)${E}`, name: `constant.numeric.float${S}` },
          { match: `${B}(?:0[dt][0-9_]+|[0-9][0-9_]*[dDtT]?)${E}`, name: `constant.numeric.decimal${S}` },
        ],
      },
      string: {
        patterns: [
          { begin: '"', end: '"', name: `string.quoted.double${S}` },
          { begin: "'", end: "'", name: `string.quoted.single${S}` },
          {
            begin: '`', end: '`', name: `string.quoted.other.backtick${S}`,
            patterns: [{ match: '\\\\.', name: `constant.character.escape${S}` }],
          },
        ],
      },
    },
  };
}
