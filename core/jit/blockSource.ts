// JavaScript source of one compiled block: the body of `function (c)` over the CPU `c`, with
// the block's decoded records `D`, the handler table `H`, the condition evaluator `CH` and the
// block's own record `K` (its `live` flag) bound
// when it is compiled. It returns how many guest instructions it retired and leaves EIP at the
// next one, as the interpreter would after running them one by one.
//
// Contract with the CPU's dispatcher (core/cpu/cpu.ts):
// - It is entered with EIP at the block's first instruction, the fetch window on its page, and
//   at least `records.length` instructions of budget left in the slice.
// - Before anything that leaves the block's own code (a memory access's slow path, a handler, a
//   VMM hook) the flags are in LazyFlags, EIP is past the instruction and instructionsRetired
//   counts the instructions before it, as in the interpreter loop. (An aligned access to a page
//   the TLB already grants stays inline and touches nothing else.) Afterwards it stops if the slice was
//   ended (retiredEnd 0: I/O, STI, a debugger's stop) or the fetch window moved (a CR3 load,
//   a TLB flush) or the block itself was dropped (the guest wrote to its bytes: the interpreter
//   would fetch the new ones), and after a handler also if the handler changed EIP.
// - A fault or stop thrown inside leaves EIP at the instruction that raised it and the count at
//   the instructions before it, then propagates to the dispatcher like the interpreter's.
// - A block that ends with a branch to its own start loops inside the function while the
//   slice's budget allows a whole pass (the hot loop never returns to the dispatcher).

import type { Decoded } from '../disasm/decoded';
import { FORMS, type Form } from '../isa';
import { conditionOf } from '../cpu/execute/condition';
import { inlineInstruction, type InlinePlan } from './inlineInstruction';
import { lit, plainPrefixes, popWord, pushWord } from './operandCode';
import { PendingFlags } from './pendingFlags';

/** Whether a form is a branch the block compiles as its exit: a relative Jcc, JMP or CALL, or a
 *  near RET without an immediate (32-bit operand size: under o16 the handler runs). */
function relativeBranch(form: Form, d: Decoded): 'jcc' | 'jmp' | 'call' | 'ret' | null {
  if (!plainPrefixes(d)) return null;
  if (form.flow === 'ret' && form.mnemonic === 'ret' && form.operands.length === 0) return 'ret';
  if (!form.operands[0]?.startsWith('rel')) return null;
  if (form.flow === 'branch' && form.mnemonic.startsWith('j') && form.mnemonic !== 'jcxz' && form.mnemonic !== 'jecxz') return 'jcc';
  if (form.flow === 'jump' && form.mnemonic === 'jmp') return 'jmp';
  if (form.flow === 'call' && form.mnemonic === 'call') return 'call';
  return null;
}

/**
 * Whether the flags at the block's start may be observed before the block sets all six again
 * (by a flag read, a fault or a call-out). When they may not, a pass that loops back to the
 * start leaves them pending in the locals instead of storing them to LazyFlags.
 */
function flagsLiveAtEntry(plans: readonly (InlinePlan | null)[]): boolean {
  for (const plan of plans) {
    // A handler, a slow path or INC/DEC's kept CF may look; a full setter ends the question.
    if (plan === null || plan.callsOut || plan.flags === 'carryKept') return true;
    if (plan.flags === 'all') return false;
  }
  return true;
}

