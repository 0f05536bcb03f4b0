// LOCK is allowed only on the table's lockable forms with a memory destination (XCHG: either
// operand); anything else is #UD (SDM vol. 2, LOCK). Decided at decode time, so cached
// instructions (and compiled blocks) pay nothing.

import type { Decoded } from '../disasm/decoded';
import { FORMS } from '../isa';

const LOCK_ALLOWED = ((): Uint8Array => {
  const ok = new Uint8Array(FORMS.length);
  for (const f of FORMS) {
    const memDest = f.operands.some((k, i) => (i === 0 || f.mnemonic === 'xchg') && (k.startsWith('rm') || k.startsWith('m')));
    if (f.def.lockable && memDest) ok[f.id] = 1;
  }
  return ok;
})();

/** A decoded instruction whose LOCK prefix makes it #UD. */
export function lockFaults(d: Decoded): boolean {
  return d.lock && (!d.hasMem || LOCK_ALLOWED[d.formId] === 0);
}
