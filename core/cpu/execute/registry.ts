// Instruction semantics, registered by the table's mnemonics and specialised per form at load,
// so the interpreter dispatches by Form.id through a dense array (no switch per instruction).
// Contract: before a handler runs, state.eip already holds the address of the next instruction;
// control transfers overwrite it; a fault (CpuFault thrown) makes the CPU restore the old EIP.

import type { Decoded } from '../../disasm/decoded';
import { FORMS, type Form } from '../../isa';
import type { ExecContext } from '../execContext';

export type Handler = (c: ExecContext, d: Decoded) => void;
export type HandlerFactory = (form: Form) => Handler;

const factories = new Map<string, HandlerFactory>();

/** Registers the semantics of one or more mnemonics (canonical names of core/isa). */
export function defineSemantics(mnemonics: readonly string[], factory: HandlerFactory): void {
  for (const m of mnemonics) {
    if (factories.has(m)) throw new Error(`cpu: semantics of '${m}' defined twice`);
    factories.set(m, factory);
  }
}

/** Mnemonics of the table that have no semantics yet (a unit test keeps this empty). */
export function mnemonicsWithoutSemantics(): string[] {
  return [...new Set(FORMS.map((f) => f.mnemonic))].filter((m) => !factories.has(m));
}

/** One handler per form id; a form without semantics raises #UD. */
export function buildHandlerTable(undefinedOpcode: Handler): Handler[] {
  return FORMS.map((form) => {
    const factory = factories.get(form.mnemonic);
    return factory ? factory(form) : undefinedOpcode;
  });
}
