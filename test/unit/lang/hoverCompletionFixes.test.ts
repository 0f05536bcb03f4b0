// Hovers agree with the lint on a MOV to a control register under pv, show encodings without the
// table's `!` qualifiers, and completion offers instructions where the parser wants one: after a
// prefix, a `times` count or a label on the same line.

import * as assert from 'node:assert/strict';
import { completionsAt, DocumentAnalysis, hoverAt, instructionHover } from '../../../core/lang';
import { lineShape } from '../../../core/lang/lineShape';
import { scanLine } from '../../../core/lang/scan';
import { INSTRUCTIONS, lookupMnemonic } from '../../../core/isa';
import type { Mode } from '../../../core/run/modes';

const FILE = 'fixes.gasm';

function analysisOf(text: string, mode: Mode = 'trap-and-emulate'): DocumentAnalysis {
  return new DocumentAnalysis(FILE, text, { mode });
}

/** The hover's pv bullet for the mnemonic at the start of `line` (1-based, indented by two). */
function pvBullet(analysis: DocumentAnalysis, line: number): string {
  const h = hoverAt(analysis, FILE, line, 3);
  assert.ok(h, `a hover on line ${line}`);
  const bullet = h.markdown.split('\n').find((l) => l.startsWith('- **pv**') || l.startsWith('- pv:'));
  assert.ok(bullet, h.markdown);
  return bullet;
}

/** What follows `instead: ` in a text, or undefined. */
function instead(text: string): string | undefined {
  return /; instead: (.*)$/.exec(text)?.[1];
}

