// The instruction set as the rest of core reads it: definitions by mnemonic (aliases resolved),
// every form with a stable id, and the condition codes. Built once from table.ts.

import { parseRow } from './encoding';
import { CONDITION_CODES, TABLE } from './table';
import type { Form, InstructionDef } from './types';

export * from './types';
export * from './registers';
export { CONDITION_CODES } from './table';

const forms: Form[] = [];
const defs = new Map<string, InstructionDef>();
const aliasOf = new Map<string, string>();

for (const entry of TABLE) {
  const { spec } = entry;
  const defForms: Form[] = [];
  const def: InstructionDef = {
    mnemonic: entry.mnemonic,
    description: entry.description,
    flags: {
      ...(spec.r ? { read: spec.r } : {}),
      ...(spec.w ? { written: spec.w } : {}),
      ...(spec.u ? { undefined: spec.u } : {}),
    },
    privilege: spec.priv ?? 'unprivileged',
    ...(spec.flow ? { flow: spec.flow } : {}),
    ...(spec.lock ? { lockable: true } : {}),
    ...(spec.rep ? { rep: spec.rep } : {}),
    ...(spec.aliases && spec.aliases.length > 0 ? { aliases: spec.aliases } : {}),
    forms: defForms,
  };
  for (const row of entry.rows) {
    const parsed = parseRow(row, entry.cc);
    const farForm = parsed.operands.some((k) => k === 'far16' || k === 'far32' || k === 'mfar');
    const flow = def.flow === 'jump' && farForm ? 'farjump' : def.flow === 'call' && farForm ? 'farcall' : def.flow;
    const form: Form = {
      id: forms.length,
      mnemonic: entry.mnemonic,
      operands: parsed.operands,
      encoding: parsed.encoding,
      privilege: parsed.privilege ?? def.privilege,
      ...(flow ? { flow } : {}),
      def,
      source: `${entry.mnemonic} ${row}`,
      ...(parsed.decodeOnly ? { decodeOnly: true } : {}),
    };
    forms.push(form);
    defForms.push(form);
  }
  if (defs.has(entry.mnemonic)) throw new Error(`isa: mnemonic '${entry.mnemonic}' defined twice`);
  defs.set(entry.mnemonic, def);
  for (const a of def.aliases ?? []) aliasOf.set(a, entry.mnemonic);
}

/** Every form of every instruction, indexed by Form.id. */
export const FORMS: readonly Form[] = forms;

/** Every instruction definition, by canonical mnemonic. */
export const INSTRUCTIONS: ReadonlyMap<string, InstructionDef> = defs;

/** The definition for a mnemonic or one of its aliases (case-insensitive), or undefined. */
export function lookupMnemonic(name: string): InstructionDef | undefined {
  const lower = name.toLowerCase();
  return defs.get(lower) ?? defs.get(aliasOf.get(lower) ?? '');
}

/** Every spelling the assembler accepts as a mnemonic (canonical names and aliases). */
export function allMnemonics(): string[] {
  return [...defs.keys(), ...aliasOf.keys()];
}

/** Condition-code number of a suffix (`z`, `e`, `nae`...), or undefined. */
export function conditionCode(suffix: string): number | undefined {
  const s = suffix.toLowerCase();
  return CONDITION_CODES.find((c) => c.name === s || c.aliases.includes(s))?.cc;
}
