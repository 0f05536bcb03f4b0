// Debugger expressions: C precedence over unsigned 32-bit values, registers and labels by name,
// sized memory reads, and errors as messages.

import * as assert from 'node:assert';
import { evaluate, type EvalContext } from '../../../core/debug';
import { hitConditionMet } from '../../../core/debug/breakpoints';

const ctx: EvalContext = {
  resolve: (name) => ({ eax: 5, cpl: 3, cr3: 0x5000, esp: 0x9000, message: 0x100046 } as Record<string, number>)[name],
  readMemory: (addr, size) => (addr >= 0x9000 && addr < 0xa000 ? [0, 0x11, 0x2211, 0, 0x44332211][size]! + (addr - 0x9000) : null),
};
const value = (text: string): number => {
  const r = evaluate(text, ctx);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('core/debug expressions', () => {
  it('conditions from the issue: eax == 5 && cpl == 3, cr3 != 0x5000', () => {
    assert.strictEqual(value('eax == 5 && cpl == 3'), 1);
    assert.strictEqual(value('eax == 5 && cpl == 0'), 0);
    assert.strictEqual(value('cr3 != 0x5000'), 0);
    assert.strictEqual(value('cr3 != 0x5000 || eax > 4'), 1);
  });

  it('follows C precedence and wraps to unsigned 32 bits', () => {
    assert.strictEqual(value('1 + 2 * 3'), 7);
    assert.strictEqual(value('(1 + 2) * 3'), 9);
    assert.strictEqual(value('1 << 4 | 1'), 17);
    assert.strictEqual(value('0 - 1'), 0xffffffff);
    assert.strictEqual(value('-1'), 0xffffffff);
    assert.strictEqual(value('0xffffffff * 0xffffffff'), 1);
    assert.strictEqual(value('10h + 0b11 + 7'), 26);
    assert.strictEqual(value('!0 + ~0'), 0);
  });

  it('reads memory: dword by default, byte and word when sized, and says where', () => {
    const r = evaluate('dword [esp+4]', ctx);
    assert.ok(r.ok);
    assert.strictEqual(r.value, 0x44332211 + 4);
    assert.deepStrictEqual(r.memory, { addr: 0x9004, size: 4 });
    assert.strictEqual(value('byte [esp]'), 0x11);
    assert.strictEqual(value('word [esp + 2]'), 0x2213);
    assert.strictEqual(value('[esp]'), 0x44332211);
    const sum = evaluate('byte [esp] + 1', ctx);
    assert.ok(sum.ok && sum.memory === undefined, 'an expression over memory is a value, not a location');
  });

  it('errors are messages naming the problem and the expression', () => {
    const cases: [string, RegExp][] = [
      ['', /empty expression/],
      ['eax +', /ends too early in 'eax \+'/],
      ['nothing == 1', /'nothing' is not a register or a label/],
      ['byte [0x10]', /cannot read 1 byte\(s\) at 0x00000010: not mapped/],
      ['eax / 0', /division by zero/],
      ['(eax', /expected '\)' at the end/],
      ['eax # 1', /unexpected '#'/],
      ['1 2', /unexpected '2'/],
    ];
    for (const [text, message] of cases) {
      const r = evaluate(text, ctx);
      assert.strictEqual(r.ok, false, text);
      assert.match((r as { error: string }).error, message, text);
    }
  });

  it('hit conditions as VS Code writes them', () => {
    assert.strictEqual(hitConditionMet('3', 2), false);
    assert.strictEqual(hitConditionMet('3', 3), true);
    assert.strictEqual(hitConditionMet('>= 3', 4), true);
    assert.strictEqual(hitConditionMet('== 3', 4), false);
    assert.strictEqual(hitConditionMet('% 2', 4), true);
    assert.strictEqual(hitConditionMet('% 2', 3), false);
    assert.deepStrictEqual(typeof hitConditionMet('often', 1), 'object');
  });
});