describe('core/lang hover and completion fixes', () => {
  describe('hover under pv: the replacement of a MOV to a control register', () => {
    const lines = ['start:', '  mov cr0, eax', '  mov cr4, eax', '  mov cr3, eax', '  mov cr2, ebx', '  mov eax, cr3', '  cli'];
    const analysis = analysisOf(lines.join('\n') + '\n', 'paravirtual');

    it('names the CR3 hypercall only for a write to CR3', () => {
      assert.equal(instead(pvBullet(analysis, 2)), undefined, 'mov cr0');
      assert.equal(instead(pvBullet(analysis, 3)), undefined, 'mov cr4');
      assert.equal(instead(pvBullet(analysis, 5)), undefined, 'mov cr2');
      assert.match(instead(pvBullet(analysis, 4)) ?? '', /mmuext_op \(26\) NEW_BASEPTR/);
    });

    it('knows the line\'s form when another line has an error (as the lint does), not when its own has', () => {
      const broken = analysisOf('start:\n  mov cr3, eax\n  jmp nowhere\n  mov cr3, nowhere\n', 'paravirtual');
      assert.match(instead(pvBullet(broken, 2)) ?? '', /NEW_BASEPTR/);
      assert.match(hoverAt(broken, FILE, 2, 3)!.markdown, /> is this line's/);
      assert.doesNotMatch(hoverAt(broken, FILE, 4, 3)!.markdown, /> is this line's/);
    });

    it('says what the RL201 diagnostic of the same line says', () => {
      for (let line = 2; line <= lines.length; line++) {
        const d = analysis.lint.diagnostics.find((x) => x.line === line && x.code === 'RL201');
        assert.ok(d, `RL201 on line ${line}`);
        assert.equal(instead(pvBullet(analysis, line)), instead(d.message), lines[line - 1]);
      }
    });
  });

  describe('hover encodings', () => {
    it('no instruction shows the table\'s `!` qualifiers', () => {
      for (const def of INSTRUCTIONS.values()) {
        const encodings = instructionHover(def, undefined, 'paravirtual').split('Flags:')[0]!;
        assert.doesNotMatch(encodings, /!\w/, def.mnemonic);
      }
    });

    it('a MOV form of another class names it in words', () => {
      const h = instructionHover(lookupMnemonic('mov')!, undefined, 'trap-and-emulate');
      assert.match(h, /^ {2}mov r32,sreg +o32 8C \/r +\(sensitive\)$/m);
      assert.match(h, /^ {2}mov creg,r32 +0F 22 \/r +\(privileged\)$/m);
      assert.match(h, /^ {2}mov r32,rm32 +o32 8B \/r$/m);
    });

    it('the line\'s own form is still marked', () => {
      const analysis = analysisOf('start:\n  mov ds, ax\n');
      assert.match(hoverAt(analysis, FILE, 2, 3)!.markdown, /^> mov sreg,r16 +8E \/r +\(sensitive\)$/m);
    });
  });

  describe('completion where the parser wants an instruction', () => {
    /** Completion at the end of `text`'s second line, after a first line with a label. */
    const at = (line: string) => completionsAt(analysisOf(`start:\n${line}\nother: nop\n`), FILE, 2, line.length + 1);
    const kinds = (line: string) => new Set(at(line).map((e) => e.kind));
    const labels = (line: string) => new Set(at(line).map((e) => e.label));

    for (const line of ['  rep mo', '  repne sc', '  repz cmps', '  lock xa', '  es lo', '  o16 mo', '  a32 lo', '  rep ', '  start2: rep mo', '  lock rep mo']) {
      it(`after a prefix, '${line.trim()}': mnemonics and prefixes only`, () => {
        assert.deepEqual([...kinds(line)].sort(), ['keyword', 'mnemonic'], line);
        assert.ok(labels(line).has('movsb') && labels(line).has('xadd') && labels(line).has('lock'));
        assert.ok(at(line).filter((e) => e.kind === 'keyword').every((e) => e.detail === 'instruction prefix'));
      });
    }

    for (const line of ['  times 4 no', '  times 4 ', '  times (2*3) ', '  times 10-($-$$) d', '  times other-start ', 'x: times 2 no', '  times 2 rep mo']) {
      it(`after a times count, '${line.trim()}': mnemonics and directives, no operands`, () => {
        const k = kinds(line);
        assert.ok(k.has('mnemonic'), line);
        assert.ok(!k.has('register') && !k.has('label'), line);
        if (!line.includes('rep')) assert.ok(labels(line).has('db'), 'data directives after times');
      });
    }

    for (const line of ['  align 4, no', '  align 4, ', '  alignb 8,', '  align (2*8), d', 'x: align other-start, ']) {
      it(`after an align count and its comma, '${line.trim()}': the filler's mnemonics and directives, no operands`, () => {
        const k = kinds(line);
        assert.ok(k.has('mnemonic') && k.has('directive'), line);
        assert.ok(!k.has('register') && !k.has('label'), line);
      });
    }

    for (const line of ['x: no', 'here:  ', 'here: mo', '  re']) {
      it(`after a label on the same line or at the start, '${line}': mnemonics, prefixes and directives`, () => {
        assert.ok(kinds(line).has('mnemonic') && !kinds(line).has('register'), line);
        assert.ok(labels(line).has('rep') && labels(line).has('o16') && labels(line).has('db'), line);
      });
    }

    for (const line of ['  times ', '  times 4+', '  times (2*', '  rep movsb ', '  mov eax, ', '  times 4 mov eax, ', '  es mov al, ', '  align ', '  align 4', '  align 4+', '  align 4, mov al, ']) {
      it(`operands still where an operand goes, '${line.trim()}'`, () => {
        const k = kinds(line);
        assert.ok(k.has('register') && !k.has('mnemonic'), line);
      });
    }
  });

  describe('line shape of a times line', () => {
    const shapeOf = (text: string) => {
      const tokens = scanLine(text);
      const shape = lineShape(text, tokens);
      const words = (ix: readonly number[]) => ix.map((i) => text.slice(tokens[i]!.start, tokens[i]!.end));
      return { ops: words(shape.ops), refs: words(shape.refs), next: shape.next };
    };

    it('the repeated instruction is an operation word; names in the count are uses', () => {
      assert.deepEqual(shapeOf('  times 4 cli'), { ops: ['times', 'cli'], refs: [], next: 'operand' });
      assert.deepEqual(shapeOf('  times n-($-$$) db x'), { ops: ['times', 'db'], refs: ['n', 'x'], next: 'operand' });
      assert.deepEqual(shapeOf('  times 2 rep movsb'), { ops: ['times', 'rep', 'movsb'], refs: [], next: 'operand' });
      assert.deepEqual(shapeOf('  es lodsb'), { ops: ['es', 'lodsb'], refs: [], next: 'operand' });
    });

    it("an align's filler after the comma is a statement: its mnemonic an operation word, not a use", () => {
      assert.deepEqual(shapeOf('  align 4, nop'), { ops: ['align', 'nop'], refs: [], next: 'operand' });
      assert.deepEqual(shapeOf('  align 16, db 0x90'), { ops: ['align', 'db'], refs: [], next: 'operand' });
      assert.deepEqual(shapeOf('  alignb n*2, resb 1'), { ops: ['alignb', 'resb'], refs: ['n'], next: 'operand' });
      assert.deepEqual(shapeOf('  align 4, mov eax, x'), { ops: ['align', 'mov'], refs: ['x'], next: 'operand' });
      assert.deepEqual(shapeOf('  align n'), { ops: ['align'], refs: ['n'], next: 'operand' });
    });
  });

  describe('completion of local labels', () => {
    it('offers `.name` for the locals of the scope the assembler is in: a `..@` label or an equ opens none', () => {
      const text = 'b:\n.y: nop\n..@m: nop\nSIZE equ 4\n  jmp \n';
      const labels = new Set(completionsAt(analysisOf(text), FILE, 5, 7).map((e) => e.label));
      assert.ok(labels.has('.y') && labels.has('b.y'), [...labels].filter((l) => l.includes('y')).join(' '));
    });
  });
});
