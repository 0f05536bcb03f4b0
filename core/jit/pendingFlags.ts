// The arithmetic flags while a block is being generated. A 32-bit ALU instruction compiled
// inline leaves its operands and result in the block's locals fa, fb and fr instead of calling
// LazyFlags: a Jcc right after it tests them directly (`cmp; jl` becomes `fa < fb`), and a
// later instruction that sets every flag makes the store unnecessary. Whatever may look at the
// flags from outside (a handler call, anything that can fault, the block's exit) comes after
// `flush`, which hands the pending operation to LazyFlags exactly as the interpreter would have.

import { EFLAGS } from '../cpu/cpuState';

/** The last flag-setting operation compiled inline whose flags LazyFlags does not hold yet. */
export const enum Pending {
  /** LazyFlags is up to date. */
  None,
  /** fa + fb = fr. */
  Add,
  /** fa - fb = fr. */
  Sub,
  /** fr of AND/OR/XOR/TEST: CF = OF = AF = 0. */
  Logic,
  /** fa + 1 = fr, CF kept: in LazyFlags (carryLocal false) or in the local fc. */
  Inc,
  /** fa - 1 = fr, CF kept likewise. */
  Dec,
}

export class PendingFlags {
  kind: Pending = Pending.None;
  /** Inc/Dec: the kept CF is in the local fc (the operation before was pending too). */
  carryLocal = false;

  /** Code that hands the pending operation to LazyFlags (`fl`), and forgets it. */
  flush(): string {
    const code = this.exitCode();
    this.kind = Pending.None;
    this.carryLocal = false;
    return code;
  }

  /** The same code without forgetting: for an exit branch, while the fall-through path goes on. */
  exitCode(): string {
    switch (this.kind) {
      case Pending.None: return '';
      case Pending.Add: return 'fl.add(fa, fb, fr, 32);';
      case Pending.Sub: return 'fl.sub(fa, fb, fr, 32);';
      case Pending.Logic: return 'fl.logic(fr, 32);';
      case Pending.Inc: return `${this.carryLocal ? `fl.set(${EFLAGS.CF}, fc);` : ''}fl.inc(fa, fr, 32);`;
      case Pending.Dec: return `${this.carryLocal ? `fl.set(${EFLAGS.CF}, fc);` : ''}fl.dec(fa, fr, 32);`;
    }
  }

  /** Before INC/DEC replaces the pending operation: code that keeps its CF in fc. */
  keepCarry(): string {
    const code = this.carryCode();
    if (code === null) return '';
    this.carryLocal = true;
    return `fc = ${code};`;
  }

  /** An operation that sets all six flags now pends (its operands are already in fa, fb, fr). */
  set(kind: Pending.Add | Pending.Sub | Pending.Logic): void {
    this.kind = kind;
    this.carryLocal = false;
  }

  /** INC/DEC now pend; call keepCarry() first (its code runs before fa and fr change). */
  setIncDec(kind: Pending.Inc | Pending.Dec, carryLocal: boolean): void {
    this.kind = kind;
    this.carryLocal = carryLocal;
  }

  /** CF of the pending operation as a 0/1 expression over the locals, or null when LazyFlags holds it. */
  private carryCode(): string | null {
    switch (this.kind) {
      case Pending.None: return null;
      case Pending.Add: return '((fr >>> 0) < (fa >>> 0) ? 1 : 0)';
      case Pending.Sub: return '((fa >>> 0) < (fb >>> 0) ? 1 : 0)';
      case Pending.Logic: return '0';
      case Pending.Inc: case Pending.Dec: return this.carryLocal ? 'fc' : null;
    }
  }

  /**
   * Condition `cc` (CONDITION_CODES numbering, odd = negated) as a boolean expression over the
   * locals, or null when it needs LazyFlags (parity, or a carry LazyFlags holds).
   */
  condition(cc: number): string | null {
    const base = this.positive(cc >> 1);
    if (base === null) return null;
    return (cc & 1) === 0 ? `(${base})` : `!(${base})`;
  }

  /** The even condition of pair `pair` (O, B, Z, BE, S, P, L, LE). */
  private positive(pair: number): string | null {
    if (pair === 5) return null; // parity: rare in compiled loops, LazyFlags computes it
    switch (this.kind) {
      case Pending.None: return null;
      case Pending.Sub:
        return ['((fa ^ fb) & (fa ^ fr)) < 0', '(fa >>> 0) < (fb >>> 0)', 'fr === 0', '(fa >>> 0) <= (fb >>> 0)',
          'fr < 0', '', 'fa < fb', 'fa <= fb'][pair]!;
      case Pending.Add: {
        const of = '(~(fa ^ fb) & (fa ^ fr)) < 0', cf = '(fr >>> 0) < (fa >>> 0)';
        return [of, cf, 'fr === 0', `${cf} || fr === 0`, 'fr < 0', '', `(fr < 0) !== (${of})`, `fr === 0 || (fr < 0) !== (${of})`][pair]!;
      }
      case Pending.Logic:
        return ['false', 'false', 'fr === 0', 'fr === 0', 'fr < 0', '', 'fr < 0', 'fr <= 0'][pair]!;
      case Pending.Inc: case Pending.Dec: {
        const of = this.kind === Pending.Inc ? 'fr === -2147483648' : 'fr === 2147483647';
        const cf = this.carryLocal ? 'fc !== 0' : null;
        switch (pair) {
          case 0: return of;
          case 1: return cf;
          case 2: return 'fr === 0';
          case 3: return cf === null ? null : `${cf} || fr === 0`;
          case 4: return 'fr < 0';
          case 6: return `(fr < 0) !== (${of})`;
          default: return `fr === 0 || (fr < 0) !== (${of})`;
        }
      }
    }
  }
}
