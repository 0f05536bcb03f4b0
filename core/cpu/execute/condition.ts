// The sixteen x86 condition codes evaluated on the lazy flags: the one place Jcc, SETcc and
// CMOVcc (and LOOPcc's ZF test) ask "does condition cc hold", by the table's cc numbers.

import { CONDITION_CODES, type Form } from '../../isa';
import type { LazyFlags } from '../lazyFlags';

/** Whether condition `cc` (0..15, CONDITION_CODES numbering) holds for the current flags. */
export function conditionHolds(f: LazyFlags, cc: number): boolean {
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = f.of(); break;
    case 1: r = f.cf(); break;
    case 2: r = f.zf(); break;
    case 3: r = f.cf() || f.zf(); break;
    case 4: r = f.sf(); break;
    case 5: r = f.pf(); break;
    case 6: r = f.sf() !== f.of(); break;
    default: r = f.zf() || f.sf() !== f.of();
  }
  // Odd numbers are the negations (NO, NC, NZ, A, NS, PO, NL, G).
  return (cc & 1) === 0 ? r : !r;
}

/** The condition a form of a Jcc/SETcc/CMOVcc family tests: its mnemonic minus the family prefix. */
export function conditionOf(form: Form): number {
  for (const prefix of ['cmov', 'set', 'j']) {
    if (!form.mnemonic.startsWith(prefix)) continue;
    const cc = CONDITION_CODES.find((c) => c.name === form.mnemonic.slice(prefix.length));
    if (cc) return cc.cc;
  }
  throw new Error(`cpu: ${form.source} is not a condition-code form`);
}

/** The mnemonics (canonical names) of one condition-code family: `j`, `set` or `cmov`. */
export function conditionFamily(prefix: 'j' | 'set' | 'cmov'): string[] {
  return CONDITION_CODES.map((c) => prefix + c.name);
}