/** The source of a block of decoded `records` (consecutive, the last one may transfer control). */
export function blockSource(records: readonly Decoded[], intercept: Uint8Array | null): string {
  const count = records.length;
  const len = lit(count);
  const start = records[0]!.addr >>> 0;
  const flags = new PendingFlags();
  const intercepted = records.map((d) => intercept !== null && intercept[d.formId]! > 0);
  const plans = records.map((d, i) => (intercepted[i] ? null : inlineInstruction(FORMS[d.formId]!, d)));
  const live = flagsLiveAtEntry(plans);
  const out: string[] = [];

  /** Leaves the block at `eip` after the whole pass; loops when `eip` is the block's start. */
  const exitTo = (eip: number): string => {
    const store = flags.exitCode();
    if (eip !== start) return `${store} st.eip = ${lit(eip)}; return n + ${len};`;
    return `n += ${len}; if (c.retiredEnd - R0 - n >= ${len}) { ${live ? store : ''} continue; } ${store} st.eip = ${lit(eip)}; return n;`;
  };

  for (let i = 0; i < count; i++) {
    const d = records[i]!;
    const form = FORMS[d.formId]!;
    const next = (d.addr + d.length) >>> 0;
    const last = i === count - 1;
    const before = `st.eip = ${lit(next)}; c.instructionsRetired = R0 + n + ${lit(i)}; at = ${lit(i)}; sl = 1;`;
    const ended = 'c.retiredEnd === 0 || c.fetchLinPage !== W || !K.live';
    const branch = intercepted[i] ? null : relativeBranch(form, d);
    const slow = `${flags.exitCode()} ${before}`;
    if (last && branch !== null) {
      const target = d.target >>> 0;
      if (branch === 'jmp') { out.push(exitTo(target)); break; }
      if (branch === 'call') {
        out.push(pushWord(lit(next), slow), `if (sl !== 0) { sl = 0; if (${ended}) { ${flags.exitCode()} st.eip = ${lit(target)}; return n + ${len}; } }`, exitTo(target));
        break;
      }
      if (branch === 'ret') {
        out.push(popWord('x', slow), `${flags.exitCode()} st.eip = x >>> 0; return n + ${len};`);
        break;
      }
      const cc = conditionOf(form);
      let cond = flags.condition(cc);
      if (cond === null) { out.push(flags.flush()); cond = `CH(fl, ${lit(cc)})`; }
      out.push(`if (${cond}) { ${exitTo(target)} }`, exitTo(next));
      break;
    }
    const plan = plans[i];
    if (plan === null || plan === undefined) {
      out.push(flags.flush(), before);
      out.push(intercepted[i] ? `c.runIntercepted(D[${lit(i)}], ${lit(d.addr >>> 0)});` : `H[${lit(d.formId)}](c, D[${lit(i)}]);`);
      if (!last) {
        out.push(`sl = 0; if (st.eip !== ${lit(next)} || ${ended}) return n + ${lit(i + 1)};`);
      } else if (form.operands[0]?.startsWith('rel') && (d.target >>> 0) === start) {
        // LOOP and friends back to the start: another pass if the handler took the branch.
        out.push(`if (st.eip === ${lit(start)} && c.retiredEnd !== 0 && c.fetchLinPage === W && K.live && c.retiredEnd - R0 - n - ${len} >= ${len}) { n += ${len}; continue; }`,
          `return n + ${len};`);
      } else {
        out.push(`return n + ${len};`);
      }
      continue;
    }
    if (plan.callsOut) {
      // The slow paths store the flags (idempotent: the fast path keeps them pending).
      out.push(plan.emit(flags, slow));
      out.push(`if (sl !== 0) { sl = 0; if (${ended}) { ${flags.exitCode()} return n + ${lit(i + 1)}; } }`);
    } else {
      out.push(plan.emit(flags, ''));
    }
    if (last) out.push(exitTo(next));
  }

  return [
    'const st = c.state, r = st.regs, fl = c.flags, R0 = c.instructionsRetired, W = c.fetchLinPage;',
    'const S = st.segs, S0 = S[0], S1 = S[1], S2 = S[2], S3 = S[3], S4 = S[4], S5 = S[5];',
    'const T = c.tlb.entries, M = c.memory.words, ML = c.memory.sizeBytes - 3, RM = c.readMask, WM = c.writeMask, WRM = RM | WM;',
    'let fa = 0, fb = 0, fr = 0, fc = 0, x = 0, y = 0, t = 0, o = 0, q = 0, te = 0, p = 0, z = 0, at = 0, n = 0, sl = 0;',
    'try {',
    'for (;;) {',
    ...out.filter((s) => s !== ''),
    '}',
    '} catch (e) {',
    'st.eip = D[at].addr; c.instructionsRetired = R0 + n + at; throw e;',
    '}',
  ].join('\n');
}
