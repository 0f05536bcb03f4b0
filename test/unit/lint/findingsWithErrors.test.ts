// RL2xx findings while the file has assembler errors: an error on one line (a jump to a label not
// written yet, a half-typed directive) must not hide the findings of every other line, or they
// vanish and come back on every keystroke. A line with an error of its own gets no finding from
// the bytes guessed for it.

import * as assert from 'node:assert/strict';
import { AsmCache, type SourceFiles } from '../../../core/asm';
import { lint, type LintDiagnostic } from '../../../core/lint';
import type { Mode } from '../../../core/run/modes';

const PROGRAM = ['start:', '  cli', '  hlt', '  pushf', '  out dx, al', '  mov eax, cr3', '  int 0x82', '  int 0x80'];

function findings(ds: readonly LintDiagnostic[]): string[] {
  return ds.filter((d) => /^RL2/.test(d.code)).map((d) => `${d.file}:${d.line}:${d.column}-${d.endColumn} ${d.code} ${d.severity} ${d.message}`);
}

function errors(ds: readonly LintDiagnostic[]): string[] {
  return ds.filter((d) => d.severity === 'error' && /^RL1/.test(d.code)).map((d) => `${d.line}:${d.code}`);
}

/** PROGRAM with `line` inserted before line `at` (1-based), and the same with a blank line there instead. */
function withLine(line: string, at: number): { broken: string; clean: string } {
  const broken = [...PROGRAM.slice(0, at - 1), line, ...PROGRAM.slice(at - 1)].join('\n') + '\n';
  const clean = [...PROGRAM.slice(0, at - 1), '', ...PROGRAM.slice(at - 1)].join('\n') + '\n';
  return { broken, clean };
}

describe('core/lint: findings of a file with assembler errors', () => {
  it('a jump to a label not written yet keeps the pv findings of every other line (the audit\'s case)', () => {
    const before = lint('start:\n  cli\n  hlt\n  pushf\n  out dx, al\n', { mode: 'paravirtual' });
    const after = lint('start:\n  cli\n  hlt\n  pushf\n  out dx, al\n  jmp done\n', { mode: 'paravirtual' });
    assert.deepEqual(errors(after), ['6:RL103']);
    assert.deepEqual(findings(after), findings(before));
    assert.deepEqual(findings(after).map((f) => f.split(' ').slice(0, 3).join(' ')), [
      '<input>:2:3-6 RL201 error', '<input>:3:3-6 RL201 error', '<input>:4:3-8 RL202 warning',
      '<input>:5:3-13 RL201 error', '<input>:5:3-13 RL203 info',
    ]);
  });

  const BREAKERS: readonly (readonly [string, string, string])[] = [
    ['an undefined label', '  jmp done', 'RL103'],
    ['an unknown mnemonic', '  frobnicate eax', 'RL101'],
    ['operands no form accepts', '  mov eax, bl', 'RL102'],
    ['a half-typed %if', '%if', 'RL100'],
    ['a duplicate label', 'start:', 'RL104'],
    ['an out-of-range value', '  db 1/0', 'RL107'],
  ];
  for (const [what, line, code] of BREAKERS) {
    for (const at of [1, 4, PROGRAM.length + 1]) {
      it(`${what} at line ${at}: the other lines' findings are those of the file without it, in every mode`, () => {
        const { broken, clean } = withLine(line, at);
        for (const mode of ['trap-and-emulate', 'binary-translation', 'paravirtual', 'hardware-assisted'] as Mode[]) {
          const ds = lint(broken, { mode });
          // A duplicate is reported where it is defined the second time.
          const where = code === 'RL104' ? Math.max(at, 2) : at;
          assert.ok(ds.some((d) => d.code === code && d.line === where && d.severity === 'error'), `${mode}: ${JSON.stringify(ds)}`);
          // A %if that fails takes no branch: nothing after it is assembled (as NASM).
          const want = findings(lint(clean, { mode }).filter((d) => line !== '%if' || d.line < at));
          assert.deepEqual(findings(ds), want, mode);
        }
      });
    }
  }

  it('a line with an error of its own gets no finding from its guessed bytes', () => {
    // Each would be flagged with a known operand: `out 0x20, al` (RL201, RL203), `int 0x80` (RL202).
    const src = 'out port, al\nint vector\ntimes count cli\nlidt [nowhere]\nout 0x20, al\n';
    const ds = lint(src, { mode: 'paravirtual' });
    assert.deepEqual(errors(ds), ['1:RL103', '2:RL103', '3:RL107', '4:RL103']);
    assert.deepEqual(findings(ds).map((f) => f.split(' ').slice(0, 2).join(' ')), ['<input>:5:1-13 RL201', '<input>:5:1-13 RL203']);
    // Under pv an unknown vector would have been taken for INT 0 (RL202), not the hypercall.
    assert.ok(!ds.some((d) => d.line === 2 && /^RL2/.test(d.code)));
  });

  it('a file without errors keeps exactly its findings (warnings do not change them)', () => {
    const src = PROGRAM.join('\n') + '\norphan\n';
    const ds = lint(src, { mode: 'trap-and-emulate' });
    assert.deepEqual(ds.filter((d) => d.severity === 'error'), []);
    assert.ok(ds.some((d) => d.severity === 'warning' && /^RL1/.test(d.code)));
    assert.deepEqual(findings(ds), findings(lint(PROGRAM.join('\n') + '\n', { mode: 'trap-and-emulate' })));
  });

  it('as typed in an editor (one line cache): findings stay while the error comes and goes', () => {
    const cache = new AsmCache();
    const texts = ['start:\n  cli\n  out dx, al\n', 'start:\n  cli\n  out dx, al\n  jmp d\n', 'start:\n  cli\n  out dx, al\n  jmp do\n', 'start:\n  cli\n  out dx, al\n  jmp done\ndone:\n'];
    const seen = texts.map((t) => findings(lint(t, { mode: 'paravirtual', cache })));
    for (const f of seen) assert.deepEqual(f, seen[0]);
    assert.equal(seen[0]!.length, 3);
  });

  it('findings in an included file stay when the main file has an error, and the included file\'s error hides only its line', () => {
    const files: SourceFiles = { read: (f) => (f === 'inc.gasm' ? 'hlt\nout undefined_port, al\npushf\n' : undefined), resolve: (_from, name) => name };
    const ds = lint('%include "inc.gasm"\ncli\njmp nowhere\n', { file: 'main.gasm', files, mode: 'trap-and-emulate' });
    assert.deepEqual(ds.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}`), ['inc.gasm:2', 'main.gasm:3']);
    assert.deepEqual(findings(ds).map((f) => f.split(' ').slice(0, 2).join(' ')), [
      'inc.gasm:1:1-4 RL201', 'inc.gasm:3:1-6 RL202', 'main.gasm:2:1-4 RL201',
    ]);
  });

  it('never throws on an assembly with errors whose sections do not fit the output', () => {
    const src = 'org 0x10000\nsection .low start=0x100\ncli\nsection .text\nhlt\njmp nowhere\n';
    const ds = lint(src, { mode: 'paravirtual' });
    assert.ok(ds.some((d) => d.code === 'RL103'));
    assert.ok(!ds.some((d) => /internal/.test(d.message)));
  });
});
