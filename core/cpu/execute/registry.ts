// Instruction semantics, registered by the table's mnemonics and specialised per form at load,
// so the interpreter dispatches by Form.id through a dense array (no switch per instruction).
// Contract: before a handler runs, state.eip already holds the address of the next instruction;
// control transfers overwrite it; a fault (CpuFault thrown) makes the CPU restore the old EIP.
// Some mnemonics have an integer half and a system half (MOV r/m vs MOV sreg/CRn, PUSH r vs
// PUSH sreg, near vs far JMP/CALL): each half registers the mnemonic and declines (returns
// undefined for) the forms that are not its own; a form claimed by two factories is a load error.

import type { Decoded } from '../../disasm/decoded';
import { FORMS, type Form } from '../../isa';
import type { ExecContext } from '../execContext';

export type Handler = (c: ExecContext, d: Decoded) => void;
/** Returns the handler of a form, or undefined when the form belongs to another factory. */
export type HandlerFactory = (form: Form) => Handler | undefined;

const factories = new Map<string, HandlerFactory[]>();

/** Registers the semantics of one or more mnemonics (canonical names of core/isa). */
export function defineSemantics(mnemonics: readonly string[], factory: HandlerFactory): void {
  for (const m of mnemonics) {
    const list = factories.get(m);
    if (list?.includes(factory)) throw new Error(`cpu: semantics of '${m}' defined twice`);
    if (list) list.push(factory); else factories.set(m, [factory]);
  }
}

/** The handler of one form, or undefined; throws when two factories claim it. */
export function handlerFor(form: Form): Handler | undefined {
  let found: Handler | undefined;
  for (const factory of factories.get(form.mnemonic) ?? []) {
    const h = factory(form);
    if (h === undefined) continue;
    if (found) throw new Error(`cpu: semantics of '${form.source}' defined twice`);
    found = h;
  }
  return found;
}

/** Mnemonics of the table that have no semantics yet (a unit test keeps this empty). */
export function mnemonicsWithoutSemantics(): string[] {
  return [...new Set(FORMS.map((f) => f.mnemonic))].filter((m) => !factories.has(m));
}

/** Forms of the table that no factory claims (finer than mnemonicsWithoutSemantics). */
export function formsWithoutSemantics(): Form[] {
  return FORMS.filter((f) => handlerFor(f) === undefined);
}

/** One handler per form id; a form without semantics raises #UD. */
export function buildHandlerTable(undefinedOpcode: Handler): Handler[] {
  return FORMS.map((form) => handlerFor(form) ?? undefinedOpcode);
}
